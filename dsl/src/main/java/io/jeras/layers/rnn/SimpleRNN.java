package io.jeras.layers.rnn;

import io.jeras.activations.Activations;
import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.WeightSpec;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code SimpleRNN}: {@code h_t = activation(x_t . kernel + h_{t-1} . recurrent_kernel +
 * bias)}, activation {@code tanh} by default. Weights {@code kernel (features, units)}, {@code
 * recurrent_kernel (units, units)}, {@code bias (units)}. Unrolled over the steps (see {@link
 * Recurrent}).
 *
 * <pre>{@code
 * SimpleRNN.of(32).returnSequences(true)
 * }</pre>
 */
public final class SimpleRNN extends Recurrent<SimpleRNN> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private SimpleRNN(LayerOptions options, RecurrentSettings rnn) {
    super(options, rnn);
  }

  /** {@code units} units with Keras' defaults. */
  public static SimpleRNN of(int units) {
    return new SimpleRNN(null, RecurrentSettings.defaults(units, Activations.SIGMOID));
  }

  @Override
  protected SimpleRNN with(LayerOptions options, RecurrentSettings rnn) {
    return toBuilder().options(options).rnn(rnn).build();
  }

  @Override
  protected int gates() {
    return 1;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    int units = rnn.units();
    List<WeightSpec> weights = new ArrayList<>(3);
    weights.add(rnn.kernel().spec("kernel", Shape.of(Shapes.last(input), units), trainable()));
    weights.add(rnn.recurrentKernel().spec("recurrent_kernel", Shape.of(units, units),
        trainable()));
    if (rnn.useBias()) {
      weights.add(rnn.bias().spec("bias", Shape.of(units), trainable()));
    }
    return weights;
  }

  @Override
  protected List<Operand<TFloat32>> step(Ops tf, CallContext context, Operand<TFloat32> xw,
      List<Operand<TFloat32>> states) {
    return List.of(rnn.activation().apply(tf,
        tf.math.add(xw, recurrent(tf, context, states.get(0)))));
  }
}
