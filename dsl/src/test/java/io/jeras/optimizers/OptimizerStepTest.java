package io.jeras.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.losses.Loss;
import io.jeras.models.Sequential;
import io.jeras.trainers.Fit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Each optimizer's first steps against its update rule computed here by hand, on a linear
 * Dense(2) without bias, mean squared error, one batch of two samples.
 */
class OptimizerStepTest {
  private static final double[][] X = {{1, 2, -1}, {0.5, -1, 3}};
  private static final double[][] Y = {{1, 0}, {-2, 1}};
  private static final double[][] W0 = {{0.1, -0.2}, {0.3, 0.4}, {-0.5, 0.6}};

  /** dL/dW of mean((XW - Y)^2) over the 2 samples x 2 outputs. */
  private static double[][] gradient(double[][] w) {
    double[][] g = new double[3][2];
    for (int n = 0; n < 2; n++) {
      for (int u = 0; u < 2; u++) {
        double pred = 0;
        for (int i = 0; i < 3; i++) {
          pred += X[n][i] * w[i][u];
        }
        double error = pred - Y[n][u];
        for (int i = 0; i < 3; i++) {
          g[i][u] += 2 * error * X[n][i] / 4;
        }
      }
    }
    return g;
  }

  /** Runs {@code steps} steps of {@code optimizer} in Jeras; returns the kernel. */
  private static float[] train(Optimizer optimizer, int steps) {
    float[] x = new float[6];
    float[] y = new float[4];
    float[] w = new float[6];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        w[i * 2 + j] = (float) W0[i][j];
      }
    }
    for (int n = 0; n < 2; n++) {
      for (int i = 0; i < 3; i++) {
        x[n * 3 + i] = (float) X[n][i];
      }
      for (int u = 0; u < 2; u++) {
        y[n * 2 + u] = (float) Y[n][u];
      }
    }
    try (Sequential model = Sequential.of(Dense.of(2).useBias(false).inputShape(3))) {
      model.compile(optimizer, Loss.MEAN_SQUARED_ERROR);
      model.setWeights(List.of(Data.floats(w, 3, 2)));
      model.fit(Data.floats(x, 2, 3), Data.floats(y, 2, 2),
          Fit.epochs(steps).batchSize(2).shuffle(false).verbose(0));
      FloatNdArray kernel = model.getWeights().get(0);
      return Data.toFloatArray(kernel);
    }
  }

  private static void assertKernel(float[] actual, double[][] expected) {
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        assertThat((double) actual[i * 2 + j]).as("w[%s][%s]", i, j)
            .isCloseTo(expected[i][j], within(1e-6));
      }
    }
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  @Test
  void sgd_stepsAgainstTheGradient() {
    double[][] w = copy(W0);
    for (int step = 0; step < 2; step++) {
      double[][] g = gradient(w);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
          w[i][j] -= 0.01 * g[i][j];
        }
      }
    }
    assertKernel(train(SGD.defaults(), 2), w);
  }

  @Test
  void sgdMomentum_followsKerasVelocity() {
    double lr = 0.1;
    double mu = 0.9;
    double[][] w = copy(W0);
    double[][] m = new double[3][2];
    for (int step = 0; step < 3; step++) {
      double[][] g = gradient(w);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
          m[i][j] = mu * m[i][j] - lr * g[i][j];
          w[i][j] += m[i][j];
        }
      }
    }
    assertKernel(train(SGD.defaults().learningRate(lr).momentum(mu), 3), w);
  }

  @Test
  void sgdNesterov_looksAhead() {
    double lr = 0.1;
    double mu = 0.9;
    double[][] w = copy(W0);
    double[][] m = new double[3][2];
    for (int step = 0; step < 3; step++) {
      double[][] g = gradient(w);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
          m[i][j] = mu * m[i][j] - lr * g[i][j];
          w[i][j] += mu * m[i][j] - lr * g[i][j];
        }
      }
    }
    assertKernel(train(SGD.defaults().learningRate(lr).momentum(mu).nesterov(true), 3), w);
  }

  @Test
  void rmsprop_dividesByTheRootOfTheSquaredGradientAverage() {
    double lr = 0.01;
    double rho = 0.9;
    double eps = 1e-7;
    double[][] w = copy(W0);
    double[][] v = new double[3][2];
    for (int step = 0; step < 2; step++) {
      double[][] g = gradient(w);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
          v[i][j] = rho * v[i][j] + (1 - rho) * g[i][j] * g[i][j];
          w[i][j] -= lr * g[i][j] / Math.sqrt(v[i][j] + eps);
        }
      }
    }
    assertKernel(train(RMSprop.defaults().learningRate(lr), 2), w);
  }

  @Test
  void rmspropCenteredWithMomentum() {
    double lr = 0.01;
    double rho = 0.9;
    double mu = 0.5;
    double eps = 1e-7;
    double[][] w = copy(W0);
    double[][] v = new double[3][2];
    double[][] a = new double[3][2];
    double[][] mom = new double[3][2];
    for (int step = 0; step < 3; step++) {
      double[][] g = gradient(w);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
          v[i][j] = rho * v[i][j] + (1 - rho) * g[i][j] * g[i][j];
          a[i][j] = rho * a[i][j] + (1 - rho) * g[i][j];
          double increment = lr * g[i][j] / Math.sqrt(v[i][j] - a[i][j] * a[i][j] + eps);
          mom[i][j] = mu * mom[i][j] + increment;
          w[i][j] -= mom[i][j];
        }
      }
    }
    assertKernel(train(RMSprop.defaults().learningRate(lr).momentum(mu).centered(true), 3), w);
  }

  @Test
  void adam_correctsBiasWithTheStepCount() {
    double lr = 0.001;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-7;
    double[][] w = copy(W0);
    double[][] m = new double[3][2];
    double[][] v = new double[3][2];
    for (int t = 1; t <= 3; t++) {
      double[][] g = gradient(w);
      double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
          m[i][j] += (g[i][j] - m[i][j]) * (1 - b1);
          v[i][j] += (g[i][j] * g[i][j] - v[i][j]) * (1 - b2);
          w[i][j] -= alpha * m[i][j] / (Math.sqrt(v[i][j]) + eps);
        }
      }
    }
    assertKernel(train(Adam.defaults(), 3), w);
  }

  @Test
  void adamAmsgrad_usesTheRunningMaximumOfV() {
    double lr = 0.05;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-7;
    double[][] w = copy(W0);
    double[][] m = new double[3][2];
    double[][] v = new double[3][2];
    double[][] vHat = new double[3][2];
    for (int t = 1; t <= 3; t++) {
      double[][] g = gradient(w);
      double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
          m[i][j] += (g[i][j] - m[i][j]) * (1 - b1);
          v[i][j] += (g[i][j] * g[i][j] - v[i][j]) * (1 - b2);
          vHat[i][j] = Math.max(vHat[i][j], v[i][j]);
          w[i][j] -= alpha * m[i][j] / (Math.sqrt(vHat[i][j]) + eps);
        }
      }
    }
    assertKernel(train(Adam.defaults().learningRate(lr).amsgrad(true), 3), w);
  }

  @Test
  void defaults_areKeras() {
    assertThat(Adam.defaults().learningRate()).isEqualTo(0.001f);
    assertThat(Adam.defaults().beta1()).isEqualTo(0.9f);
    assertThat(Adam.defaults().beta2()).isEqualTo(0.999f);
    assertThat(Adam.defaults().epsilon()).isEqualTo(1e-7f);
    assertThat(Adam.defaults().amsgrad()).isFalse();
    assertThat(RMSprop.defaults().learningRate()).isEqualTo(0.001f);
    assertThat(RMSprop.defaults().rho()).isEqualTo(0.9f);
    assertThat(RMSprop.defaults().momentum()).isEqualTo(0f);
    assertThat(RMSprop.defaults().epsilon()).isEqualTo(1e-7f);
    assertThat(RMSprop.defaults().centered()).isFalse();
    assertThat(SGD.defaults().learningRate()).isEqualTo(0.01f);
    assertThat(SGD.defaults().momentum()).isEqualTo(0f);
    assertThat(SGD.defaults().nesterov()).isFalse();
  }

  @Test
  void byKerasName() {
    assertThat(Optimizer.of("adam")).isInstanceOf(Adam.class);
    assertThat(Optimizer.of("SGD")).isInstanceOf(SGD.class);
    assertThat(Optimizer.of("rmsprop")).isInstanceOf(RMSprop.class);
    assertThat(Optimizer.of("adamw")).isInstanceOf(AdamW.class);
    assertThat(Optimizer.of("Nadam")).isInstanceOf(Nadam.class);
    assertThat(Optimizer.of("adamax")).isInstanceOf(Adamax.class);
    assertThat(Optimizer.of("adagrad")).isInstanceOf(Adagrad.class);
    assertThat(Optimizer.of("adadelta")).isInstanceOf(Adadelta.class);
    assertThat(Optimizer.of("lion")).isInstanceOf(Lion.class);
    assertThat(Optimizer.of("ftrl")).isInstanceOf(Ftrl.class);
    assertThatThrownBy(() -> Optimizer.of("adafactor"))
        .hasMessage("Unknown optimizer \"adafactor\"; expected one of adam, adamw, nadam,"
            + " adamax, adagrad, adadelta, lion, ftrl, sgd, rmsprop");
  }

  @Test
  void negativeLearningRate_isRejected() {
    assertThatThrownBy(() -> Adam.defaults().learningRate(-1))
        .hasMessage("Argument `learning_rate` must be a non-negative number. Received:"
            + " learning_rate=-1.0");
  }
}
