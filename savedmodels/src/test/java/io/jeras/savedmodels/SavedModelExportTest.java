package io.jeras.savedmodels;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.Jeras;
import io.jeras.data.Data;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.attention.MultiHeadAttention;
import io.jeras.layers.convolutional.Conv1D;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.Conv2DTranspose;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Embedding;
import io.jeras.layers.core.Input;
import io.jeras.layers.merging.Add;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.normalization.LayerNormalization;
import io.jeras.layers.pooling.AveragePooling1D;
import io.jeras.layers.pooling.GlobalAveragePooling1D;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.GlobalMaxPooling1D;
import io.jeras.layers.pooling.GlobalMaxPooling2D;
import io.jeras.layers.pooling.MaxPooling1D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.preprocessing.RandomFlip;
import io.jeras.layers.preprocessing.RandomRotation;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.regularization.GaussianDropout;
import io.jeras.layers.regularization.GaussianNoise;
import io.jeras.layers.regularization.SpatialDropout1D;
import io.jeras.layers.regularization.SpatialDropout2D;
import io.jeras.layers.reshaping.Cropping1D;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.layers.reshaping.RepeatVector;
import io.jeras.layers.reshaping.UpSampling1D;
import io.jeras.layers.reshaping.ZeroPadding1D;
import io.jeras.layers.rnn.Bidirectional;
import io.jeras.layers.rnn.GRU;
import io.jeras.layers.rnn.LSTM;
import io.jeras.mixedprecision.MixedPrecision;
import io.jeras.models.Model;
import io.jeras.models.Sequential;
import io.jeras.trainers.Fit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/** Jeras exports a SavedModel; Java and Python TensorFlow both load it and agree with Jeras. */
class SavedModelExportTest {
  @TempDir
  Path dir;

  /** The benchmark CNN of the main job. */
  static Sequential benchmarkCnn() {
    return Sequential.of(
        Conv2D.of(32, 3).activation(RELU).inputShape(28, 28, 1), MaxPooling2D.of(2),
        Conv2D.of(64, 3).activation(RELU), MaxPooling2D.of(2), Flatten.of(), Dropout.of(0.5),
        Dense.of(10).activation(SOFTMAX));
  }

  /** A small MLP whose Dropout would change every prediction if it were left on. */
  static Sequential dropoutModel() {
    return Sequential.of(Input.of(6).name("features"), Dense.of(16).activation(RELU),
        Dropout.of(0.5), Dense.of(3).activation(SOFTMAX));
  }

  /** A 1-D CNN over sequences, with every sequence layer and the noise layers (off in export). */
  static Sequential sequenceModel() {
    return Sequential.of(Input.of(16, 3).name("series"),
        Conv1D.of(8, 3).padding("causal").dilationRate(2).activation(RELU),
        SpatialDropout1D.of(0.3), GaussianNoise.of(0.5), MaxPooling1D.of(2),
        UpSampling1D.of(2), ZeroPadding1D.of(1, 2), Cropping1D.of(2, 1),
        AveragePooling1D.of(2).strides(1).padding("same"), GlobalMaxPooling1D.of(),
        RepeatVector.of(4), Conv1D.of(4, 2).strides(2), GaussianDropout.of(0.3),
        GlobalAveragePooling1D.of(), Dense.of(3).activation(SOFTMAX));
  }

  /** An upsampling decoder: Conv2DTranspose (strided, output padding) and a spatial dropout. */
  static Sequential decoderModel() {
    return Sequential.of(Input.of(5, 5, 2).name("code"),
        Conv2DTranspose.of(6, 3).strides(2).padding("same").activation(RELU),
        SpatialDropout2D.of(0.3), Conv2DTranspose.of(4, 3).strides(2).outputPadding(1, 1),
        GlobalMaxPooling2D.of(), Dense.of(3).activation(SOFTMAX));
  }

