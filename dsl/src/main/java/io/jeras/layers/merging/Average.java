package io.jeras.layers.merging;

import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Average}: the mean of its inputs, element by element (the sum divided by the
 * number of inputs).
 *
 * <pre>{@code
 * KerasTensor mean = Average.of().apply(a, b, c);
 * }</pre>
 */
public final class Average extends Merge<Average> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Average(LayerOptions options) {
    super(options);
  }

  public static Average of() {
    return new Average(null);
  }

  @Override
  protected Average withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Operand<TFloat32> combine(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.add(a, b);
  }

  @Override
  public Operand<TFloat32> call(CallContext context, List<Operand<TFloat32>> inputs) {
    return context.tf().math.div(super.call(context, inputs),
        context.tf().constant((float) inputs.size()));
  }
}
