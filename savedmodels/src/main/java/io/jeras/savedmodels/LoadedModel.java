package io.jeras.savedmodels;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.bridge.Tensors;
import io.jeras.data.ArrayData;
import io.jeras.utils.Shapes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A SavedModel opened for prediction: its signatures, and batched prediction through any of
 * them, fed and fetched by the tensor names the SignatureDefs give (no assumption about op
 * names). One TensorFlow session serves every call; calls from many threads run concurrently.
 */
public final class LoadedModel implements AutoCloseable {
  /** Keras' default prediction batch size. */
  public static final int DEFAULT_BATCH_SIZE = 32;
  /** The signature used when none is named. */
  public static final String DEFAULT_SIGNATURE = "serving_default";

  private final Path dir;
  private final SavedModelBundle bundle;
  private final Map<String, SignatureInfo> signatures = new LinkedHashMap<>();
  private final String writtenBy;
  private volatile boolean closed;

  LoadedModel(Path dir, SavedModelBundle bundle, MetaGraphDef meta) {
    this.dir = dir;
    this.bundle = bundle;
    this.writtenBy = meta.getMetaInfoDef().getTensorflowVersion();
    meta.getSignatureDefMap().entrySet().stream()
        .filter(e -> !e.getKey().startsWith("__"))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> signatures.put(e.getKey(), SignatureInfo.of(e.getKey(), e.getValue())));
  }

  /** Every signature, by key (internal ones such as {@code __saved_model_init_op} left out). */
  public List<SignatureInfo> signatures() {
    return List.copyOf(signatures.values());
  }

  /** The signature {@code key}; an unknown key fails listing the others. */
  public SignatureInfo signature(String key) {
    SignatureInfo signature = signatures.get(key);
    if (signature == null) {
      throw new IllegalArgumentException("The SavedModel in " + dir + " has no signature \""
          + key + "\"; it has " + signatures.keySet());
    }
    return signature;
  }

  /** The TensorFlow version that wrote the model (empty when it did not say). */
  public String tensorflowVersion() {
    return writtenBy;
  }

  /**
   * Predicts through {@code serving_default} for its single input, returning its single output
   * as floats, in batches of 32.
   */
  public FloatNdArray predict(NdArray<?> x) {
    SignatureInfo signature = signature(DEFAULT_SIGNATURE);
    checkArgument(signature.inputs().size() == 1 && signature.outputs().size() == 1,
        "signature %s has inputs %s and outputs %s; name them with predict(signature, inputs)",
        signature.key(), signature.inputs().keySet(), signature.outputs().keySet());
    String input = signature.inputs().keySet().iterator().next();
    NdArray<?> out = predict(DEFAULT_SIGNATURE, Map.of(input, x), DEFAULT_BATCH_SIZE).values()
        .iterator().next();
    checkArgument(out instanceof FloatNdArray, "output of %s is %s, not float32", signature.key(),
        signature.outputs().values().iterator().next());
    return (FloatNdArray) out;
  }

  /**
   * Runs {@code signature} on {@code inputs} (by input key; samples first) in batches of
   * {@code batchSize}; returns every output by key, samples first.
   */
  public Map<String, NdArray<?>> predict(String signatureKey, Map<String, ? extends NdArray<?>> inputs,
      int batchSize) {
    checkArgument(!closed, "this SavedModel has been closed");
    checkArgument(batchSize >= 1, "batch size must be >= 1, got %s", batchSize);
    SignatureInfo signature = signature(signatureKey);
    Map<String, Feed> feeds = feeds(signature, inputs);
    int samples = Math.toIntExact(feeds.values().iterator().next().shape().get(0));
    Map<String, OutputBuffer> outputs = new LinkedHashMap<>();
    for (int from = 0; from < samples; from += batchSize) {
      int to = Math.min(samples, from + batchSize);
      List<Tensor> tensors = new ArrayList<>();
      try {
        Session.Runner runner = bundle.session().runner();
        for (Feed feed : feeds.values()) {
          Tensor t = feed.batch(from, to);
          tensors.add(t);
          runner.feed(feed.spec.tensorName(), t);
        }
        for (TensorSpec out : signature.outputs().values()) {
          runner.fetch(out.tensorName());
        }
        try (Result result = runner.run()) {
          int i = 0;
          for (TensorSpec out : signature.outputs().values()) {
            outputs.computeIfAbsent(out.key(), k -> new OutputBuffer(out)).add(result.get(i++));
          }
        }
      } finally {
        tensors.forEach(Tensor::close);
      }
    }
    Map<String, NdArray<?>> result = new LinkedHashMap<>();
    outputs.forEach((key, buffer) -> result.put(key, buffer.toNdArray(samples)));
    return result;
  }

  private Map<String, Feed> feeds(SignatureInfo signature, Map<String, ? extends NdArray<?>> inputs) {
    for (String key : inputs.keySet()) {
      if (!signature.inputs().containsKey(key)) {
        throw new IllegalArgumentException("Signature " + signature.key() + " has no input \""
            + key + "\"; it takes " + signature.inputs().values());
      }
    }
    Map<String, Feed> feeds = new LinkedHashMap<>();
    Long samples = null;
    for (TensorSpec spec : signature.inputs().values()) {
      NdArray<?> value = inputs.get(spec.key());
      if (value == null) {
        throw new IllegalArgumentException("Signature " + signature.key() + " needs input \""
            + spec.key() + "\" (" + spec + "); got only " + inputs.keySet());
      }
      checkShape(signature, spec, value.shape());
      if (samples != null && value.shape().get(0) != samples) {
        throw new IllegalArgumentException("Inputs of signature " + signature.key()
            + " hold different numbers of samples: " + samples + " and " + value.shape().get(0)
            + " (" + spec.key() + ")");
      }
      samples = value.shape().get(0);
      feeds.put(spec.key(), Feed.of(signature, spec, value));
    }
    return feeds;
  }

  private static void checkShape(SignatureInfo signature, TensorSpec spec, Shape got) {
    Shape want = spec.shape();
    if (want.isUnknown()) {
      return;
    }
    if (!Shapes.compatible(got, want)) {
      throw new IllegalArgumentException("Input \"" + spec.key() + "\" of signature "
          + signature.key() + " expects shape " + Shapes.format(want) + " ("
          + TensorSpec.dtypeName(spec.dtype()) + "), got " + Shapes.format(got));
    }
  }

  /** One input's data, converted once to the dtype the signature wants (floats or longs). */
  private record Feed(TensorSpec spec, Shape shape, ArrayData floats, long[] longs) {
    static Feed of(SignatureInfo signature, TensorSpec spec, NdArray<?> value) {
      switch (spec.dtype()) {
        case DT_FLOAT -> {
          if (!(value instanceof FloatNdArray)) {
            throw new IllegalArgumentException("Input \"" + spec.key() + "\" of signature "
                + signature.key() + " expects float32 values, got a "
                + value.getClass().getSimpleName());
          }
          return new Feed(spec, value.shape(), ArrayData.of(value), null);
        }
        case DT_INT32, DT_INT64 -> {
          long[] longs = new long[Math.toIntExact(value.shape().size())];
          if (value instanceof IntNdArray ints) {
            int[] raw = new int[longs.length];
            ints.copyTo(DataBuffers.of(raw, false, false));
            for (int i = 0; i < raw.length; i++) {
              longs[i] = raw[i];
            }
          } else if (value instanceof LongNdArray l) {
            l.copyTo(DataBuffers.of(longs, false, false));
          } else {
            throw new IllegalArgumentException("Input \"" + spec.key() + "\" of signature "
                + signature.key() + " expects " + TensorSpec.dtypeName(spec.dtype())
                + " values, got a " + value.getClass().getSimpleName());
          }
          return new Feed(spec, value.shape(), null, longs);
        }
        default -> throw new IllegalArgumentException("Input \"" + spec.key() + "\" of signature "
            + signature.key() + " is " + TensorSpec.dtypeName(spec.dtype())
            + "; Jeras feeds float32, int32 and int64 inputs");
      }
    }

    Tensor batch(int from, int to) {
      if (floats != null) {
        return floats.batch(null, from, to);
      }
      int sampleSize = Math.toIntExact(Shapes.sampleSize(shape));
      Shape batchShape = Shape.of(to - from).append(Shapes.sampleShape(shape));
      long[] part = java.util.Arrays.copyOfRange(longs, from * sampleSize, to * sampleSize);
      if (spec.dtype() == DataType.DT_INT64) {
        return Tensors.longs(part, batchShape);
      }
      TInt32 t = TInt32.tensorOf(batchShape);
      for (int i = 0; i < part.length; i++) {
        t.asRawTensor().data().asInts().setInt((int) part[i], i);
      }
      return t;
    }
  }

  /** The batches of one output, concatenated. */
  private static final class OutputBuffer {
    private final TensorSpec spec;
    private final List<float[]> floats = new ArrayList<>();
    private final List<long[]> longs = new ArrayList<>();
    private Shape sampleShape;

    OutputBuffer(TensorSpec spec) {
      this.spec = spec;
    }

    void add(Tensor tensor) {
      sampleShape = Shapes.sampleShape(tensor.shape());
      if (tensor instanceof TFloat32) {
        floats.add(Tensors.toFloats(tensor));
      } else if (tensor instanceof TInt64) {
        longs.add(Tensors.toLongs(tensor));
      } else if (tensor instanceof TInt32 ints) {
        long[] values = new long[Math.toIntExact(tensor.shape().size())];
        for (int i = 0; i < values.length; i++) {
          values[i] = ints.asRawTensor().data().asInts().getInt(i);
        }
        longs.add(values);
      } else {
        throw new IllegalStateException("output " + spec + " is " + tensor.dataType()
            + "; Jeras reads float32, int32 and int64 outputs");
      }
    }

    NdArray<?> toNdArray(int samples) {
      Shape shape = Shape.of(samples).append(sampleShape);
      if (floats.size() == 1) {
        return NdArrays.wrap(shape, DataBuffers.of(floats.get(0), true, false));
      }
      if (!floats.isEmpty()) {
        float[] all = new float[Math.toIntExact(shape.size())];
        int offset = 0;
        for (float[] part : floats) {
          System.arraycopy(part, 0, all, offset, part.length);
          offset += part.length;
        }
        return NdArrays.wrap(shape, DataBuffers.of(all, true, false));
      }
      long[] all = new long[Math.toIntExact(shape.size())];
      int offset = 0;
      for (long[] part : longs) {
        System.arraycopy(part, 0, all, offset, part.length);
        offset += part.length;
      }
      return NdArrays.wrap(shape, DataBuffers.of(all, true, false));
    }
  }

  /** The session, for running the graph directly. */
  public Session session() {
    return bundle.session();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      bundle.close();
    }
  }
}