  /** A masked text classifier: Embedding (mask_zero), Bidirectional LSTM, GRU. */
  static Sequential textModel() {
    return Sequential.of(Input.of(10).name("tokens"), Embedding.of(30, 6).maskZero(true),
        Bidirectional.of(LSTM.of(4).returnSequences(true)), GRU.of(3),
        Dense.of(3).activation(SOFTMAX));
  }

  /** A masked Transformer encoder block with causal attention over token ids. */
  static Model transformerModel() {
    KerasTensor tokens = Input.of(10).name("ids").tensor();
    KerasTensor h = Embedding.of(30, 8).maskZero(true).apply(tokens);
    KerasTensor attended = MultiHeadAttention.of(2, 4).useCausalMask(true).apply(h, h);
    h = LayerNormalization.of().apply(Add.of().apply(h, attended));
    return Model.of("transformer", List.of(tokens), List.of(Dense.of(3).activation(SOFTMAX)
        .apply(GlobalAveragePooling1D.of().apply(h))));
  }

  /** Token ids in [1, 30), each sequence padded with 0 after a random length. */
  static FloatNdArray tokens(long seed, int n, int steps) {
    Random r = new Random(seed);
    float[] v = new float[n * steps];
    for (int i = 0; i < n; i++) {
      int length = 1 + r.nextInt(steps);
      for (int t = 0; t < length; t++) {
        v[i * steps + t] = 1 + r.nextInt(29);
      }
    }
    return Data.floats(v, n, steps);
  }

