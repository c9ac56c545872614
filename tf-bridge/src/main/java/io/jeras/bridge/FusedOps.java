package io.jeras.bridge;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.OperationAttributeInspector;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.Conv2dBackpropFilter;
import org.tensorflow.op.nn.Conv2dBackpropInput;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * A convolution or matrix product, its bias and a ReLU as one op, with a gradient that reads the
 * ReLU's output, for training graphs.
 *
 * <p>Why: TensorFlow's graph optimizer (grappler's remapper, then oneDNN's layout pass) fuses
 * {@code Conv2D + BiasAdd + Relu} into one kernel ({@code _MklNativeFusedConv2D} on CPU) only when
 * nothing else reads the {@code BiasAdd}. TensorFlow's C++ gradient of {@code Relu}, which
 * TensorFlow Java's {@code addGradients} uses, reads the ReLU's input (the {@code BiasAdd});
 * Python's reads its output. So in a training graph built from Java the ReLU stays a separate
 * kernel, forward and backward, where Keras gets the fused one ({@code StepProfile} shows it).
 * Here the fused op ({@code _FusedConv2D}, {@code _FusedMatMul}, the ops the remapper itself
 * emits) is built directly, and its gradient, registered once with TensorFlow Java, is what
 * Python's gradients of the three ops compose to: {@code ReluGrad(dy, output)}, then the
 * convolution's (or product's) backprops and {@code BiasAddGrad}, which oneDNN fuses in turn.
 * Inference graphs (and so exported SavedModels) keep the plain ops; the optimizer fuses those
 * itself.
 */
public final class FusedOps {
  private static final String CONV = "_FusedConv2D";
  private static final String MATMUL = "_FusedMatMul";
  private static final List<String> FUSED = List.of("BiasAdd", "Relu");
  private static Boolean available;

  private FusedOps() {}

  /**
   * {@code Relu(BiasAdd(product, bias))} as one fused op when {@code product} is a float32
   * {@code Conv2D} (NHWC) or an untransposed {@code MatMul} that nothing else reads, else null
   * (also when TensorFlow Java cannot register gradients, as on Windows). The product op stays
   * in the graph unread; a session never runs it.
   */
  public static Operand<TFloat32> biasRelu(Ops tf, Operand<TFloat32> product,
      Operand<TFloat32> bias) {
    if (!(product.op() instanceof GraphOperation op) || op.numConsumers() != 0
        || product.asOutput().dataType() != DataType.DT_FLOAT) {
      // TensorFlow registers the fused ops for float32 (and float16), not bfloat16
      return null;
    }
    OperationAttributeInspector attributes = op.attributes();
    switch (op.type()) {
      case "Conv2D" -> {
        if (!attributes.getAttrString("data_format").equals("NHWC")
            || attributes.getAttrString("padding").equals("EXPLICIT")) {
          return null;
        }
        if (!register()) {
          return null;
        }
        return tf.scope().opBuilder(CONV, "Relu")
            .addInput(op.input(0)).addInput(op.input(1))
            .addInputList(new Output<?>[] {bias.asOutput()})
            .addInputList(new Output<?>[0])
            .setAttr("T", DataType.DT_FLOAT)
            .setAttr("num_args", 1L)
            .setAttr("strides", attributes.getAttrIntList("strides"))
            .setAttr("padding", attributes.getAttrString("padding"))
            .setAttr("dilations", attributes.getAttrIntList("dilations"))
            .setAttr("data_format", "NHWC")
            .setAttr("fused_ops", FUSED.toArray(String[]::new))
            .build().<TFloat32>output(0);
      }
      case "MatMul" -> {
        if (attributes.getAttrBool("transpose_a") || attributes.getAttrBool("transpose_b")) {
          return null;
        }
        if (!register()) {
          return null;
        }
        return tf.scope().opBuilder(MATMUL, "Relu")
            .addInput(op.input(0)).addInput(op.input(1))
            .addInputList(new Output<?>[] {bias.asOutput()})
            .setAttr("T", DataType.DT_FLOAT)
            .setAttr("num_args", 1L)
            .setAttr("fused_ops", FUSED.toArray(String[]::new))
            .build().<TFloat32>output(0);
      }
      default -> {
        return null;
      }
    }
  }

  /** Registers the two gradients with TensorFlow Java, once per process; false if it cannot. */
  private static synchronized boolean register() {
    if (available == null) {
      try {
        available = TensorFlow.registerCustomGradient(CONV, FusedOps::convGradient)
            && TensorFlow.registerCustomGradient(MATMUL, FusedOps::matMulGradient);
      } catch (RuntimeException | LinkageError e) {
        available = false;
      }
    }
    return available;
  }

  @SuppressWarnings("unchecked")
  private static List<Operand<?>> convGradient(Ops tf, GraphOperation op,
      List<Output<?>> gradients) {
    Operand<TFloat32> input = (Operand<TFloat32>) op.input(0);
    Operand<TFloat32> filter = (Operand<TFloat32>) op.input(1);
    Operand<TFloat32> dy = reluGrad(tf, op, gradients);
    OperationAttributeInspector attributes = op.attributes();
    List<Long> strides = longs(attributes.getAttrIntList("strides"));
    List<Long> dilations = longs(attributes.getAttrIntList("dilations"));
    String padding = attributes.getAttrString("padding");
    Operand<TFloat32> dInput = tf.nn.conv2dBackpropInput(tf.shape(input), filter, dy, strides,
        padding, Conv2dBackpropInput.dilations(dilations));
    Operand<TFloat32> dFilter = tf.nn.conv2dBackpropFilter(input, tf.shape(filter), dy, strides,
        padding, Conv2dBackpropFilter.dilations(dilations));
    return List.of(dInput, dFilter, tf.nn.biasAddGrad(dy));
  }

  @SuppressWarnings("unchecked")
  private static List<Operand<?>> matMulGradient(Ops tf, GraphOperation op,
      List<Output<?>> gradients) {
    Operand<TFloat32> a = (Operand<TFloat32>) op.input(0);
    Operand<TFloat32> b = (Operand<TFloat32>) op.input(1);
    Operand<TFloat32> dy = reluGrad(tf, op, gradients);
    return List.of(tf.linalg.matMul(dy, b, MatMul.transposeB(true)),
        tf.linalg.matMul(a, dy, MatMul.transposeA(true)), tf.nn.biasAddGrad(dy));
  }

  /** The gradient through the ReLU, from its output as Python computes it. */
  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> reluGrad(Ops tf, GraphOperation op,
      List<Output<?>> gradients) {
    return tf.nn.reluGrad((Operand<TFloat32>) gradients.get(0),
        op.<TFloat32>output(0));
  }

  private static List<Long> longs(long[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }
}
