package io.jeras.callbacks;

import java.io.PrintStream;
import java.util.Map;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code LearningRateScheduler}: before each epoch, sets the learning rate to
 * {@code schedule(epoch, currentRate)} (epoch 0-based), and records {@code learning_rate} in the
 * epoch's logs. The rate is a graph variable, so nothing is rebuilt.
 *
 * <pre>{@code
 * LearningRateScheduler.of((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1))
 * }</pre>
 */
public final class LearningRateScheduler extends Callback {
  /** The schedule: the new rate for an epoch, given the current one. */
  @FunctionalInterface
  public interface Schedule {
    double rate(int epoch, double currentRate);
  }

  private final Schedule schedule;
  private final int verbose;
  private final PrintStream out;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private LearningRateScheduler(Schedule schedule, int verbose, PrintStream out) {
    this.schedule = schedule;
    this.verbose = verbose;
    this.out = out;
  }

  public static LearningRateScheduler of(Schedule schedule) {
    return new LearningRateScheduler(schedule, 0, System.out);
  }

  public LearningRateScheduler verbose(int verbose) {
    return toBuilder().verbose(verbose).build();
  }

  public LearningRateScheduler out(PrintStream out) {
    return toBuilder().out(out).build();
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    double rate = schedule.rate(epoch, model().learningRate());
    if (!Double.isFinite(rate)) {
      throw new IllegalArgumentException("The output of the schedule function should be a finite"
          + " float. Got: " + rate);
    }
    model().setLearningRate(rate);
    if (verbose > 0) {
      out.println("\nEpoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to "
          + io.jeras.utils.PythonFormat.format("{v}", Map.of("v", rate)) + ".");
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    logs.put("learning_rate", (double) (float) model().learningRate());
  }
}
