package io.jeras.bridge;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.types.TFloat32;

/**
 * Symbolic gradients of a scalar loss with respect to an explicit list of variables, built by
 * TensorFlow's C++ gradient registry into the graph once.
 *
 * <p>Only the variables given are differentiated (frozen weights, metric state and optimizer
 * slots are left out), unlike TensorFlow Java's {@code Optimizer.minimize}, which takes every
 * variable in the graph.
 */
public final class Gradients {
  private Gradients() {}

  /**
   * The gradient of {@code loss} for each of {@code variables}, in the same order.
   *
   * @param names the variables' names, for the error raised when a variable does not influence
   *     the loss
   */
  @SuppressWarnings("unchecked")
  public static List<Output<TFloat32>> of(Graph graph, String prefix, Operand<TFloat32> loss,
      List<? extends Operand<TFloat32>> variables, List<String> names) {
    if (variables.isEmpty()) {
      return List.of();
    }
    Output<?>[] xs = new Output<?>[variables.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = variables.get(i).asOutput();
    }
    Output<?>[] grads;
    try {
      grads = graph.addGradients(prefix, new Output<?>[] {loss.asOutput()}, xs, null);
    } catch (TFInvalidArgumentException e) {
      for (int i = 0; i < xs.length; i++) {
        if (e.getMessage() != null && e.getMessage().contains("'" + xs[i].op().name() + "'")) {
          throw unreachable(names.get(i), e);
        }
      }
      throw e;
    }
    List<Output<TFloat32>> result = new ArrayList<>(grads.length);
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] == null || grads[i].op() == null) {
        throw unreachable(names.get(i), null);
      }
      result.add((Output<TFloat32>) grads[i]);
    }
    return result;
  }

  private static IllegalStateException unreachable(String name, Exception cause) {
    return new IllegalStateException("trainable variable " + name + " does not influence the"
        + " loss, so it cannot be trained; freeze its layer (trainable(false)) or remove it",
        cause);
  }
}
