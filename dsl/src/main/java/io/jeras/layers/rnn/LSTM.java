package io.jeras.layers.rnn;

import io.jeras.activations.Activations;
import io.jeras.initializers.Initializer;
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
 * Keras' {@code LSTM} (Hochreiter and Schmidhuber 1997): with {@code z = x_t . kernel + h .
 * recurrent_kernel + bias} cut into the gates i, f, c, o (Keras' order), {@code c_t = f c_{t-1}
 * + i tanh(z_c)} and {@code h_t = o tanh(c_t)}, the gates through {@code recurrentActivation}
 * (sigmoid). Weights {@code kernel (features, 4 units)}, {@code recurrent_kernel (units, 4
 * units)}, {@code bias (4 units)}, whose forget-gate part starts at 1 ({@code unit_forget_bias},
 * Keras' default). Unrolled over the steps (see {@link Recurrent}).
 *
 * <pre>{@code
 * LSTM.of(64).returnSequences(true)
 * }</pre>
 */
public final class LSTM extends Recurrent<LSTM> {
  private final boolean unitForgetBias;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private LSTM(LayerOptions options, RecurrentSettings rnn, boolean unitForgetBias) {
    super(options, rnn);
    this.unitForgetBias = unitForgetBias;
  }

  /** {@code units} units with Keras' defaults. */
  public static LSTM of(int units) {
    return new LSTM(null, RecurrentSettings.defaults(units, Activations.SIGMOID), true);
  }

  @Override
  protected LSTM with(LayerOptions options, RecurrentSettings rnn) {
    return toBuilder().options(options).rnn(rnn).build();
  }

  public Activations recurrentActivation() {
    return rnn.recurrentActivation();
  }

  /** Keras' {@code recurrent_activation} (the gates'; default sigmoid). */
  public LSTM recurrentActivation(Activations activation) {
    return with(options, rnn.withRecurrentActivation(activation));
  }

  public LSTM recurrentActivation(String activation) {
    return recurrentActivation(Activations.of(activation));
  }

  public boolean unitForgetBias() {
    return unitForgetBias;
  }

  /** Keras' {@code unit_forget_bias}: the forget gate's bias starts at 1. */
  public LSTM unitForgetBias(boolean unitForgetBias) {
    return toBuilder().unitForgetBias(unitForgetBias).build();
  }

  @Override
  protected int stateCount() {
    return 2;
  }

  @Override
  protected int gates() {
    return 4;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    int units = rnn.units();
    List<WeightSpec> weights = new ArrayList<>(3);
    weights.add(rnn.kernel().spec("kernel", Shape.of(Shapes.last(input), 4L * units),
        trainable()));
    weights.add(rnn.recurrentKernel().spec("recurrent_kernel", Shape.of(units, 4L * units),
        trainable()));
    if (rnn.useBias()) {
      WeightSpec bias = rnn.bias().spec("bias", Shape.of(4L * units), trainable());
      if (unitForgetBias) {
        bias = new WeightSpec(bias.name(), bias.shape(),
            new ForgetGateOnes(bias.initializer(), units), bias.regularizer(),
            bias.constraint(), bias.trainable());
      }
      weights.add(bias);
    }
    return weights;
  }

  @Override
  protected List<Operand<TFloat32>> step(Ops tf, CallContext context, Operand<TFloat32> xw,
      List<Operand<TFloat32>> states) {
    int units = rnn.units();
    Activations gate = rnn.recurrentActivation();
    Operand<TFloat32> z = tf.math.add(xw, recurrent(tf, context, states.get(0)));
    Operand<TFloat32> i = gate.apply(tf, block(tf, z, 0, units));
    Operand<TFloat32> f = gate.apply(tf, block(tf, z, 1, units));
    Operand<TFloat32> candidate = rnn.activation().apply(tf, block(tf, z, 2, units));
    Operand<TFloat32> o = gate.apply(tf, block(tf, z, 3, units));
    Operand<TFloat32> c = tf.math.add(tf.math.mul(f, states.get(1)), tf.math.mul(i, candidate));
    Operand<TFloat32> h = tf.math.mul(o, rnn.activation().apply(tf, c));
    return List.of(h, c);
  }

  /**
   * Keras' bias with {@code unit_forget_bias}: the bias initializer's values for the input
   * gate, ones for the forget gate, the initializer's again for the cell and output gates.
   */
  private record ForgetGateOnes(Initializer base, int units) implements Initializer {
    @Override
    public float[] generate(Shape shape, long seed) {
      float[] input = base.generate(Shape.of(units), seed);
      float[] rest = base.generate(Shape.of(2L * units), seed + 1);
      float[] values = new float[4 * units];
      System.arraycopy(input, 0, values, 0, units);
      java.util.Arrays.fill(values, units, 2 * units, 1f);
      System.arraycopy(rest, 0, values, 2 * units, 2 * units);
      return values;
    }

    @Override
    public Long seed() {
      return base.seed();
    }

    @Override
    public String kerasName() {
      return base.kerasName();
    }
  }
}
