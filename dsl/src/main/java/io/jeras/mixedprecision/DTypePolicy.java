package io.jeras.mixedprecision;

import java.util.List;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * Keras' {@code DTypePolicy}: the type a layer computes in and the type its weights are kept in.
 * {@code float32} computes and stores in float32; {@code mixed_float16} and {@code
 * mixed_bfloat16} keep weights in float32 and compute in the 16-bit type: a layer's floating
 * inputs and weights are cast to it when the layer is called, as Keras' autocasting does, and
 * the gradients reach the float32 weights through those casts. Losses and metrics are computed
 * in float32 from the outputs cast back. Under {@code mixed_float16} {@code compile} wraps the
 * optimizer in a {@link io.jeras.optimizers.LossScaleOptimizer}, as Keras does.
 *
 * <pre>{@code
 * MixedPrecision.setGlobalPolicy("mixed_bfloat16");       // every layer built after this
 * Dense.of(10).activation(SOFTMAX).dtype("float32");      // one layer in float32
 * }</pre>
 */
public record DTypePolicy(String name) {
  public static final DTypePolicy FLOAT32 = new DTypePolicy("float32");
  public static final DTypePolicy MIXED_FLOAT16 = new DTypePolicy("mixed_float16");
  public static final DTypePolicy MIXED_BFLOAT16 = new DTypePolicy("mixed_bfloat16");
  private static final List<DTypePolicy> ALL = List.of(FLOAT32, MIXED_FLOAT16, MIXED_BFLOAT16);

  public DTypePolicy {
    if (name == null || !List.of("float32", "mixed_float16", "mixed_bfloat16").contains(name)) {
      throw new IllegalArgumentException("Unsupported dtype policy \"" + name + "\"; expected"
          + " one of float32, mixed_float16, mixed_bfloat16");
    }
  }

  /** The policy of Keras' name ({@code "mixed_bfloat16"}). */
  public static DTypePolicy of(String name) {
    for (DTypePolicy policy : ALL) {
      if (policy.name.equals(name)) {
        return policy;
      }
    }
    return new DTypePolicy(name);
  }

  /** Keras' {@code compute_dtype}: {@code float32}, {@code float16} or {@code bfloat16}. */
  public String computeDtype() {
    return switch (name) {
      case "mixed_float16" -> "float16";
      case "mixed_bfloat16" -> "bfloat16";
      default -> "float32";
    };
  }

  /** Keras' {@code variable_dtype}: always {@code float32} for these policies. */
  public String variableDtype() {
    return "float32";
  }

  /** The TensorFlow type layers compute in. */
  public Class<? extends TFloating> computeType() {
    return switch (name) {
      case "mixed_float16" -> TFloat16.class;
      case "mixed_bfloat16" -> TBfloat16.class;
      default -> TFloat32.class;
    };
  }

  /** Whether layers compute in a 16-bit type. */
  public boolean isMixed() {
    return !name.equals("float32");
  }

  @Override
  public String toString() {
    return "<DTypePolicy \"" + name + "\">";
  }
}
