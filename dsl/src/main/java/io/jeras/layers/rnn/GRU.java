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
 * Keras' {@code GRU} (Cho et al. 2014): update gate z, reset gate r (Keras' order z, r, h),
 * {@code h_t = z h_{t-1} + (1 - z) tanh(x . W_h + r * (h_{t-1} . U_h + b_h))} with Keras 3's
 * default {@code reset_after=True} (the reset applied after the recurrent product, the cuDNN
 * form; its bias is {@code (2, 3 units)}: input and recurrent biases), or with {@code
 * resetAfter(false)} before it ({@code (r * h_{t-1}) . U_h}, one bias of {@code 3 units}).
 * Unrolled over the steps (see {@link Recurrent}).
 *
 * <pre>{@code
 * GRU.of(32)
 * }</pre>
 */
public final class GRU extends Recurrent<GRU> {
  private final boolean resetAfter;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private GRU(LayerOptions options, RecurrentSettings rnn, boolean resetAfter) {
    super(options, rnn);
    this.resetAfter = resetAfter;
  }

  /** {@code units} units with Keras 3's defaults. */
  public static GRU of(int units) {
    return new GRU(null, RecurrentSettings.defaults(units, Activations.SIGMOID), true);
  }

  @Override
  protected GRU with(LayerOptions options, RecurrentSettings rnn) {
    return toBuilder().options(options).rnn(rnn).build();
  }

  public Activations recurrentActivation() {
    return rnn.recurrentActivation();
  }

  /** Keras' {@code recurrent_activation} (the gates'; default sigmoid). */
  public GRU recurrentActivation(Activations activation) {
    return with(options, rnn.withRecurrentActivation(activation));
  }

  public GRU recurrentActivation(String activation) {
    return recurrentActivation(Activations.of(activation));
  }

  public boolean resetAfter() {
    return resetAfter;
  }

  /** Keras' {@code reset_after} (default true). */
  public GRU resetAfter(boolean resetAfter) {
    return toBuilder().resetAfter(resetAfter).build();
  }

  @Override
  protected int gates() {
    return 3;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    int units = rnn.units();
    List<WeightSpec> weights = new ArrayList<>(3);
    weights.add(rnn.kernel().spec("kernel", Shape.of(Shapes.last(input), 3L * units),
        trainable()));
    weights.add(rnn.recurrentKernel().spec("recurrent_kernel", Shape.of(units, 3L * units),
        trainable()));
    if (rnn.useBias()) {
      weights.add(rnn.bias().spec("bias", resetAfter ? Shape.of(2, 3L * units)
          : Shape.of(3L * units), trainable()));
    }
    return weights;
  }

  @Override
  protected Operand<TFloat32> inputBias(Ops tf, CallContext context) {
    if (!rnn.useBias()) {
      return null;
    }
    Operand<TFloat32> bias = context.weight("bias");
    return resetAfter ? tf.gather(bias, tf.constant(0), tf.constant(0)) : bias;
  }

  @Override
  protected List<Operand<TFloat32>> step(Ops tf, CallContext context, Operand<TFloat32> xw,
      List<Operand<TFloat32>> states) {
    int units = rnn.units();
    Activations gate = rnn.recurrentActivation();
    Operand<TFloat32> h = states.get(0);
    Operand<TFloat32> z;
    Operand<TFloat32> r;
    Operand<TFloat32> candidate;
    if (resetAfter) {
      Operand<TFloat32> inner = recurrent(tf, context, h);
      if (rnn.useBias()) {
        inner = tf.math.add(inner, tf.gather(context.weight("bias"), tf.constant(1),
            tf.constant(0)));
      }
      z = gate.apply(tf, tf.math.add(block(tf, xw, 0, units), block(tf, inner, 0, units)));
      r = gate.apply(tf, tf.math.add(block(tf, xw, 1, units), block(tf, inner, 1, units)));
      candidate = rnn.activation().apply(tf, tf.math.add(block(tf, xw, 2, units),
          tf.math.mul(r, block(tf, inner, 2, units))));
    } else {
      Operand<TFloat32> kernel = context.weight("recurrent_kernel");
      Operand<TFloat32> gates = tf.linalg.matMul(h, tf.slice(kernel, tf.constant(new int[] {0,
          0}), tf.constant(new int[] {-1, 2 * units})));
      z = gate.apply(tf, tf.math.add(block(tf, xw, 0, units), block(tf, gates, 0, units)));
      r = gate.apply(tf, tf.math.add(block(tf, xw, 1, units), block(tf, gates, 1, units)));
      Operand<TFloat32> uh = tf.slice(kernel, tf.constant(new int[] {0, 2 * units}),
          tf.constant(new int[] {-1, units}));
      candidate = rnn.activation().apply(tf, tf.math.add(block(tf, xw, 2, units),
          tf.linalg.matMul(tf.math.mul(r, h), uh)));
    }
    Operand<TFloat32> next = tf.math.add(tf.math.mul(z, h),
        tf.math.mul(tf.math.sub(tf.constant(1f), z), candidate));
    return List.of(next);
  }
}