  static FloatNdArray random(long seed, long... shape) {
    Random r = new Random(seed);
    int size = 1;
    for (long d : shape) {
      size *= (int) d;
    }
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = r.nextFloat();
    }
    return Data.floats(v, shape);
  }

  /** Trains briefly, exports, and writes x and Java's predictions beside the export. */
  private Path export(Model model, String name, FloatNdArray x, int classes) {
    int n = (int) x.shape().get(0);
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % classes;
    }
    model.compile("adam", "sparse_categorical_crossentropy");
    model.fit(x, Data.ints(y), Fit.epochs(1).batchSize(16).verbose(0));
    Path exported = dir.resolve(name);
    model.save(exported);
    Fixtures.writeNpy(x, dir.resolve(name + ".x.npy"));
    Fixtures.writeNpy(model.predict(x), dir.resolve(name + ".y.npy"));
    return exported;
  }

  @Test
  void javaLoadsWhatJavaExports_andDropoutIsOff() throws Exception {
    Jeras.setRandomSeed(1);
    try (Sequential model = dropoutModel()) {
      FloatNdArray x = random(2, 40, 6);
      Path exported = export(model, "mlp", x, 3);
      assertThat(Files.exists(exported.resolve("saved_model.pb"))).isTrue();
      assertThat(Files.exists(exported.resolve("variables/variables.index"))).isTrue();
      try (LoadedModel loaded = SavedModels.load(exported)) {
        assertThat(loaded.signatures()).extracting(Object::toString).containsExactly(
            "serve(features: float32 (None, 6)) -> (output_0: float32 (None, 3))",
            "serving_default(features: float32 (None, 6)) -> (output_0: float32 (None, 3))");
        SavedModelImportTest.assertClose(loaded.predict(x), model.predict(x), 0f);
      }
      // exporting again replaces the directory
      model.save(exported);
      try (LoadedModel loaded = SavedModels.load(exported)) {
        SavedModelImportTest.assertClose(loaded.predict(x), model.predict(x), 0f);
      }
    }
  }

  /**
   * A functional residual block with BatchNormalization behind augmentation layers: the export
   * holds BatchNormalization in inference mode and no augmentation.
   */
  static Model augmentedResidual() {
    KerasTensor image = Input.of(12, 12, 1).name("image").tensor();
    KerasTensor x = RandomFlip.of("horizontal").apply(image);
    x = RandomRotation.of(0.1).apply(x);
    x = Conv2D.of(4, 3).padding("same").useBias(false).apply(x);
    KerasTensor y = Activation.of(RELU).apply(BatchNormalization.of().apply(x));
    y = BatchNormalization.of().apply(Conv2D.of(4, 3).padding("same").apply(y));
    x = Activation.of(RELU).apply(Add.of().apply(x, y));
    x = GlobalAveragePooling2D.of().apply(x);
    return Model.of("residual", List.of(image),
        List.of(Dense.of(3).activation(SOFTMAX).apply(x)));
  }

  @Test
  void pythonTensorFlowLoadsJerasExports_andMatchesJava() throws Exception {
    Jeras.setRandomSeed(2);
    MixedPrecision.setGlobalPolicy("mixed_bfloat16");
    Sequential bf16;
    try {
      bf16 = benchmarkCnn();
    } finally {
      MixedPrecision.setGlobalPolicy("float32");
    }
    try (Sequential cnn = benchmarkCnn(); Sequential mlp = dropoutModel();
        Model residual = augmentedResidual(); Sequential mixed = bf16;
        Sequential sequence = sequenceModel(); Sequential decoder = decoderModel();
        Sequential text = textModel(); Model transformer = transformerModel()) {
      Path cnnDir = export(cnn, "benchmark_cnn", random(3, 64, 28, 28, 1), 10);
      Path mlpDir = export(mlp, "dropout_mlp", random(4, 64, 6), 3);
      Path residualDir = export(residual, "residual", random(5, 64, 12, 12, 1), 3);
      // computed in bfloat16 in the exported graph too: Python matches Java to 1e-5, which a
      // float32 export of the same weights would not (bfloat16 keeps 8 bits)
      Path mixedDir = export(mixed, "benchmark_cnn_bf16", random(6, 64, 28, 28, 1), 10);
      Path sequenceDir = export(sequence, "sequence_cnn", random(7, 64, 16, 3), 3);
      Path decoderDir = export(decoder, "decoder", random(8, 64, 5, 5, 2), 3);
      Path textDir = export(text, "text", tokens(9, 64, 10), 3);
      Path transformerDir = export(transformer, "transformer", tokens(10, 64, 10), 3);
      String output = PythonChecks.run("check_export.py",
          cnnDir.toString(), "input_layer", dir.resolve("benchmark_cnn.x.npy").toString(),
          dir.resolve("benchmark_cnn.y.npy").toString(),
          mixedDir.toString(), "input_layer",
          dir.resolve("benchmark_cnn_bf16.x.npy").toString(),
          dir.resolve("benchmark_cnn_bf16.y.npy").toString(),
          mlpDir.toString(), "features", dir.resolve("dropout_mlp.x.npy").toString(),
          dir.resolve("dropout_mlp.y.npy").toString(),
          residualDir.toString(), "image", dir.resolve("residual.x.npy").toString(),
          dir.resolve("residual.y.npy").toString(),
          sequenceDir.toString(), "series", dir.resolve("sequence_cnn.x.npy").toString(),
          dir.resolve("sequence_cnn.y.npy").toString(),
          decoderDir.toString(), "code", dir.resolve("decoder.x.npy").toString(),
          dir.resolve("decoder.y.npy").toString(),
          textDir.toString(), "tokens", dir.resolve("text.x.npy").toString(),
          dir.resolve("text.y.npy").toString(),
          transformerDir.toString(), "ids", dir.resolve("transformer.x.npy").toString(),
          dir.resolve("transformer.y.npy").toString());
      assertThat(output).contains("benchmark_cnn: serving_default matches Java on 64 samples",
          "benchmark_cnn_bf16: serving_default matches Java on 64 samples",
          "benchmark_cnn: serve matches Java", "dropout_mlp: serving_default matches Java",
          "residual: serving_default matches Java on 64 samples",
          "sequence_cnn: serving_default matches Java on 64 samples",
          "decoder: serving_default matches Java on 64 samples",
          "text: serving_default matches Java on 64 samples",
          "transformer: serving_default matches Java on 64 samples",
          "signature_def['serving_default']", "inputs['input_layer'] tensor_info",
          "shape: (-1, 28, 28, 1)", "OK");
    }
  }
}
