package io.jeras.layers.rnn;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.WeightSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Bidirectional}: a recurrent layer run forwards ({@code forward_<name>}) and a
 * copy run backwards ({@code backward_<name>}, its own weights), their outputs merged: {@code
 * concat} (default, on the features), {@code sum}, {@code mul} or {@code ave}. With {@code
 * returnSequences} the backward outputs are put back in time order first, and masked steps
 * output zeros, as Keras forces for both directions.
 *
 * <pre>{@code
 * Bidirectional.of(LSTM.of(64).returnSequences(true))
 * }</pre>
 */
public final class Bidirectional extends Layer<Bidirectional> {
  private final Recurrent<?> layer;
  private final String mergeMode;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Bidirectional(LayerOptions options, Recurrent<?> layer, String mergeMode) {
    super(options);
    this.layer = layer;
    this.mergeMode = mergeMode;
  }

  /** {@code layer} both ways, outputs concatenated. */
  public static Bidirectional of(Recurrent<?> layer) {
    checkArgument(layer != null, "Bidirectional needs a recurrent layer");
    return new Bidirectional(null, layer, "concat");
  }

  /** The wrapped layer (the forward direction). */
  public Recurrent<?> layer() {
    return layer;
  }

  public String mergeMode() {
    return mergeMode;
  }

  /** Keras' {@code merge_mode}: {@code concat}, {@code sum}, {@code mul} or {@code ave}. */
  public Bidirectional mergeMode(String mergeMode) {
    String mode = mergeMode.toLowerCase(Locale.ROOT);
    checkArgument(List.of("concat", "sum", "mul", "ave").contains(mode), "Invalid merge mode."
        + " Received: %s. Merge mode should be one of {\"sum\", \"mul\", \"ave\", \"concat\"}"
        + " (None, two outputs, is not supported)", mergeMode);
    return toBuilder().mergeMode(mode).build();
  }

  /** The inner layer's name (its own, or Keras' default for its class). */
  private String innerName() {
    return layer.name() != null ? layer.name() : Layer.toSnakeCase(layer.className());
  }

  /** Keras' names of the two directions: {@code forward_lstm}, {@code backward_lstm}. */
  public String forwardName() {
    return "forward_" + innerName();
  }

  public String backwardName() {
    return "backward_" + innerName();
  }

  /** The two directions as run: Keras forces zero outputs at masked steps for sequences. */
  private List<Recurrent<?>> directions() {
    Recurrent<?> forward = layer.zeroOutputForMask(layer.returnSequences());
    return List.of(forward, forward.goBackwards(!forward.goBackwards()));
  }

  @Override
  protected Bidirectional withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    Shape inner = layer.outputShape(input);
    if (!mergeMode.equals("concat")) {
      return inner;
    }
    long[] dims = inner.asArray();
    dims[dims.length - 1] *= 2;
    return Shape.of(dims);
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> weights = new ArrayList<>();
    for (WeightSpec spec : layer.weights(input)) {
      weights.add(spec.renamed(forwardName() + "/" + spec.name()));
    }
    for (WeightSpec spec : layer.weights(input)) {
      weights.add(spec.renamed(backwardName() + "/" + spec.name()));
    }
    return weights;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    Random seeds = new Random(context.seed());
    List<Recurrent<?>> directions = directions();
    Operand<TFloat32> forward = directions.get(0).call(context.child(forwardName(),
        seeds.nextLong(), true, null).withInputMask(context.inputMask()), input);
    Operand<TFloat32> backward = directions.get(1).call(context.child(backwardName(),
        seeds.nextLong(), true, null).withInputMask(context.inputMask()), input);
    if (layer.returnSequences()) {
      backward = tf.reverse(backward, tf.constant(new int[] {1}));
      if (context.inputMask() != null) {
        context.setOutputMask(context.inputMask());
      }
    }
    return switch (mergeMode) {
      case "sum" -> tf.math.add(forward, backward);
      case "mul" -> tf.math.mul(forward, backward);
      case "ave" -> tf.math.mul(tf.math.add(forward, backward), tf.constant(0.5f));
      default -> tf.concat(List.of(forward, backward), tf.constant(-1));
    };
  }
}
