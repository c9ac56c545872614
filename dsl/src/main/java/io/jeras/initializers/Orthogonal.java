package io.jeras.initializers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Random;
import org.tensorflow.ndarray.Shape;

/**
 * Keras' {@code Orthogonal} (the default recurrent kernel of SimpleRNN, LSTM and GRU): the
 * weight read as a {@code (rows, columns)} matrix ({@code columns} its last dimension) is {@code
 * gain} times a random orthogonal matrix: the Q of the QR decomposition of a standard normal
 * matrix, its columns' signs fixed by R's diagonal (Keras' recipe; orthonormal columns when
 * {@code rows >= columns}, orthonormal rows otherwise). The random numbers are Java's, not
 * Keras', so the values differ from Keras' while their law is the same.
 */
public record Orthogonal(double gain, Long seed) implements Initializer {

  public Orthogonal {
    checkArgument(Double.isFinite(gain), "gain must be a finite number, got %s", gain);
  }

  @Override
  public float[] generate(Shape shape, long seed) {
    checkArgument(shape.numDimensions() >= 2, "The tensor to initialize must be at least"
        + " two-dimensional. Received: shape=%s", shape);
    int columns = Math.toIntExact(shape.get(shape.numDimensions() - 1));
    int rows = Math.toIntExact(shape.size() / columns);
    int tall = Math.max(rows, columns);
    int wide = Math.min(rows, columns);
    Random random = new Random(seed);
    // a (tall, wide) normal matrix, column-major for the Householder steps
    double[][] a = new double[wide][tall];
    for (int i = 0; i < tall; i++) {
      for (int j = 0; j < wide; j++) {
        a[j][i] = random.nextGaussian();
      }
    }
    double[][] q = orthonormalColumns(a, tall);
    float[] values = new float[rows * columns];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        // rows >= columns: Q itself; otherwise Q transposed
        double v = rows >= columns ? q[c][r] : q[r][c];
        values[r * columns + c] = (float) (gain * v);
      }
    }
    return values;
  }

  /**
   * Modified Gram-Schmidt on the columns of {@code a} (column-major): Q with R's diagonal
   * positive, which is numpy's QR with Keras' sign correction {@code q *= sign(diag(r))}.
   */
  private static double[][] orthonormalColumns(double[][] a, int length) {
    double[][] q = new double[a.length][];
    for (int j = 0; j < a.length; j++) {
      double[] v = a[j].clone();
      for (int k = 0; k < j; k++) {
        double dot = 0;
        for (int i = 0; i < length; i++) {
          dot += q[k][i] * v[i];
        }
        for (int i = 0; i < length; i++) {
          v[i] -= dot * q[k][i];
        }
      }
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < length; i++) {
        v[i] /= norm;
      }
      q[j] = v;
    }
    return q;
  }

  @Override
  public String kerasName() {
    return "orthogonal";
  }
}
