package io.jeras.applications;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.data.Data;
import io.jeras.utils.Shapes;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Keras' {@code imagenet_utils.preprocess_input} modes (channels last), computed in float32 as
 * NumPy computes them on a float32 array, on a copy of the images.
 */
enum Preprocessing {
  /** RGB to BGR, then each channel minus its ImageNet mean, without scaling (VGG, ResNet). */
  CAFFE,
  /** Pixels scaled to [-1, 1]: {@code x / 127.5 - 1} (Inception, Xception, MobileNet). */
  TF,
  /** Pixels scaled to [0, 1], then each channel normalized by ImageNet's mean and std. */
  TORCH,
  /** No change: the model preprocesses inside (EfficientNet, MobileNetV3, ConvNeXt). */
  NONE;

  private static final float[] CAFFE_MEAN = {103.939f, 116.779f, 123.68f};
  private static final float[] TORCH_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] TORCH_STD = {0.229f, 0.224f, 0.225f};

  /** The preprocessed copy of {@code images} (channels on the last axis). */
  FloatNdArray apply(FloatNdArray images) {
    checkArgument(images != null, "preprocess_input needs images");
    float[] x = Data.toFloatArray(images);
    int rank = images.shape().numDimensions();
    int channels = rank == 0 ? 1 : (int) Shapes.last(images.shape());
    checkArgument(this == TF || this == NONE || channels >= 3, "preprocess_input (mode %s)"
        + " needs 3 color channels on the last axis, got shape %s", name().toLowerCase(),
        images.shape());
    switch (this) {
      case TF -> {
        for (int i = 0; i < x.length; i++) {
          x[i] = x[i] / 127.5f - 1.0f;
        }
      }
      case TORCH -> {
        for (int i = 0; i < x.length; i++) {
          float v = x[i] / 255.0f;
          int c = i % channels;
          x[i] = c < 3 ? (v - TORCH_MEAN[c]) / TORCH_STD[c] : v;
        }
      }
      case CAFFE -> {
        for (int start = 0; start < x.length; start += channels) {
          for (int c = 0, d = channels - 1; c < d; c++, d--) {
            float swap = x[start + c];
            x[start + c] = x[start + d];
            x[start + d] = swap;
          }
          for (int c = 0; c < 3; c++) {
            x[start + c] -= CAFFE_MEAN[c];
          }
        }
      }
      case NONE -> { }
      default -> throw new AssertionError(this);
    }
    return NdArrays.wrap(images.shape(), DataBuffers.of(x, false, false));
  }
}
