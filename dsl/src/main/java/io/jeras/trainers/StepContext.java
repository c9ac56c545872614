package io.jeras.trainers;

import io.jeras.losses.Loss;
import io.jeras.losses.Prediction;
import io.jeras.models.Model;
import io.jeras.optimizers.Optimizer;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What a {@link TrainStep} builds with: the batch, forward passes of the step's models, Keras'
 * losses, {@link #minimize} and {@link #log}. Everything compiles into one TensorFlow graph
 * holding the weights of all the step's models (no eager tape: gradients are TensorFlow's
 * symbolic gradients, taken when {@code minimize} is called).
 *
 * <p>Order is program order, as in a Keras {@code train_step}: forward passes called after a
 * {@code minimize} see the weights it updated. A {@code minimize} differentiates its loss with
 * respect to the model's weights as read since the previous {@code minimize} (the phase the
 * loss was computed in): compute each loss from forward passes made after the previous
 * update, as Keras' GAN and distillation examples do. Its updates wait for the loss and for
 * every value logged so far.
 */
public interface StepContext {

  /** The op builder for the step's own ops. */
  Ops tf();

  /** Input {@code i} of the batch. */
  Operand<TFloat32> x(int i);

  /** The batch's (first) input. */
  default Operand<TFloat32> x() {
    return x(0);
  }

  /** Labels {@code i} of the batch (only when {@code fit} was given labels). */
  Operand<TFloat32> y(int i);

  /** The batch's (first) labels. */
  default Operand<TFloat32> y() {
    return y(0);
  }

  /** The number of samples in the batch (the last one may be smaller). */
  Operand<TInt32> batchSize();

  /**
   * Standard normal noise of shape {@code (batch, sampleShape...)}, new every step (seeded by
   * the graph's seed, so a run repeats).
   */
  Operand<TFloat32> normal(long... sampleShape);

  /**
   * Keras' {@code model(inputs, training=training)}: the model's forward pass on these
   * operands, with its weights in the step's graph. Training mode runs Dropout and
   * BatchNormalization on batch statistics (their moving statistics update with the step).
   */
  Prediction call(Model model, List<Operand<TFloat32>> inputs, boolean training);

  /** {@link #call(Model, List, boolean)} for a model of one input. */
  default Prediction call(Model model, Operand<TFloat32> input, boolean training) {
    return call(model, List.of(input), training);
  }

  /**
   * Keras' {@code loss_fn(y_true, y_pred)}: the loss' per-sample values averaged over the
   * batch (Keras' {@code sum_over_batch_size}); a cross-entropy on a softmax or sigmoid output
   * is computed from its logits, as in {@code fit}.
   */
  Operand<TFloat32> loss(Loss loss, Operand<TFloat32> yTrue, Prediction yPred);

  /**
   * Keras' {@code tape.gradient(loss, model.trainable_weights)} followed by {@code
   * optimizer.apply_gradients}: the updates of {@code model}'s trainable weights by {@code
   * optimizer} (with its options: clipping, weight decay, EMA, accumulation). Each optimizer
   * object keeps its own slots and step count; a second optimizer of the same name gets
   * Keras' {@code adam_1} scope.
   */
  void minimize(Operand<TFloat32> loss, Model model, Optimizer optimizer);

  /** A value to report under {@code name}: its mean over the epoch's samples, as fit logs. */
  void log(String name, Operand<TFloat32> value);
}
