package io.jeras.applications.convnext;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.WeightSpec;
import io.jeras.utils.Shapes;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * ConvNeXt's {@code LayerScale} ({@code keras.src.applications.convnext.LayerScale}): the input
 * multiplied channel by channel by a trainable vector of {@code projectionDim} values, all
 * starting at {@code initValues} (ConvNeXt uses 1e-6, so a new residual branch starts almost
 * silent).
 *
 * <p>One weight, named {@code variable} as Keras names it (Keras' {@code add_weight} is called
 * without a name), of shape {@code (projectionDim,)}, trainable, initialized to the constant
 * {@code initValues}. The input's last axis must have {@code projectionDim} channels (or 1, then
 * broadcast).
 *
 * <pre>{@code
 * LayerScale.of(1e-6, 96)
 * }</pre>
 */
public final class LayerScale extends Layer<LayerScale> {
  private final double initValues;
  private final int projectionDim;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private LayerScale(LayerOptions options, double initValues, int projectionDim) {
    super(options);
    this.initValues = initValues;
    this.projectionDim = projectionDim;
  }

  /** A scale of {@code projectionDim} values, each starting at {@code initValues}. */
  public static LayerScale of(double initValues, int projectionDim) {
    checkArgument(projectionDim > 0, "projection_dim must be positive, got %s", projectionDim);
    return new LayerScale(null, initValues, projectionDim);
  }

  /** The initial value of every scale. */
  public double initValues() {
    return initValues;
  }

  /** The number of scales (channels). */
  public int projectionDim() {
    return projectionDim;
  }

  @Override
  protected LayerScale withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() >= 1, "LayerScale needs an input with a channel axis");
    long channels = Shapes.last(input);
    checkArgument(channels < 0 || channels == projectionDim || channels == 1 || projectionDim == 1,
        "the input's %s channels do not match projection_dim=%s", channels, projectionDim);
    long[] dims = input.asArray();
    if (channels == 1) {
      dims[dims.length - 1] = projectionDim;
    }
    return Shape.of(dims);
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    return List.of(new WeightSpec("variable", Shape.of(projectionDim),
        Initializers.constant((float) initValues), null, trainable()));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    return context.tf().math.mul(input, context.weight("variable"));
  }
}
