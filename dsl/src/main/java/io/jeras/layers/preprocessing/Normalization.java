package io.jeras.layers.preprocessing;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.data.ArrayData;
import io.jeras.data.DataBatch;
import io.jeras.data.Dataset;
import io.jeras.initializers.Initializer;
import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.WeightSpec;
import io.jeras.utils.Shapes;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Normalization} preprocessing layer: {@code (x - mean) / max(sqrt(variance),
 * 1e-7)} with one mean and variance per position of the kept {@code axis} (default -1, one per
 * channel); with {@code invert(true)}, {@code mean + x * max(sqrt(variance), 1e-7)}.
 *
 * <p>The statistics are given ({@link #of(double[], double[])}: constants, no weights, as
 * ConvNeXt's and EfficientNetV2's built-in ImageNet preprocessing) or learned from data with
 * {@link #adapt(NdArray)} / {@link #adapt(Dataset)}, as Keras' {@code adapt} computes them: the
 * population mean and variance (divided by n) over every axis not kept, the batch axis
 * included. Jeras layers are immutable, so {@code adapt} returns a new layer whose weights start
 * from the adapted statistics: a model built with it normalizes with them, as a Keras layer
 * does once {@code adapt} has set its weights.
 *
 * <p>Without given statistics the layer has Keras' three non-trainable weights: {@code mean}
 * and {@code variance}, shaped by the sizes of the kept axes (zeros and ones until adapted),
 * and the scalar {@code count}. Keras keeps {@code count} for older saved models only: it is an
 * int64 that {@code adapt} leaves at 0. Jeras weights are float32, so {@code count} is a float
 * here; an export to Keras must write it as int64.
 *
 * <pre>{@code
 * Normalization.of().adapt(trainImages)                         // per channel
 * Normalization.of(new double[] {0.485, 0.456, 0.406},           // given, per channel
 *     new double[] {0.229 * 0.229, 0.224 * 0.224, 0.225 * 0.225})
 * }</pre>
 */
public final class Normalization extends Layer<Normalization> {
  /** Keras' {@code backend.epsilon()}: the smallest standard deviation divided by. */
  static final float EPSILON = 1e-7f;

  private final int[] axis;
  private final boolean invert;
  private final FloatNdArray mean;
  private final FloatNdArray variance;
  private final Adapted adapted;

  /**
   * Statistics {@code adapt} computed.
   *
   * @param rank the rank of the adapted data (batch included)
   * @param shape the sizes of the kept axes (the weights' shape)
   */
  private record Adapted(int rank, long[] shape, float[] mean, float[] variance) {}

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Normalization(LayerOptions options, int[] axis, boolean invert, FloatNdArray mean,
      FloatNdArray variance, Adapted adapted) {
    super(options);
    this.axis = axis;
    this.invert = invert;
    this.mean = mean;
    this.variance = variance;
    this.adapted = adapted;
  }

  /** A layer to {@link #adapt} (axis -1: one mean and variance per channel). */
  public static Normalization of() {
    return new Normalization(null, new int[] {-1}, false, null, null, null);
  }

  /** Given scalar statistics, for every value alike. */
  public static Normalization of(double mean, double variance) {
    return of(NdArrays.scalarOf((float) mean), NdArrays.scalarOf((float) variance));
  }

  /** Given statistics, one per position of the last kept axis (per channel by default). */
  public static Normalization of(double[] mean, double[] variance) {
    checkArgument(mean != null && variance != null, "When setting values directly, both `mean`"
        + " and `variance` must be set. Received: mean=%s and variance=%s",
        Arrays.toString(mean), Arrays.toString(variance));
    return of(vector(mean), vector(variance));
  }

  /**
   * Given statistics of any shape that broadcasts (NumPy's rules, aligned on the last axis) to
   * the input's sizes on the kept axes and 1 elsewhere.
   */
  public static Normalization of(FloatNdArray mean, FloatNdArray variance) {
    checkArgument(mean != null && variance != null, "When setting values directly, both `mean`"
        + " and `variance` must be set. Received: mean=%s and variance=%s", mean, variance);
    return new Normalization(null, new int[] {-1}, false, copy(mean), copy(variance), null);
  }

  private static FloatNdArray vector(double[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (float) values[i];
    }
    return NdArrays.wrap(Shape.of(floats.length), DataBuffers.of(floats, true, false));
  }

  private static FloatNdArray copy(FloatNdArray array) {
    FloatNdArray copy = NdArrays.ofFloats(array.shape());
    array.copyTo(copy);
    return copy;
  }

  /** The kept axes as given (negative counts from the end); empty for Keras' {@code None}. */
  public int[] axis() {
    return axis.clone();
  }

  /** Whether this layer undoes the normalization ({@code mean + x * std}). */
  public boolean invert() {
    return invert;
  }

  /** The given mean, or null when the statistics are weights. */
  public FloatNdArray mean() {
    return mean == null ? null : copy(mean);
  }

  /** The given variance, or null when the statistics are weights. */
  public FloatNdArray variance() {
    return variance == null ? null : copy(variance);
  }

  /** Whether {@link #adapt} computed this layer's initial statistics. */
  public boolean isAdapted() {
    return adapted != null;
  }

  /** The adapted mean (the {@code mean} weight's initial value), or null if not adapted. */
  public FloatNdArray adaptedMean() {
    return adapted == null ? null
        : NdArrays.wrap(Shape.of(adapted.shape), DataBuffers.of(adapted.mean.clone()));
  }

  /** The adapted variance (the {@code variance} weight's initial value), or null. */
  public FloatNdArray adaptedVariance() {
    return adapted == null ? null
        : NdArrays.wrap(Shape.of(adapted.shape), DataBuffers.of(adapted.variance.clone()));
  }

  /**
   * The axes kept (each gets its own statistics; default -1). An empty array is Keras' {@code
   * axis=None} ({@link #axisNone()}). The batch axis cannot be kept.
   */
  public Normalization axis(int... axis) {
    checkArgument(adapted == null, "the axis cannot change after adapt(); set it before");
    return toBuilder().axis(axis.clone()).adapted(null).build();
  }

  /** Keras' {@code axis=None}: no axis kept, one mean and variance for all values. */
  public Normalization axisNone() {
    return axis(new int[0]);
  }

  /** Whether to undo the normalization instead ({@code mean + x * std}; default false). */
  public Normalization invert(boolean invert) {
    return toBuilder().invert(invert).build();
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected Normalization withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  /** Keras' text of the axis tuple: {@code (-1,)}, {@code (1, 2)}, {@code ()}. */
  private String axisText() {
    return Arrays.stream(axis).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(",
        axis.length == 1 ? ",)" : ")"));
  }

  /** The kept axes, non-negative and sorted, checked against {@code input}. */
  private int[] keptAxes(Shape input) {
    int ndim = input.numDimensions();
    for (int a : axis) {
      checkArgument(a >= -ndim && a < ndim, "All `axis` values must be in the range [-ndim,"
          + " ndim). Received inputs with ndim=%s, while axis=%s", ndim, axisText());
    }
    int[] kept = Arrays.stream(axis).map(a -> a < 0 ? a + ndim : a).distinct().sorted()
        .toArray();
    for (int d : kept) {
      checkArgument(d > 0 && input.get(d) > 0, "All `axis` values to be kept must have a known"
          + " shape. Received axis=%s, inputs.shape=%s, with unknown axis at index %s",
          axisText(), Shapes.format(input), d);
    }
    return kept;
  }

  /** The input's sizes on the kept axes and 1 elsewhere. */
  private static long[] broadcastShape(Shape input, int[] kept) {
    long[] shape = new long[input.numDimensions()];
    Arrays.fill(shape, 1);
    for (int d : kept) {
      shape[d] = input.get(d);
    }
    return shape;
  }

  private static long[] keptShape(Shape input, int[] kept) {
    return Arrays.stream(kept).mapToLong(input::get).toArray();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    int[] kept = keptAxes(input);
    if (mean != null) {
      long[] target = broadcastShape(input, kept);
      checkBroadcast("mean", mean.shape(), target);
      checkBroadcast("variance", variance.shape(), target);
    } else if (adapted != null) {
      checkArgument(input.numDimensions() == adapted.rank
          && Arrays.equals(keptShape(input, kept), adapted.shape), "The layer was adapted to data"
          + " of rank %s with sizes %s on axis %s, but is applied to an input of shape %s",
          adapted.rank, Arrays.toString(adapted.shape), axisText(), Shapes.format(input));
    }
    return input;
  }

  /** NumPy's {@code broadcast_to(value, target)} must succeed. */
  private static void checkBroadcast(String name, Shape value, long[] target) {
    boolean ok = value.numDimensions() <= target.length;
    for (int i = 1; ok && i <= value.numDimensions(); i++) {
      long v = value.get(value.numDimensions() - i);
      long t = target[target.length - i];
      ok = v == 1 || v == t;
    }
    checkArgument(ok, "`%s` of shape %s cannot be broadcast to %s, the input's sizes on the"
        + " kept axes", name, Arrays.toString(value.asArray()), Arrays.toString(target));
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    if (mean != null) {
      return List.of();
    }
    Shape shape = Shape.of(keptShape(input, keptAxes(input)));
    Initializer meanInit = adapted == null ? Initializers.zeros() : new Values(adapted.mean);
    Initializer varianceInit = adapted == null ? Initializers.ones()
        : new Values(adapted.variance);
    return List.of(new WeightSpec("mean", shape, meanInit, null, false),
        new WeightSpec("variance", shape, varianceInit, null, false),
        new WeightSpec("count", Shape.scalar(), Initializers.zeros(), null, false));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    long[] broadcast = broadcastShape(input.shape(), keptAxes(input.shape()));
    Operand<TFloat32> m;
    Operand<TFloat32> v;
    if (mean != null) {
      m = tf.broadcastTo(tf.constant(mean), tf.constant(broadcast));
      v = tf.broadcastTo(tf.constant(variance), tf.constant(broadcast));
    } else {
      m = tf.reshape(context.weight("mean"), tf.constant(broadcast));
      v = tf.reshape(context.weight("variance"), tf.constant(broadcast));
    }
    Operand<TFloat32> std = tf.math.maximum(tf.math.sqrt(v), tf.constant(EPSILON));
    return invert ? tf.math.add(m, tf.math.mul(input, std))
        : tf.math.div(tf.math.sub(input, m), std);
  }

  // ---- adapt

  /**
   * Keras' {@code adapt} over an array of samples: a copy of this layer whose {@code mean} and
   * {@code variance} weights start from the data's mean and variance (divided by n) over every
   * axis not kept. Computed in double precision.
   *
   * @param data samples first; any numeric array
   */
  public Normalization adapt(NdArray<?> data) {
    checkAdaptable();
    ArrayData values = ArrayData.of(data);
    Moments moments = new Moments(keepLayout(data.shape()));
    moments.add(values);
    return adapted(data.shape().numDimensions(), moments);
  }

  /**
   * Keras' {@code adapt} over a dataset, batch by batch as Keras does: each batch's mean and
   * variance merged into the running ones, weighted by the number of values per statistic, the
   * variance by the lack-of-fit sum of squares, so the result is the population variance of all
   * the data. Reads one pass of the dataset's inputs (labels are ignored); the dataset must be
   * finite and have one input.
   */
  public Normalization adapt(Dataset data) {
    checkAdaptable();
    checkArgument(data.cardinality() >= 0, "adapt() needs a finite dataset; this one repeats"
        + " forever");
    KeepLayout layout = null;
    int rank = 0;
    double[] totalMean = null;
    double[] totalVariance = null;
    long totalCount = 0;
    try (Dataset.Pass pass = data.pass(0)) {
      while (pass.hasNext()) {
        DataBatch batch = pass.next();
        checkArgument(batch.x().size() == 1, "adapt() needs a dataset of one input, got inputs"
            + " %s", batch.x().keySet());
        NdArray<?> x = batch.x().values().iterator().next();
        Shape shape = x.shape();
        if (layout == null) {
          layout = keepLayout(shape);
          rank = shape.numDimensions();
          totalMean = new double[layout.size];
          totalVariance = new double[layout.size];
        } else {
          checkArgument(shape.numDimensions() == rank && Arrays.equals(keptShape(shape,
              layout.kept), layout.shape), "adapt() yielded a batch with incompatible shape."
              + " Expected sizes %s on axis %s, got %s", Arrays.toString(layout.shape),
              axisText(), Arrays.toString(shape.asArray()));
        }
        Moments batchMoments = new Moments(layout);
        batchMoments.add(ArrayData.of(x));
        long batchCount = batchMoments.countPerStatistic();
        totalCount += batchCount;
        double batchWeight = (double) batchCount / totalCount;
        double existingWeight = 1 - batchWeight;
        double[] batchMean = batchMoments.mean();
        double[] batchVariance = batchMoments.variance();
        for (int k = 0; k < layout.size; k++) {
          double newMean = totalMean[k] * existingWeight + batchMean[k] * batchWeight;
          double oldShift = totalMean[k] - newMean;
          double batchShift = batchMean[k] - newMean;
          totalVariance[k] = (totalVariance[k] + oldShift * oldShift) * existingWeight
              + (batchVariance[k] + batchShift * batchShift) * batchWeight;
          totalMean[k] = newMean;
        }
      }
    }
    checkArgument(layout != null, "adapt() received an empty dataset (no batches)");
    return toBuilder().mean(null).variance(null)
        .adapted(new Adapted(rank, layout.shape, floats(totalMean), floats(totalVariance)))
        .build();
  }

  private void checkAdaptable() {
    if (mean != null) {
      throw new IllegalStateException("adapt() computes the statistics of a Normalization layer"
          + " without given mean and variance; this one was given them");
    }
  }

  private Normalization adapted(int rank, Moments moments) {
    return toBuilder().mean(null).variance(null).adapted(new Adapted(rank,
        moments.layout.shape, floats(moments.mean()), floats(moments.variance()))).build();
  }

  private static float[] floats(double[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }

  /** Where each value of a sample goes: the index of its statistic. */
  private KeepLayout keepLayout(Shape dataShape) {
    checkArgument(dataShape.numDimensions() >= 1, "adapt() needs samples first, got a scalar");
    long[] dims = dataShape.asArray();
    dims[0] = Shape.UNKNOWN_SIZE;
    Shape input = Shape.of(dims);
    int[] kept = keptAxes(input);
    long[] shape = keptShape(input, kept);
    int rank = dataShape.numDimensions();
    int sampleSize = Math.toIntExact(Shapes.sampleSize(dataShape));
    int[] statistic = new int[sampleSize];
    for (int p = 0; p < sampleSize; p++) {
      // p's coordinates on axes 1..rank-1, and its index among the kept ones (row-major)
      int rest = p;
      int index = 0;
      int stride = 1;
      for (int d = rank - 1; d >= 1; d--) {
        int size = Math.toIntExact(dataShape.get(d));
        int coordinate = rest % size;
        rest /= size;
        int k = Arrays.binarySearch(kept, d);
        if (k >= 0) {
          index += coordinate * stride;
          stride *= size;
        }
      }
      statistic[p] = index;
    }
    return new KeepLayout(kept, shape, Math.toIntExact(Shape.of(shape).size()), statistic);
  }

  /** The kept axes of the data, their sizes, and each sample position's statistic. */
  private record KeepLayout(int[] kept, long[] shape, int size, int[] statistic) {}

  /** Per-statistic mean and population variance of arrays of samples, in double. */
  private static final class Moments {
    private final KeepLayout layout;
    private final double[] sum;
    private final double[] squares;
    private long samples;

    Moments(KeepLayout layout) {
      this.layout = layout;
      this.sum = new double[layout.size];
      this.squares = new double[layout.size];
    }

    /** Adds every sample of {@code data} (two passes: the mean, then the deviations). */
    void add(ArrayData data) {
      checkArgument(samples == 0, "one array per Moments");
      int sampleSize = layout.statistic.length;
      long n = data.shape().size();
      for (long i = 0; i < n; i++) {
        sum[layout.statistic[(int) (i % sampleSize)]] += data.get(i);
      }
      samples = data.size();
      double[] mean = mean();
      for (long i = 0; i < n; i++) {
        int k = layout.statistic[(int) (i % sampleSize)];
        double d = data.get(i) - mean[k];
        squares[k] += d * d;
      }
    }

    /** Values per statistic: samples times the sizes of the reduced axes within a sample. */
    long countPerStatistic() {
      return samples * (layout.statistic.length / layout.size);
    }

    double[] mean() {
      double[] mean = new double[sum.length];
      long count = countPerStatistic();
      for (int k = 0; k < mean.length; k++) {
        mean[k] = sum[k] / count;
      }
      return mean;
    }

    double[] variance() {
      double[] variance = new double[squares.length];
      long count = countPerStatistic();
      for (int k = 0; k < variance.length; k++) {
        variance[k] = squares[k] / count;
      }
      return variance;
    }
  }

  /** An adapted statistic as a weight's initial value. */
  private record Values(float[] values) implements Initializer {
    @Override
    public float[] generate(Shape shape, long seed) {
      checkArgument(shape.size() == values.length, "adapted statistics hold %s values, the"
          + " weight %s", values.length, shape);
      return values.clone();
    }

    @Override
    public String kerasName() {
      return "constant";
    }
  }
}
