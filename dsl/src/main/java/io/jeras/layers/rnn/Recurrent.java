package io.jeras.layers.rnn;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.activations.Activations;
import io.jeras.constraints.Constraint;
import io.jeras.initializers.Initializer;
import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.regularizers.Regularizer;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What Keras' recurrent layers share ({@link SimpleRNN}, {@link LSTM}, {@link GRU}): a cell
 * stepped over the time axis of {@code (batch, steps, features)}, returning the last output
 * {@code (batch, units)} or, with {@code returnSequences}, every step's {@code (batch, steps,
 * units)}.
 *
 * <p><b>Unrolled.</b> TensorFlow has no C++ gradient for its {@code While} loop, which TensorFlow
 * Java's gradients need, so the steps are unrolled into the graph (Keras' {@code unroll=True}):
 * the number of steps must be known when the model is built, and the graph grows with it. The
 * input projection of every step is one matrix product before the loop; each step adds only
 * the recurrent product. Variable-length sequences are padded to that length and masked
 * ({@code Embedding.maskZero}, {@code Masking}): a masked step keeps the state and repeats the
 * previous output, as Keras does, so a padded batch gives each sequence's own result.
 *
 * <p>{@code dropout} and {@code recurrentDropout} drop inputs and recurrent state in training
 * with one mask per sequence, shared by all steps, as Keras does. Not supported:
 * {@code return_state}, {@code stateful} and initial states (a Jeras layer has one input and one
 * output), and computing in a mixed-precision type (the layer says so; give it {@code
 * dtype("float32")}).
 */
public abstract class Recurrent<L extends Recurrent<L>> extends Layer<L> {
  protected final RecurrentSettings rnn;

  protected Recurrent(LayerOptions options, RecurrentSettings rnn) {
    super(options);
    checkArgument(rnn.units() > 0, "Received an invalid value for argument `units`, expected a"
        + " positive integer, got %s.", rnn.units());
    this.rnn = rnn;
  }

  /** A copy with other settings. */
  protected abstract L with(LayerOptions options, RecurrentSettings rnn);

  /** The number of states (1; LSTM: 2, output and cell). */
  protected int stateCount() {
    return 1;
  }

  /** The kernel's column blocks: 1, LSTM 4, GRU 3. */
  protected abstract int gates();

  /** The bias added to the input projection of every step (null: none). */
  protected Operand<TFloat32> inputBias(Ops tf, CallContext context) {
    return rnn.useBias() ? context.weight("bias") : null;
  }

  /**
   * One step: the new states (the first is the step's output) from the step's input projection
   * {@code xw} ({@code x_t . kernel + input bias}) and the previous states.
   */
  protected abstract List<Operand<TFloat32>> step(Ops tf, CallContext context,
      Operand<TFloat32> xw, List<Operand<TFloat32>> states);

  public int units() {
    return rnn.units();
  }

  public Activations activation() {
    return rnn.activation();
  }

  public boolean useBias() {
    return rnn.useBias();
  }

  public double dropout() {
    return rnn.dropout();
  }

  public double recurrentDropout() {
    return rnn.recurrentDropout();
  }

  public boolean returnSequences() {
    return rnn.returnSequences();
  }

  public boolean goBackwards() {
    return rnn.goBackwards();
  }

  /** Whether masked steps output zeros (Bidirectional's sequences) instead of repeating. */
  public boolean zeroOutputForMask() {
    return rnn.zeroOutputForMask();
  }

  public Initializer kernelInitializer() {
    return rnn.kernel().initializer();
  }

  public Initializer recurrentInitializer() {
    return rnn.recurrentKernel().initializer();
  }

  public Initializer biasInitializer() {
    return rnn.bias().initializer();
  }

  public Regularizer kernelRegularizer() {
    return rnn.kernel().regularizer();
  }

  public Regularizer recurrentRegularizer() {
    return rnn.recurrentKernel().regularizer();
  }

  public Regularizer biasRegularizer() {
    return rnn.bias().regularizer();
  }

  public Constraint kernelConstraint() {
    return rnn.kernel().constraint();
  }

  public Constraint recurrentConstraint() {
    return rnn.recurrentKernel().constraint();
  }

  public Constraint biasConstraint() {
    return rnn.bias().constraint();
  }

  public L activation(Activations activation) {
    return with(options, rnn.withActivation(activation));
  }

  public L activation(String activation) {
    return activation(Activations.of(activation));
  }

  public L useBias(boolean useBias) {
    return with(options, rnn.withUseBias(useBias));
  }

