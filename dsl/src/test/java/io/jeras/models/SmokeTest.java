package io.jeras.models;

import static io.jeras.activations.Activations.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.Jeras;
import io.jeras.data.Data;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Dense;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.Fit;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void trains() {
    Jeras.setRandomSeed(1);
    Random r = new Random(0);
    int n = 512;
    float[] x = new float[n * 8 * 8];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(2);
      for (int j = 0; j < 64; j++) {
        x[i * 64 + j] = (float) (r.nextGaussian() * 0.5 + (y[i] == 1 && j % 8 < 4 ? 1 : 0));
      }
    }
    try (Sequential model = Sequential.of(
        Conv2D.of(4, 3).activation(RELU).inputShape(8, 8, 1),
        MaxPooling2D.of(2),
        Flatten.of(),
        Dropout.of(0.2),
        Dense.of(2).activation(SOFTMAX))) {
      model.summary();
      model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
      var history = model.fit(Data.floats(x, n, 8, 8, 1), Data.ints(y),
          Fit.epochs(5).batchSize(32).validationSplit(0.2));
      System.out.println(history.history());
      assertThat(history.get("val_accuracy").get(4)).isGreaterThan(0.8);
    }
  }
}
