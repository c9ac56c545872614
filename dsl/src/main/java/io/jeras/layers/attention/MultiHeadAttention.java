package io.jeras.layers.attention;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.initializers.Initializer;
import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.WeightConfig;
import io.jeras.layers.WeightSpec;
import io.jeras.layers.regularization.Dropout;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code MultiHeadAttention} (Vaswani et al. 2017): {@code numHeads} heads attend from the
 * query sequence to the value sequence (the key is the value): queries, keys and values projected
 * to {@code keyDim} ({@code valueDim}) per head, scaled dot products softmaxed over the value
 * steps, the heads' results projected back to the query's features. Applied to {@code (query,
 * value)}: {@code mha.apply(x, x)} is self-attention. Weights as Keras names and shapes them:
 * {@code query/kernel (features, heads, keyDim)}, {@code query/bias (heads, keyDim)}, the same
 * for {@code key} and {@code value}, {@code attention_output/kernel (heads, valueDim,
 * features)} and its bias.
 *
 * <p>Masks as Keras: a padded query (Embedding's {@code mask_zero}) in self-attention masks both
 * the queries and the attended steps; {@code useCausalMask} lets step t attend only to steps up
 * to t (a decoder). {@code dropout} drops attention weights in training. Not supported: a key
 * different from the value, a separate mask on a different value input, {@code
 * attention_axes}, {@code output_shape}, returning the scores.
 *
 * <pre>{@code
 * KerasTensor attended = MultiHeadAttention.of(4, 16).apply(x, x);
 * }</pre>
 */
public final class MultiHeadAttention extends Layer<MultiHeadAttention> {
  private final int numHeads;
  private final int keyDim;
  private final Integer valueDim;
  private final double dropout;
  private final boolean useBias;
  private final boolean useCausalMask;
  private final WeightConfig kernel;
  private final WeightConfig bias;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private MultiHeadAttention(LayerOptions options, int numHeads, int keyDim, Integer valueDim,
      double dropout, boolean useBias, boolean useCausalMask, WeightConfig kernel,
      WeightConfig bias) {
    super(options);
    this.numHeads = numHeads;
    this.keyDim = keyDim;
    this.valueDim = valueDim;
    this.dropout = dropout;
    this.useBias = useBias;
    this.useCausalMask = useCausalMask;
    this.kernel = kernel;
    this.bias = bias;
  }

  /** {@code numHeads} heads of {@code keyDim}, with Keras' defaults. */
  public static MultiHeadAttention of(int numHeads, int keyDim) {
    checkArgument(numHeads > 0 && keyDim > 0, "num_heads and key_dim must be positive, got %s"
        + " and %s", numHeads, keyDim);
    return new MultiHeadAttention(null, numHeads, keyDim, null, 0, true, false,
        WeightConfig.of(Initializers.glorotUniform()), WeightConfig.of(Initializers.zeros()));
  }

  public int numHeads() {
    return numHeads;
  }

  public int keyDim() {
    return keyDim;
  }

  /** The values' size per head ({@code keyDim} unless set). */
  public int valueDim() {
    return valueDim != null ? valueDim : keyDim;
  }

  /** Whether the value size was set (Keras' {@code value_dim} not None). */
  public boolean hasValueDim() {
    return valueDim != null;
  }

  public double dropout() {
    return dropout;
  }

  public boolean useBias() {
    return useBias;
  }

  public boolean useCausalMask() {
    return useCausalMask;
  }

  public Initializer kernelInitializer() {
    return kernel.initializer();
  }

  public Initializer biasInitializer() {
    return bias.initializer();
  }

  public MultiHeadAttention valueDim(int valueDim) {
    checkArgument(valueDim > 0, "value_dim must be positive, got %s", valueDim);
    return toBuilder().valueDim(valueDim).build();
  }

  /** Keras' {@code dropout} on the attention weights, in training. */
  public MultiHeadAttention dropout(double dropout) {
    Dropout.of(dropout); // Keras' check of the rate
    return toBuilder().dropout(dropout).build();
  }

  public MultiHeadAttention useBias(boolean useBias) {
    return toBuilder().useBias(useBias).build();
  }

  /** Keras' call argument {@code use_causal_mask}: each step attends only to earlier ones. */
  public MultiHeadAttention useCausalMask(boolean useCausalMask) {
    return toBuilder().useCausalMask(useCausalMask).build();
  }

  public MultiHeadAttention kernelInitializer(Initializer initializer) {
    return toBuilder().kernel(kernel.withInitializer(initializer)).build();
  }

  public MultiHeadAttention biasInitializer(Initializer initializer) {
    return toBuilder().bias(bias.withInitializer(initializer)).build();
  }

  /** Keras' {@code supports_masking}: the output keeps the query's mask. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected MultiHeadAttention withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return computeOutputShape(List.of(input, input));
  }

  @Override
  protected Shape computeOutputShape(List<Shape> inputs) {
    checkArgument(inputs.size() == 2, "MultiHeadAttention takes (query, value), got %s inputs",
        inputs.size());
    Shape query = inputs.get(0);
    Shape value = inputs.get(1);
    checkArgument(query.numDimensions() == 3 && value.numDimensions() == 3, "MultiHeadAttention"
        + " expects (batch, steps, features) query and value, got %s and %s",
        Shapes.format(query), Shapes.format(value));
    checkArgument(Shapes.last(query) > 0 && Shapes.last(value) > 0,
        "the number of features must be known");
    return query;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    return weights(List.of(input, input));
  }

  @Override
  public List<WeightSpec> weights(List<Shape> inputs) {
    long queryFeatures = Shapes.last(inputs.get(0));
    long valueFeatures = Shapes.last(inputs.get(1));
    List<WeightSpec> weights = new ArrayList<>();
    projection(weights, "query", queryFeatures, keyDim);
    projection(weights, "key", valueFeatures, keyDim);
    projection(weights, "value", valueFeatures, valueDim());
    weights.add(kernel.spec("attention_output/kernel", Shape.of(numHeads, valueDim(),
        queryFeatures), trainable()));
    if (useBias) {
      weights.add(bias.spec("attention_output/bias", Shape.of(queryFeatures), trainable()));
    }
    return weights;
  }

  private void projection(List<WeightSpec> weights, String name, long features, int size) {
    weights.add(kernel.spec(name + "/kernel", Shape.of(features, numHeads, size), trainable()));
    if (useBias) {
      weights.add(bias.spec(name + "/bias", Shape.of(numHeads, size), trainable()));
    }
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    return call(context, List.of(input, input));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, List<Operand<TFloat32>> inputs) {
    Ops tf = context.tf();
    Operand<TFloat32> query = inputs.get(0);
    Operand<TFloat32> value = inputs.get(1);
    long queryFeatures = Shapes.last(query.shape());
    // (batch, heads, steps, size), the query scaled by 1 / sqrt(key_dim) as Keras scales it
    Operand<TFloat32> q = tf.math.mul(heads(tf, context, "query", query, keyDim),
        tf.constant((float) (1 / Math.sqrt(keyDim))));
    Operand<TFloat32> k = heads(tf, context, "key", value, keyDim);
    Operand<TFloat32> v = heads(tf, context, "value", value, valueDim());
    Operand<TFloat32> scores = batchMatMul(tf, "scores", q, k, true);
    Operand<TBool> mask = attentionMask(tf, context, query, value, inputs.get(0) == inputs.get(1));
    if (mask != null) {
      // Keras' masked softmax: -1e9 added where a step may not be attended
      scores = tf.math.add(scores, tf.math.mul(tf.math.sub(tf.constant(1f),
          tf.dtypes.cast(tf.expandDims(mask, tf.constant(1)), TFloat32.class)),
          tf.constant(-1e9f)));
    }
    Operand<TFloat32> weights = tf.nn.softmax(scores);
    if (dropout > 0) {
      weights = Dropout.of(dropout).call(context, weights);
    }
    // (batch, heads, query steps, value size) -> (batch, query steps, heads * value size)
    Operand<TFloat32> attended = tf.linalg.transpose(batchMatMul(tf, "attend", weights, v, false),
        tf.constant(new int[] {0, 2, 1, 3}));
    attended = tf.reshape(attended, tf.constant(new long[] {-1, (long) numHeads * valueDim()}));
    Operand<TFloat32> output = tf.linalg.matMul(attended, tf.reshape(
        context.weight("attention_output/kernel"),
        tf.constant(new long[] {(long) numHeads * valueDim(), queryFeatures})));
    if (useBias) {
      output = tf.math.add(output, context.weight("attention_output/bias"));
    }
    return tf.reshape(output, sequenceShape(tf, query, (int) queryFeatures));
  }

  /** {@code (batch, steps of x, last...)}: static where x's steps are known. */
  private static Operand<org.tensorflow.types.TInt32> sequenceShape(Ops tf, Operand<TFloat32> x,
      int... last) {
    long steps = x.shape().get(1);
    int[] tail = new int[last.length + 2];
    tail[0] = -1;
    tail[1] = (int) steps;
    System.arraycopy(last, 0, tail, 2, last.length);
    if (steps > 0) {
      return tf.constant(tail);
    }
    return tf.concat(List.of(tf.slice(tf.shape(x), tf.constant(new int[] {0}),
        tf.constant(new int[] {2})), tf.constant(java.util.Arrays.copyOfRange(tail, 2,
        tail.length))), tf.constant(0));
  }

  /**
   * TensorFlow's {@code BatchMatMulV2}, the op {@code tf.matmul} emits for batches of float32
   * matrices (TensorFlow Java's builder emits {@code BatchMatMulV3}), {@code b} transposed with
   * {@code adjointB}.
   */
  private static Operand<TFloat32> batchMatMul(Ops tf, String name, Operand<TFloat32> a,
      Operand<TFloat32> b, boolean adjointB) {
    return tf.scope().opBuilder("BatchMatMulV2", name).addInput(a.asOutput())
        .addInput(b.asOutput()).setAttr("adj_x", false).setAttr("adj_y", adjointB).build()
        .output(0);
  }

  /** {@code x} projected by weight {@code name} into (batch, heads, steps, size). */
  private Operand<TFloat32> heads(Ops tf, CallContext context, String name, Operand<TFloat32> x,
      int size) {
    long features = Shapes.last(x.shape());
    Operand<TFloat32> flat = tf.linalg.matMul(tf.reshape(x, tf.constant(new long[] {-1,
        features})), tf.reshape(context.weight(name + "/kernel"),
        tf.constant(new long[] {features, (long) numHeads * size})));
    if (useBias) {
      flat = tf.math.add(flat, tf.reshape(context.weight(name + "/bias"),
          tf.constant(new long[] {(long) numHeads * size})));
    }
    Operand<TFloat32> split = tf.reshape(flat, sequenceShape(tf, x, numHeads, size));
    return tf.linalg.transpose(split, tf.constant(new int[] {0, 2, 1, 3}));
  }

  /**
   * Keras' attention mask {@code (batch, query steps, value steps)}: the query's Keras mask for
   * the queries and, in self-attention, for the attended steps; the causal mask; null if none.
   */
  private Operand<TBool> attentionMask(Ops tf, CallContext context, Operand<TFloat32> query,
      Operand<TFloat32> value, boolean selfAttention) {
    Operand<TBool> mask = null;
    Operand<TBool> queryMask = context.inputMask();
    if (queryMask != null) {
      mask = tf.expandDims(queryMask, tf.constant(-1));
      if (selfAttention) {
        mask = tf.math.logicalAnd(mask, tf.expandDims(queryMask, tf.constant(-2)));
      }
    }
    if (useCausalMask) {
      long steps = query.shape().get(1);
      long valueSteps = value.shape().get(1);
      checkArgument(steps > 0 && valueSteps > 0, "a causal mask needs known numbers of steps");
      boolean[][] lower = new boolean[(int) steps][(int) valueSteps];
      for (int i = 0; i < steps; i++) {
        for (int j = 0; j <= Math.min(i, valueSteps - 1); j++) {
          lower[i][j] = true;
        }
      }
      Operand<TBool> causal = tf.expandDims(tf.constant(lower), tf.constant(0));
      mask = mask == null ? causal : tf.math.logicalAnd(mask, causal);
    }
    return mask;
  }
}
