package io.jeras.trainers;

/**
 * A training step of one's own, what Keras users write by overriding {@code train_step}: given a
 * batch, forward passes of any models, losses, gradients of chosen models' weights applied by
 * chosen optimizers, and the values to log. It runs once, when the step's graph is built; the
 * ops it emits then run for every batch (see {@link StepContext}).
 *
 * <pre>{@code
 * TrainStep distill = step -> {
 *   Prediction teacher = step.call(teacherModel, step.x(), false);
 *   Prediction student = step.call(studentModel, step.x(), true);
 *   Operand<TFloat32> loss = step.loss(Loss.KL_DIVERGENCE, teacher.values(), student);
 *   step.minimize(loss, studentModel, Adam.defaults());
 *   step.log("distillation_loss", loss);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface TrainStep {
  void build(StepContext step);
}
