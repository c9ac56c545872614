package io.jeras.layers.convolutional;

import static io.jeras.activations.Activations.RELU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.initializers.Initializers;
import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.LayerHarness;
import io.jeras.layers.Padding;
import io.jeras.layers.Size2D;
import io.jeras.models.Sequential;
import io.jeras.layers.core.Input;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class Conv2DTest {
  /** The 6x6 image and 3x3 vertical-edge filter of the classic hand-worked edge-detection example. */
  private static final float[] IMAGE = {
      1, 9, 8, 0, 4, 3,
      2, 6, 10, 5, 7, 6,
      5, 0, 4, 6, 4, 5,
      1, 2, 5, 9, 5, 0,
      0, 4, 4, 9, 5, 6,
      1, 2, 4, 12, 4, 3};
  private static final float[] VERTICAL_EDGE = {-1, 0, 1, -1, 0, 1, -1, 0, 1};

  @Test
  void handWorkedExample_firstRowIs14Minus4Minus7And3() {
    FloatNdArray out = LayerHarness.run(Conv2D.of(1, 3).useBias(false), IMAGE,
        new long[] {1, 6, 6, 1}, VERTICAL_EDGE);
    assertThat(out.shape()).isEqualTo(Shape.of(1, 4, 4, 1));
    assertThat(new float[] {out.getFloat(0, 0, 0, 0), out.getFloat(0, 0, 1, 0),
        out.getFloat(0, 0, 2, 0), out.getFloat(0, 0, 3, 0)}).containsExactly(14, -4, -7, 3);
    // and every other position as the hand rule (sum of element-wise products) computes it
    assertThat(LayerHarness.values(out)).containsExactly(crossCorrelate(IMAGE, 6, 6,
        VERTICAL_EDGE, 3, 1, 0, 0));
  }

  @Test
  void samePaddingStride2_padsTheOddPixelAtBottomRight() {
    float[] image = new float[36];
    for (int i = 0; i < 36; i++) {
      image[i] = (i * 7 % 11) - 5;
    }
    float[] kernel = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    FloatNdArray out = LayerHarness.run(Conv2D.of(1, 3).strides(2).padding(Padding.SAME)
        .useBias(false), image, new long[] {1, 6, 6, 1}, kernel);
    // same: out = ceil(6 / 2) = 3; total padding (3 - 1) * 2 + 3 - 6 = 1, all of it after
    assertThat(out.shape()).isEqualTo(Shape.of(1, 3, 3, 1));
    assertThat(LayerHarness.values(out))
        .containsExactly(crossCorrelate(image, 6, 6, kernel, 3, 2, 0, 0));
  }

  @Test
  void samePaddingStride2_oddInputPadsBothSides() {
    float[] image = new float[25];
    for (int i = 0; i < 25; i++) {
      image[i] = i % 4 - 1.5f;
    }
    float[] kernel = {0, 1, 0, 1, -4, 1, 0, 1, 0};
    FloatNdArray out = LayerHarness.run(Conv2D.of(1, 3).strides(2).padding("same")
        .useBias(false), image, new long[] {1, 5, 5, 1}, kernel);
    // total padding (3 - 1) * 2 + 3 - 5 = 2: one before, one after
    assertThat(LayerHarness.values(out))
        .containsExactly(crossCorrelate(image, 5, 5, kernel, 3, 2, 1, 1));
  }

  @Test
  void biasAndActivation_areAppliedAfterTheConvolution() {
    FloatNdArray out = LayerHarness.run(Conv2D.of(1, 3).activation(RELU), IMAGE,
        new long[] {1, 6, 6, 1}, VERTICAL_EDGE, new float[] {0.5f});
    float[] expected = crossCorrelate(IMAGE, 6, 6, VERTICAL_EDGE, 3, 1, 0, 0);
    for (int i = 0; i < expected.length; i++) {
      expected[i] = Math.max(0, expected[i] + 0.5f);
    }
    assertThat(LayerHarness.values(out)).containsExactly(expected);
  }

  @Test
  void dilation_spreadsTheKernel() {
    float[] kernel = {1, 0, -1, 2, 0, -2, 1, 0, -1};
    FloatNdArray out = LayerHarness.run(Conv2D.of(1, 3).dilationRate(2).useBias(false), IMAGE,
        new long[] {1, 6, 6, 1}, kernel);
    assertThat(out.shape()).isEqualTo(Shape.of(1, 2, 2, 1));
    float[] expected = new float[4];
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 2; c++) {
        float sum = 0;
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            sum += IMAGE[(r + 2 * i) * 6 + c + 2 * j] * kernel[i * 3 + j];
          }
        }
        expected[r * 2 + c] = sum;
      }
    }
    assertThat(LayerHarness.values(out)).containsExactly(expected);
  }

  @Test
  void multichannelMultifilter_sumsOverChannels() {
    // 2 input channels, 2 filters; filter f on channel c is (f + 1) * (c == 0 ? 1 : -1) / 9
    float[] image = new float[4 * 4 * 2];
    for (int i = 0; i < image.length; i++) {
      image[i] = i;
    }
    float[] kernel = new float[3 * 3 * 2 * 2];
    for (int k = 0; k < 9; k++) {
      for (int c = 0; c < 2; c++) {
        for (int f = 0; f < 2; f++) {
          kernel[(k * 2 + c) * 2 + f] = (f + 1) * (c == 0 ? 1f : -1f) / 9;
        }
      }
    }
    FloatNdArray out = LayerHarness.run(Conv2D.of(2, 3).useBias(false), image,
        new long[] {1, 4, 4, 2}, kernel);
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 2; c++) {
        double ch0 = 0;
        double ch1 = 0;
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            ch0 += image[((r + i) * 4 + c + j) * 2];
            ch1 += image[((r + i) * 4 + c + j) * 2 + 1];
          }
        }
        for (int f = 0; f < 2; f++) {
          assertThat(out.getFloat(0, r, c, f)).isCloseTo((float) ((f + 1) * (ch0 - ch1) / 9),
              within(1e-4f));
        }
      }
    }
  }

  @Test
  void defaults_matchKeras() {
    Conv2D conv = Conv2D.of(32, 3);
    assertThat(conv.kernelSize()).isEqualTo(Size2D.of(3, 3));
    assertThat(conv.strides()).isEqualTo(Size2D.of(1, 1));
    assertThat(conv.padding()).isEqualTo(Padding.VALID);
    assertThat(conv.dilationRate()).isEqualTo(Size2D.of(1, 1));
    assertThat(conv.useBias()).isTrue();
    assertThat(conv.kernelInitializer().kerasName()).isEqualTo("glorot_uniform");
    assertThat(conv.biasInitializer().kerasName()).isEqualTo("zeros");
    assertThat(conv.activation().kerasName()).isEqualTo("linear");
  }

  @Test
  void outputShapeAndParameters() {
    Conv2D conv = Conv2D.of(16, 5);
    Shape in = Shape.of(-1, 14, 14, 6);
    assertThat(conv.outputShape(in).asArray()).containsExactly(-1, 10, 10, 16);
    assertThat(conv.countParams(in)).isEqualTo(16 * 5 * 5 * 6 + 16);
    assertThat(conv.useBias(false).countParams(in)).isEqualTo(16 * 5 * 5 * 6);
    assertThat(Conv2D.of(8, 3).padding(Padding.SAME).strides(2).outputShape(
        Shape.of(-1, 7, 7, 3)).asArray()).containsExactly(-1, 4, 4, 8);
  }

  @Test
  void kernelLargerThanInput_failsWhenAddedNamingLayerAndShapes() {
    Sequential model = Sequential.of(Input.of(4, 4, 1), Conv2D.of(8, 3).name("c1"));
    assertThatThrownBy(() -> model.add(Conv2D.of(8, 3).name("too_big")))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessage("Layer \"too_big\" (Conv2D) cannot take input of shape (None, 2, 2, 8):"
            + " kernel 3x3 (dilation (1, 1), padding valid) is larger than the 2x2 input");
    model.close();
  }

  @Test
  void nonImageInput_isRejected() {
    assertThatThrownBy(() -> Conv2D.of(8, 3).outputShape(Shape.of(-1, 10)))
        .hasMessageContaining("Conv2D expects 4-D input (batch, height, width, channels),"
            + " got rank 2");
  }

  @Test
  void stridesWithDilation_isRejectedAsKerasDoes() {
    assertThatThrownBy(() -> Conv2D.of(8, 3).strides(2).dilationRate(2))
        .hasMessageContaining("strides > 1 not supported in conjunction with dilation_rate > 1");
  }

  @Test
  void groups_kernelSeesItsGroupsChannelsOnly() {
    Conv2D conv = Conv2D.of(6, 3).groups(2);
    assertThat(conv.groups()).isEqualTo(2);
    assertThat(Conv2D.of(6, 3).groups()).isEqualTo(1);
    Shape in = Shape.of(-1, 8, 8, 4);
    assertThat(conv.weights(in).get(0).shape()).isEqualTo(Shape.of(3, 3, 2, 6));
    assertThat(conv.countParams(in)).isEqualTo(3 * 3 * 2 * 6 + 6);
    assertThat(conv.outputShape(in).asArray()).containsExactly(-1, 6, 6, 6);
  }

  @Test
  void groups_eachGroupConvolvesItsOwnChannelsIntoItsOwnFilters() {
    // 1x1 kernels, 4 input channels, 2 groups of 2 filters: filter f sums its group's channels
    // times (f + 1) and (f + 1) * 10
    float[] image = {1, 2, 3, 4, -1, 0.5f, 2, -3};
    float[] kernel = new float[2 * 4];
    for (int f = 0; f < 4; f++) {
      kernel[f] = f + 1;                   // channel 0 of the group
      kernel[4 + f] = (f + 1) * 10;        // channel 1 of the group
    }
    for (int groups : new int[] {2, 4}) {
      float[] k = groups == 2 ? kernel : new float[] {1, 2, 3, 4};
      FloatNdArray out = LayerHarness.run(Conv2D.of(4, 1).groups(groups).useBias(false), image,
          new long[] {1, 1, 2, 4}, k);
      float[] expected = new float[8];
      for (int p = 0; p < 2; p++) {
        for (int f = 0; f < 4; f++) {
          expected[p * 4 + f] = groups == 2
              ? image[p * 4 + f / 2 * 2] * (f + 1) + image[p * 4 + f / 2 * 2 + 1] * (f + 1) * 10
              : image[p * 4 + f] * (f + 1);
        }
      }
      assertThat(LayerHarness.values(out)).as("groups %s", groups).containsExactly(expected);
    }
  }

  @Test
  void groups_mustDivideFiltersAndInputChannels() {
    assertThatThrownBy(() -> Conv2D.of(6, 3).groups(0)).hasMessage("The number of groups must be"
        + " a positive integer. Received: groups=0.");
    assertThatThrownBy(() -> Conv2D.of(6, 3).groups(4)).hasMessage("The number of filters must"
        + " be evenly divisible by the number of groups. Received: groups=4, filters=6.");
    assertThatThrownBy(() -> Conv2D.of(6, 3).groups(3).outputShape(Shape.of(-1, 8, 8, 4)))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessage("Layer \"conv2d\" (Conv2D) cannot take input of shape (None, 8, 8, 4): The"
            + " number of input channels must be evenly divisible by the number of groups."
            + " Received groups=3, but the input has 4 channels (full input shape is (None, 8,"
            + " 8, 4)).");
  }

  @Test
  void kernelInitializer_byKerasName() {
    assertThat(Conv2D.of(4, 3).kernelInitializer("he_normal").kernelInitializer().kerasName())
        .isEqualTo("he_normal");
    assertThat(Conv2D.of(4, 3).kernelInitializer(Initializers.zeros()).kernelInitializer()
        .kerasName()).isEqualTo("zeros");
  }

  /** Reference cross-correlation of a one-channel image with explicit top/left padding. */
  static float[] crossCorrelate(float[] image, int height, int width, float[] kernel, int k,
      int stride, int padTop, int padLeft) {
    int outH = padTop == 0 && stride == 1 ? height - k + 1 : (height + stride - 1) / stride;
    int outW = padLeft == 0 && stride == 1 ? width - k + 1 : (width + stride - 1) / stride;
    float[] out = new float[outH * outW];
    for (int r = 0; r < outH; r++) {
      for (int c = 0; c < outW; c++) {
        float sum = 0;
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < k; j++) {
            int y = r * stride + i - padTop;
            int x = c * stride + j - padLeft;
            if (y >= 0 && y < height && x >= 0 && x < width) {
              sum += image[y * width + x] * kernel[i * k + j];
            }
          }
        }
        out[r * outW + c] = sum;
      }
    }
    return out;
  }
}
