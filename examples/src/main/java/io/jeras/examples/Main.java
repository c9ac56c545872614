package io.jeras.examples;

import java.util.Arrays;

/**
 * Runs an example by name; with no name, the main job ({@link FashionMnistCnn}).
 *
 * <pre>
 * java -jar jeras-examples.jar                 # Fashion-MNIST CNN
 * java -jar jeras-examples.jar benchmark       # Jeras vs a plain TensorFlow Java loop
 * java -jar jeras-examples.jar transfer        # a Python-trained CNN as the base in Java
 * java -jar jeras-examples.jar architectures --model resnet   # LeNet-5, VGG, ResNet, ...
 * java -jar jeras-examples.jar cats-vs-dogs    # image folders, overfitting, augmentation
 * java -jar jeras-examples.jar pipeline-benchmark   # folder pipeline vs arrays in memory
 * java -jar jeras-examples.jar dcgan           # a GAN with a training step of its own
 * java -jar jeras-examples.jar language-classifier   # text: Embedding, Bidirectional LSTM
 * java -jar jeras-examples.jar benchmarks      # against Python Keras: BENCHMARKS.md
 * java -jar jeras-examples.jar serve --model_name NAME --model_base_path DIR  # TF Serving REST
 * java -jar jeras-examples.jar serving-benchmark   # serving under load, with and without batching
 * </pre>
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("--")) {
      FashionMnistCnn.main(args);
      return;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "fashion-mnist" -> FashionMnistCnn.main(rest);
      case "benchmark" -> TrainingBenchmark.main(rest);
      case "transfer" -> TransferLearning.main(rest);
      case "architectures" -> ArchitectureTraining.main(rest);
      case "cats-vs-dogs" -> CatsVsDogs.main(rest);
      case "pipeline-benchmark" -> PipelineBenchmark.main(rest);
      case "step-profile" -> StepProfile.main(rest);
      case "benchmarks" -> io.jeras.examples.benchmarks.Benchmarks.main(rest);
      case "dcgan" -> Dcgan.main(rest);
      case "language-classifier" -> LanguageClassifier.main(rest);
      case "serve" -> Serve.main(rest);
      case "serving-benchmark" -> ServingBenchmark.main(rest);
      default -> {
        System.err.println("unknown example \"" + args[0]
            + "\"; expected one of fashion-mnist, benchmark, transfer, architectures,"
            + " cats-vs-dogs, pipeline-benchmark, step-profile, dcgan, language-classifier,"
            + " benchmarks, serve, serving-benchmark");
        System.exit(2);
      }
    }
  }
}
