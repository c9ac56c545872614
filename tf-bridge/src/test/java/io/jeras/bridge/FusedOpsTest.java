package io.jeras.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * The fused ops compute what the three plain ops compute, forward and backward (gradients from
 * TensorFlow's own registry for the plain ops, from FusedOps' for the fused ones), and
 * TensorFlow then runs no separate ReLU in the training step.
 */
class FusedOpsTest {
  private static final Random RANDOM = new Random(3);

  @Test
  void conv2dBiasRelu_sameValuesAndGradientsAsThePlainOps() {
    for (String padding : List.of("SAME", "VALID")) {
      for (long stride : new long[] {1, 2}) {
        compare(new long[] {2, 7, 6, 3}, new long[] {3, 3, 3, 4}, (tf, xk) -> tf.nn.conv2d(
            xk.get(0), xk.get(1), List.of(1L, stride, stride, 1L), padding,
            Conv2d.dilations(List.of(1L, 1L, 1L, 1L))), "Conv2D " + padding + " " + stride);
      }
    }
  }

  @Test
  void matMulBiasRelu_sameValuesAndGradientsAsThePlainOps() {
    compare(new long[] {5, 6}, new long[] {6, 4},
        (tf, xk) -> tf.linalg.matMul(xk.get(0), xk.get(1)), "MatMul");
  }

  @Test
  void transposedProducts_areLeftPlain() {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      Ops tf = runtime.tf();
      Operand<TFloat32> a = tf.constant(new float[][] {{1, 2}, {3, 4}});
      Operand<TFloat32> product = tf.linalg.matMul(a, a,
          org.tensorflow.op.linalg.MatMul.transposeB(true));
      assertThat(FusedOps.biasRelu(tf, product, tf.constant(new float[] {1, 2}))).isNull();
      Operand<TFloat32> sum = tf.math.add(a, a);
      assertThat(FusedOps.biasRelu(tf, sum, tf.constant(new float[] {1, 2}))).isNull();
    }
  }

  private static void compare(long[] xShape, long[] kShape,
      BiFunction<Ops, List<Operand<TFloat32>>, Operand<TFloat32>> product, String what) {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      Ops tf = runtime.tf();
      // fed, not constants, so the optimizer cannot fold the computation away
      Map<Operand<TFloat32>, TFloat32> feeds = new LinkedHashMap<>();
      Operand<TFloat32> x = random(tf, xShape, feeds);
      Operand<TFloat32> k = random(tf, kShape, feeds);
      Operand<TFloat32> b = random(tf, new long[] {kShape[kShape.length - 1]}, feeds);
      Operand<TFloat32> plain = tf.nn.relu(tf.nn.biasAdd(product.apply(tf, List.of(x, k)), b));
      Ops scoped = tf.withSubScope("fused");
      Operand<TFloat32> fused = FusedOps.biasRelu(scoped, product.apply(scoped, List.of(x, k)),
          b);
      assertThat(fused).as(what).isNotNull();
      assertThat(fused.op().type()).startsWith("_Fused");
      // a loss that weighs every output differently, so every gradient entry is checked
      Operand<TFloat32> weights = random(tf, plain.shape().asArray(), feeds);
      List<Output<?>> plainGrads = gradients(runtime, tf, plain, weights, x, k, b, "plain");
      List<Output<?>> fusedGrads = gradients(runtime, tf, fused, weights, x, k, b,
          "fused_gradients");
      RunOptions trace = RunOptions.newBuilder().setOutputPartitionGraphs(true).build();
      var runner = runtime.session().runner().fetch(plain).fetch(fused);
      feeds.forEach(runner::feed);
      plainGrads.forEach(runner::fetch);
      fusedGrads.forEach(runner::fetch);
      try (Result result = runner.setOptions(trace).runAndFetchMetadata()) {
        for (int i = 0; i < 4; i++) {
          float[] expected = Tensors.toFloats((TFloat32) result.get(i == 0 ? 0 : 1 + i));
          float[] actual = Tensors.toFloats((TFloat32) result.get(i == 0 ? 1 : 4 + i));
          assertThat(actual).as("%s: %s", what, i == 0 ? "output" : "gradient " + i)
              .containsExactly(expected, within(1e-5f));
        }
        RunMetadata metadata = result.getMetadata().orElseThrow();
        List<String> ops = new ArrayList<>();
        List<String> plainOps = new ArrayList<>();
        for (NodeDef node : metadata.getPartitionGraphs(0).getNodeList()) {
          (node.getName().startsWith("fused") ? ops : plainOps).add(node.getOp());
        }
        assertThat(ops).as("%s: the fused path's ops as TensorFlow runs them", what)
            .doesNotContain("Relu", "BiasAdd");
        // what the fused ops avoid: the plain path's ReLU gradient reads the BiasAdd, so
        // TensorFlow cannot fuse the ReLU into the product
        assertThat(plainOps).as("%s: the plain path's ops as TensorFlow runs them", what)
            .contains("Relu");
      } finally {
        feeds.values().forEach(TFloat32::close);
      }
    }
  }

  private static Operand<TFloat32> random(Ops tf, long[] shape,
      Map<Operand<TFloat32>, TFloat32> feeds) {
    float[] values = new float[(int) Shape.of(shape).size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) RANDOM.nextGaussian();
    }
    Operand<TFloat32> placeholder = tf.placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(shape)));
    feeds.put(placeholder, Tensors.floats(values, Shape.of(shape)));
    return placeholder;
  }

  private static List<Output<?>> gradients(GraphRuntime runtime, Ops tf,
      Operand<TFloat32> output, Operand<TFloat32> weights, Operand<TFloat32> x,
      Operand<TFloat32> k, Operand<TFloat32> b, String prefix) {
    Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(output, weights),
        tf.range(tf.constant(0), tf.rank(output), tf.constant(1)));
    return List.of(runtime.graph().addGradients(prefix, new Output<?>[] {loss.asOutput()},
        new Output<?>[] {x.asOutput(), k.asOutput(), b.asOutput()}, null));
  }
}
