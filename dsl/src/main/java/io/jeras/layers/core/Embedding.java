package io.jeras.layers.core;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.constraints.Constraint;
import io.jeras.initializers.Initializer;
import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.WeightConfig;
import io.jeras.layers.WeightSpec;
import io.jeras.regularizers.Regularizer;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code Embedding}: token ids (integers in {@code [0, inputDim)}, given as floats like
 * every Jeras input) turned into rows of a trainable {@code (inputDim, outputDim)} matrix,
 * {@code embeddings}: {@code (batch, steps)} becomes {@code (batch, steps, outputDim)}. Keras'
 * defaults: initializer {@code uniform} (-0.05, 0.05), no mask. With {@code maskZero(true)} id 0
 * is padding: the output carries a mask (false where the id is 0) that recurrent layers and
 * GlobalAveragePooling1D honour, so padded batches give what each sequence alone gives.
 *
 * <pre>{@code
 * Embedding.of(10_000, 64).maskZero(true)
 * }</pre>
 */
public final class Embedding extends Layer<Embedding> {
  private final int inputDim;
  private final int outputDim;
  private final boolean maskZero;
  private final WeightConfig embeddings;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Embedding(LayerOptions options, int inputDim, int outputDim, boolean maskZero,
      WeightConfig embeddings) {
    super(options);
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.maskZero = maskZero;
    this.embeddings = embeddings;
  }

  /** A vocabulary of {@code inputDim} ids, each a vector of {@code outputDim}. */
  public static Embedding of(int inputDim, int outputDim) {
    checkArgument(inputDim > 0 && outputDim > 0, "Both `input_dim` and `output_dim` should be"
        + " positive, Received input_dim = %s and output_dim = %s", inputDim, outputDim);
    return new Embedding(null, inputDim, outputDim, false,
        WeightConfig.of(Initializers.randomUniform()));
  }

  public int inputDim() {
    return inputDim;
  }

  public int outputDim() {
    return outputDim;
  }

  public boolean maskZero() {
    return maskZero;
  }

  /** Keras' {@code mask_zero}: id 0 is padding, masked out downstream. */
  public Embedding maskZero(boolean maskZero) {
    return toBuilder().maskZero(maskZero).build();
  }

  public Initializer embeddingsInitializer() {
    return embeddings.initializer();
  }

  public Regularizer embeddingsRegularizer() {
    return embeddings.regularizer();
  }

  public Constraint embeddingsConstraint() {
    return embeddings.constraint();
  }

  public Embedding embeddingsInitializer(Initializer initializer) {
    return toBuilder().embeddings(embeddings.withInitializer(initializer)).build();
  }

  public Embedding embeddingsInitializer(String initializer) {
    return embeddingsInitializer(Initializers.of(initializer));
  }

  public Embedding embeddingsRegularizer(Regularizer regularizer) {
    return toBuilder().embeddings(embeddings.withRegularizer(regularizer)).build();
  }

  public Embedding embeddingsConstraint(Constraint constraint) {
    return toBuilder().embeddings(embeddings.withConstraint(constraint)).build();
  }

  @Override
  protected Embedding withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() >= 1, "Embedding expects ids of rank 1 or more");
    long[] dims = new long[input.numDimensions() + 1];
    System.arraycopy(input.asArray(), 0, dims, 0, input.numDimensions());
    dims[dims.length - 1] = outputDim;
    return Shape.of(dims);
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    return List.of(embeddings.spec("embeddings", Shape.of(inputDim, outputDim), trainable()));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    Operand<TInt32> ids = tf.dtypes.cast(input, TInt32.class);
    if (maskZero) {
      context.setOutputMask(tf.math.notEqual(ids, tf.constant(0)));
    }
    return tf.gather(context.weight("embeddings"), ids, tf.constant(0));
  }
}
