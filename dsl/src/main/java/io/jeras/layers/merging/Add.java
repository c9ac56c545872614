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
 * Keras' {@code Add}: the sum of its inputs, element by element (shapes equal, or 1 where they
 * broadcast).
 *
 * <pre>{@code
 * KerasTensor y = Add.of().apply(a, b);
 * }</pre>
 */
public final class Add extends Merge<Add> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Add(LayerOptions options) {
    super(options);
  }

  public static Add of() {
    return new Add(null);
  }

  @Override
  protected Add withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Operand<TFloat32> combine(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.add(a, b);
  }

  @Override
  public Operand<TFloat32> call(CallContext context, List<Operand<TFloat32>> inputs) {
    boolean sameShapes = inputs.stream().allMatch(x -> x.shape().equals(inputs.get(0).shape()));
    return sameShapes ? context.tf().math.addN(inputs) : super.call(context, inputs);
  }
}