  /** Keras' {@code dropout}: the share of input features dropped in training. */
  public L dropout(double dropout) {
    checkArgument(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got %s", dropout);
    return with(options, rnn.withDropout(dropout));
  }

  /** Keras' {@code recurrent_dropout}: the share of the recurrent state dropped in training. */
  public L recurrentDropout(double dropout) {
    checkArgument(dropout >= 0 && dropout < 1, "recurrent_dropout must be in [0, 1), got %s",
        dropout);
    return with(options, rnn.withRecurrentDropout(dropout));
  }

  /** Keras' {@code return_sequences}: every step's output, not only the last. */
  public L returnSequences(boolean returnSequences) {
    return with(options, rnn.withReturnSequences(returnSequences));
  }

  /** Keras' {@code go_backwards}: the sequence read from its end (outputs in that order). */
  public L goBackwards(boolean goBackwards) {
    return with(options, rnn.withGoBackwards(goBackwards));
  }

  /** Keras' {@code zero_output_for_mask}. */
  public L zeroOutputForMask(boolean zeroOutputForMask) {
    return with(options, rnn.withZeroOutputForMask(zeroOutputForMask));
  }

  public L kernelInitializer(Initializer initializer) {
    return with(options, rnn.withKernel(rnn.kernel().withInitializer(initializer)));
  }

  public L kernelInitializer(String initializer) {
    return kernelInitializer(Initializers.of(initializer));
  }

  public L recurrentInitializer(Initializer initializer) {
    return with(options, rnn.withRecurrentKernel(rnn.recurrentKernel()
        .withInitializer(initializer)));
  }

  public L recurrentInitializer(String initializer) {
    return recurrentInitializer(Initializers.of(initializer));
  }

  public L biasInitializer(Initializer initializer) {
    return with(options, rnn.withBias(rnn.bias().withInitializer(initializer)));
  }

  public L biasInitializer(String initializer) {
    return biasInitializer(Initializers.of(initializer));
  }

  public L kernelRegularizer(Regularizer regularizer) {
    return with(options, rnn.withKernel(rnn.kernel().withRegularizer(regularizer)));
  }

  public L recurrentRegularizer(Regularizer regularizer) {
    return with(options, rnn.withRecurrentKernel(rnn.recurrentKernel()
        .withRegularizer(regularizer)));
  }

  public L biasRegularizer(Regularizer regularizer) {
    return with(options, rnn.withBias(rnn.bias().withRegularizer(regularizer)));
  }

  public L kernelConstraint(Constraint constraint) {
    return with(options, rnn.withKernel(rnn.kernel().withConstraint(constraint)));
  }

  public L recurrentConstraint(Constraint constraint) {
    return with(options, rnn.withRecurrentKernel(rnn.recurrentKernel()
        .withConstraint(constraint)));
  }

  public L biasConstraint(Constraint constraint) {
    return with(options, rnn.withBias(rnn.bias().withConstraint(constraint)));
  }

  @Override
  protected L withOptions(LayerOptions options) {
    return with(options, rnn);
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 3, "%s expects 3-D input (batch, steps, features),"
        + " got rank %s", className(), input.numDimensions());
    checkArgument(input.get(1) > 0, "%s needs a known number of steps (it is unrolled), got"
        + " %s: import with KerasModels.loader().sequenceLength(n), or pad sequences to one"
        + " length and mask the padding (Embedding.maskZero)", className(),
        Shapes.format(input));
    checkArgument(Shapes.last(input) > 0, "the number of input features must be known");
    return rnn.returnSequences() ? Shape.of(input.get(0), input.get(1), rnn.units())
        : Shape.of(input.get(0), rnn.units());
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    checkArgument(input.type() == TFloat32.class, "%s computes in float32 only; under a mixed"
        + " precision policy give it its own: %s.dtype(\"float32\")", className(),
        className());
    Ops tf = context.tf();
    int steps = (int) input.shape().get(1);
    long features = Shapes.last(input.shape());
    int units = rnn.units();
    Operand<TFloat32> x = input;
    if (context.training() && rnn.dropout() > 0) {
      x = tf.math.mul(x, tf.expandDims(dropoutMask(tf, context, x, features, rnn.dropout(), 0),
          tf.constant(1)));
    }
    // every step's input projection at once: (batch * steps, features) . kernel
    Operand<TFloat32> xw = tf.linalg.matMul(tf.reshape(x, tf.constant(new long[] {-1, features})),
        context.weight("kernel"));
    Operand<TFloat32> bias = inputBias(tf, context);
    if (bias != null) {
      xw = tf.math.add(xw, bias);
    }
    xw = tf.reshape(xw, tf.constant(new long[] {-1, steps, (long) gates() * units}));
    List<Operand<TFloat32>> inputs = new ArrayList<>(tf.unstack(xw, (long) steps,
        org.tensorflow.op.core.Unstack.axis(1L)).output());
    Operand<TBool> mask = context.inputMask();
    List<Operand<TFloat32>> masks = mask == null ? null : new ArrayList<>(tf.unstack(
        tf.dtypes.cast(tf.expandDims(mask, tf.constant(-1)), TFloat32.class), (long) steps,
        org.tensorflow.op.core.Unstack.axis(1L)).output());
    if (rnn.goBackwards()) {
      Collections.reverse(inputs);
      if (masks != null) {
        Collections.reverse(masks);
      }
    }
    Operand<TFloat32> zeros = tf.fill(tf.stack(List.of(
        tf.gather(tf.shape(input), tf.constant(0), tf.constant(0)), tf.constant(units))),
        tf.constant(0f));
    List<Operand<TFloat32>> states = new ArrayList<>(Collections.nCopies(stateCount(), zeros));
    Operand<TFloat32> recurrentMask = context.training() && rnn.recurrentDropout() > 0
        ? dropoutMask(tf, context, input, units, rnn.recurrentDropout(), 1) : null;
    List<Operand<TFloat32>> outputs = new ArrayList<>(steps);
    Operand<TFloat32> previous = zeros;
    for (int t = 0; t < steps; t++) {
      List<Operand<TFloat32>> current = states;
      if (recurrentMask != null) {
        current = new ArrayList<>(states);
        current.set(0, tf.math.mul(states.get(0), recurrentMask));
      }
      List<Operand<TFloat32>> next = step(tf, context, inputs.get(t), current);
      Operand<TFloat32> output = next.get(0);
      if (masks != null) {
        // Keras: a masked step keeps the states and repeats the previous output (or zeros)
        Operand<TFloat32> keep = masks.get(t);
        Operand<TFloat32> skip = tf.math.sub(tf.constant(1f), keep);
        output = blend(tf, keep, skip, output, rnn.zeroOutputForMask() ? null : previous);
        List<Operand<TFloat32>> kept = new ArrayList<>();
        for (int s = 0; s < next.size(); s++) {
          kept.add(blend(tf, keep, skip, next.get(s), states.get(s)));
        }
        next = kept;
      }
      states = next;
      outputs.add(output);
      previous = output;
    }
    if (!rnn.returnSequences()) {
      return previous;
    }
    if (mask != null) {
      context.setOutputMask(mask);
    }
    return tf.stack(outputs, org.tensorflow.op.core.Stack.axis(1L));
  }

