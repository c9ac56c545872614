package io.jeras.layers.preprocessing;

import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Rotation, zoom and translation: a per-image matrix {@code [a0, a1, a2, b0, b1, b2, 0, 0]}
 * mapping each output pixel (x, y) to the input point {@code (a0 x + a1 y + a2, b0 x + b1 y +
 * b2)}, applied by TensorFlow's {@code ImageProjectiveTransformV3} exactly as Keras does, with
 * Keras' fill modes ({@code reflect} by default, {@code wrap}, {@code constant}, {@code
 * nearest}) and interpolation ({@code bilinear}, {@code nearest}).
 */
public abstract class AffineImageLayer<L extends AffineImageLayer<L>> extends RandomImageLayer<L> {
  protected final String fillMode;
  protected final String interpolation;
  protected final double fillValue;

  protected AffineImageLayer(LayerOptions options, Long seed, String fillMode,
      String interpolation, double fillValue) {
    super(options, seed);
    String mode = fillMode.toLowerCase(Locale.ROOT);
    if (!List.of("reflect", "wrap", "constant", "nearest").contains(mode)) {
      throw new IllegalArgumentException("Unknown `fill_mode` " + fillMode + ". Expected of one"
          + " [reflect, wrap, constant, nearest].");
    }
    String method = interpolation.toLowerCase(Locale.ROOT);
    if (!List.of("bilinear", "nearest").contains(method)) {
      throw new IllegalArgumentException("Unknown `interpolation` " + interpolation
          + ". Expected of one [nearest, bilinear].");
    }
    this.fillMode = mode;
    this.interpolation = method;
    this.fillValue = fillValue;
  }

  /** This layer with another fill mode: reflect, wrap, constant or nearest. */
  public abstract L fillMode(String mode);

  /** This layer with another sampling: bilinear or nearest. */
  public abstract L interpolation(String method);

  /** This layer with another value for the constant fill mode. */
  public abstract L fillValue(double value);

  /** The per-image matrices, (batch, 8), for images of {@code height x width}. */
  protected abstract Operand<TFloat32> matrices(CallContext context, Operand<TFloat32> images,
      float height, float width);


  /** How points outside the image are filled: reflect, wrap, constant or nearest. */
  public String fillMode() {
    return fillMode;
  }

  /** How pixels are sampled: bilinear or nearest. */
  public String interpolation() {
    return interpolation;
  }

  /** The value of the constant fill mode. */
  public double fillValue() {
    return fillValue;
  }
  @Override
  protected Operand<TFloat32> transform(CallContext context, Operand<TFloat32> images) {
    Ops tf = context.tf();
    long height = images.shape().get(1);
    long width = images.shape().get(2);
    Operand<TInt32> size = tf.constant(new int[] {(int) height, (int) width});
    return tf.image.imageProjectiveTransformV3(images,
        matrices(context, images, height, width), size, tf.constant((float) fillValue),
        interpolation.toUpperCase(Locale.ROOT),
        ImageProjectiveTransformV3.fillMode(fillMode.toUpperCase(Locale.ROOT)));
  }

  /** Columns (batch, 1) joined into the (batch, 8) matrix. */
  protected static Operand<TFloat32> rows(Ops tf, List<Operand<TFloat32>> columns) {
    return tf.concat(columns, tf.constant(1));
  }
}