  /** {@code keep * value + skip * otherwise} (otherwise null: zeros). */
  private static Operand<TFloat32> blend(Ops tf, Operand<TFloat32> keep, Operand<TFloat32> skip,
      Operand<TFloat32> value, Operand<TFloat32> otherwise) {
    Operand<TFloat32> kept = tf.math.mul(keep, value);
    return otherwise == null ? kept : tf.math.add(kept, tf.math.mul(skip, otherwise));
  }

  /** A {@code (batch, size)} mask of kept (scaled) and dropped features, one per sequence. */
  private static Operand<TFloat32> dropoutMask(Ops tf, CallContext context,
      Operand<TFloat32> like, long size, double rate, int stream) {
    long seed = context.seed() + stream;
    Operand<TInt32> shape = tf.stack(List.of(
        tf.gather(tf.shape(like), tf.constant(0), tf.constant(0)), tf.constant((int) size)));
    Operand<TFloat32> random = tf.random.randomUniform(shape, TFloat32.class,
        RandomUniform.seed(seed), RandomUniform.seed2(seed >>> 1));
    return tf.math.mul(tf.dtypes.cast(tf.math.greaterEqual(random, tf.constant((float) rate)),
        TFloat32.class), tf.constant((float) (1 / (1 - rate))));
  }

  /** {@code x . recurrentKernel} for a step's state. */
  protected static Operand<TFloat32> recurrent(Ops tf, CallContext context,
      Operand<TFloat32> h) {
    return tf.linalg.matMul(h, context.weight("recurrent_kernel"));
  }

  /** Column block {@code block} of {@code gates} equal blocks of a {@code (batch, n)} value. */
  protected static Operand<TFloat32> block(Ops tf, Operand<TFloat32> value, int block,
      int units) {
    return tf.slice(value, tf.constant(new int[] {0, block * units}),
        tf.constant(new int[] {-1, units}));
  }

  @Override
  public boolean propagatesMask() {
    return false; // the call sets its output's mask itself (only with returnSequences)
  }
}
