package io.jeras.savedmodels;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.utils.Shapes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.op.Ops;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;

/**
 * A SavedModel opened for prediction: its signatures, and batched prediction through any of
 * them, fed and fetched by the tensor names the SignatureDefs give (no assumption about op
 * names). One TensorFlow session serves every call; calls from many threads run concurrently.
 * Closing waits for the calls in flight, and later calls fail with "has been closed".
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
  // graph tensors fetched in place of a signature's output (see castExoticOutputs)
  private final Map<String, String> fetchNames;
  /**
   * Session runs hold the read lock, {@link #close} the write lock: the session and graph are
   * never deleted under a run. TensorFlow Java's runner would throw, but {@link RawRun} calls
   * the C API on the raw handles, and a session deleted during that run crashed the JVM
   * (SIGSEGV in TensorFlow's executor, NativeResourcesTest).
   */
  private final ReadWriteLock runs = new ReentrantReadWriteLock();
  private boolean closed;

  LoadedModel(Path dir, SavedModelBundle bundle, MetaGraphDef meta) {
    this.dir = dir;
    this.bundle = bundle;
    this.writtenBy = meta.getMetaInfoDef().getTensorflowVersion();
    meta.getSignatureDefMap().entrySet().stream()
        .filter(e -> !e.getKey().startsWith("__"))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> signatures.put(e.getKey(), SignatureInfo.of(e.getKey(), e.getValue())));
    this.fetchNames = castExoticOutputs(bundle, signatures.values());
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
   * Runs {@code signatureKey} on {@code inputs} (by input key) in batches of {@code batchSize}
   * when the signature is {@link SignatureInfo#batchable() batchable}, otherwise once; returns
   * every output by key.
   *
   * <p>An input may be an NdArray of any type, a Java array of any rank ({@code float[][]},
   * {@code long[]}, {@code String[]}, {@code byte[][]} for binary strings, ...) or a scalar
   * ({@code 2.5f}, {@code 3}, {@code "text"}, {@code true}); it is converted to the dtype the
   * signature declares (integers to any number type, range-checked; {@code byte} values as
   * unsigned for uint8; strings as UTF-8). Outputs come typed: float32/float16/bfloat16 as
   * {@code FloatNdArray}, float64 as {@code DoubleNdArray}, int8/int16/int32/uint8/uint16 as
   * {@code IntNdArray}, int64/uint32/uint64 as {@code LongNdArray} (uint64 with its bits as
   * stored: read values above 2^63 with {@code Long.toUnsignedString}), bool as {@code
   * BooleanNdArray}, string as {@code NdArray<byte[]>}.
   */
  public Map<String, NdArray<?>> predict(String signatureKey, Map<String, ?> inputs,
      int batchSize) {
    checkArgument(batchSize >= 1, "batch size must be >= 1, got %s", batchSize);
    return run(signature(signatureKey), inputs, batchSize);
  }

  /**
   * Runs {@code signatureKey} once on all of {@code inputs}, never split into batches (a
   * signature without inputs takes an empty map); values as {@link #predict(String, Map, int)}.
   */
  public Map<String, NdArray<?>> call(String signatureKey, Map<String, ?> inputs) {
    return run(signature(signatureKey), inputs, Integer.MAX_VALUE);
  }

  private Map<String, NdArray<?>> run(SignatureInfo signature, Map<String, ?> inputs,
      int batchSize) {
    Prepared request = new Prepared(signature, feeds(signature, inputs));
    if (!signature.batchable()) {
      return toNdArrays(runOnce(signature, request.feeds));
    }
    int samples = request.samples();
    int step = Math.max(1, Math.min(batchSize, samples));
    Map<String, List<HostArray>> parts = new LinkedHashMap<>();
    for (int from = 0; from < samples || from == 0; from += step) {
      int to = Math.min(samples, from + step);
      Map<String, HostArray> rows = new LinkedHashMap<>();
      for (Map.Entry<String, HostArray> feed : request.feeds.entrySet()) {
        rows.put(feed.getKey(), feed.getValue().rows(from, to));
      }
      runOnce(signature, rows).forEach((key, value) ->
          parts.computeIfAbsent(key, k -> new ArrayList<>()).add(value));
      if (samples == 0) {
        break;
      }
    }
    Map<String, NdArray<?>> result = new LinkedHashMap<>();
    parts.forEach((key, batches) -> result.put(key, HostArray.concat(batches).toNdArray()));
    return result;
  }

  /**
   * A request's inputs, converted to the signature's dtypes and checked: what {@link
   * #runTogether} joins. Bad inputs fail here, so one bad request never fails a batch of
   * good ones.
   */
  public static final class Prepared {
    private final SignatureInfo signature;
    private final Map<String, HostArray> feeds;

    private Prepared(SignatureInfo signature, Map<String, HostArray> feeds) {
      this.signature = signature;
      this.feeds = feeds;
    }

    /** The signature it calls. */
    public SignatureInfo signature() {
      return signature;
    }

    /** Samples along the batch axis (1 for a signature without one). */
    public int samples() {
      return signature.batchable()
          ? Math.toIntExact(feeds.values().iterator().next().shape().get(0)) : 1;
    }

    /** Whether this and {@code other} can run as one batch: same signature and row shapes. */
    public boolean joinsWith(Prepared other) {
      if (!signature.key().equals(other.signature.key()) || !signature.batchable()) {
        return false;
      }
      for (Map.Entry<String, HostArray> feed : feeds.entrySet()) {
        Shape mine = feed.getValue().shape();
        Shape theirs = other.feeds.get(feed.getKey()).shape();
        if (!mine.subShape(1, mine.numDimensions()).equals(
            theirs.subShape(1, theirs.numDimensions()))) {
          return false;
        }
      }
      return true;
    }
  }

  /** Converts and checks {@code inputs} for {@code signatureKey}, as a call would. */
  public Prepared prepare(String signatureKey, Map<String, ?> inputs) {
    SignatureInfo signature = signature(signatureKey);
    return new Prepared(signature, feeds(signature, inputs));
  }

  /**
   * Runs prepared requests that {@link Prepared#joinsWith join} as one batch, in one session
   * run, and splits the outputs back: each request gets what running it alone gives. This is
   * dynamic batching's step; the caller keeps the batch within the model's memory.
   */
  public List<Map<String, NdArray<?>>> runTogether(List<Prepared> requests) {
    checkArgument(!requests.isEmpty(), "no requests to run");
    Prepared first = requests.get(0);
    if (requests.size() == 1) {
      return List.of(toNdArrays(runOnce(first.signature, first.feeds)));
    }
    for (Prepared request : requests) {
      checkArgument(first.joinsWith(request), "requests for %s and %s cannot run as one batch",
          first.signature, request.signature);
    }
    Map<String, HostArray> joined = new LinkedHashMap<>();
    for (String key : first.feeds.keySet()) {
      joined.put(key, HostArray.concat(requests.stream().map(r -> r.feeds.get(key)).toList()));
    }
    Map<String, HostArray> outputs = runOnce(first.signature, joined);
    List<Map<String, NdArray<?>>> results = new ArrayList<>();
    int from = 0;
    for (Prepared request : requests) {
      int to = from + request.samples();
      Map<String, NdArray<?>> result = new LinkedHashMap<>();
      for (Map.Entry<String, HostArray> out : outputs.entrySet()) {
        result.put(out.getKey(), out.getValue().rows(from, to).toNdArray());
      }
      results.add(result);
      from = to;
    }
    return results;
  }

  private static Map<String, NdArray<?>> toNdArrays(Map<String, HostArray> values) {
    Map<String, NdArray<?>> result = new LinkedHashMap<>();
    values.forEach((key, value) -> result.put(key, value.toNdArray()));
    return result;
  }

  /** One session run of {@code signature} on {@code feeds}: every output, typed. */
  private Map<String, HostArray> runOnce(SignatureInfo signature, Map<String, HostArray> feeds) {
    runs.readLock().lock();
    try {
      checkArgument(!closed, "this SavedModel has been closed");
      return runOpen(signature, feeds);
    } finally {
      runs.readLock().unlock();
    }
  }

  private Map<String, HostArray> runOpen(SignatureInfo signature, Map<String, HostArray> feeds) {
    if (signature.inputs().values().stream().anyMatch(t -> RawRun.needed(t.dtype()))) {
      return RawRun.run(bundle.session(), bundle.graph(), signature, feeds);
    }
    List<Tensor> tensors = new ArrayList<>();
    try {
      Session.Runner runner = bundle.session().runner();
      for (Map.Entry<String, HostArray> feed : feeds.entrySet()) {
        Tensor t = feed.getValue().toTensor();
        tensors.add(t);
        runner.feed(signature.inputs().get(feed.getKey()).tensorName(), t);
      }
      for (TensorSpec out : signature.outputs().values()) {
        runner.fetch(fetchNames.getOrDefault(out.tensorName(), out.tensorName()));
      }
      Map<String, HostArray> outputs = new LinkedHashMap<>();
      try (Result result = runner.run()) {
        int i = 0;
        for (TensorSpec out : signature.outputs().values()) {
          HostArray value = HostArray.of(result.get(i++));
          outputs.put(out.key(), new HostArray(out.dtype(), value.shape(), value.values()));
        }
      }
      return outputs;
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  private Map<String, HostArray> feeds(SignatureInfo signature, Map<String, ?> inputs) {
    for (String key : inputs.keySet()) {
      if (!signature.inputs().containsKey(key)) {
        throw new IllegalArgumentException("Signature " + signature.key() + " has no input \""
            + key + "\"; it takes " + signature.inputs().values());
      }
    }
    Map<String, HostArray> feeds = new LinkedHashMap<>();
    Long samples = null;
    for (TensorSpec spec : signature.inputs().values()) {
      Object value = inputs.get(spec.key());
      if (value == null) {
        throw new IllegalArgumentException("Signature " + signature.key() + " needs input \""
            + spec.key() + "\" (" + spec + "); got only " + inputs.keySet());
      }
      HostArray host = HostArray.of(value, spec, "Input \"" + spec.key() + "\" of signature "
          + signature.key());
      checkShape(signature, spec, host.shape());
      if (signature.batchable()) {
        if (samples != null && host.shape().get(0) != samples) {
          throw new IllegalArgumentException("Inputs of signature " + signature.key()
              + " hold different numbers of samples: " + samples + " and "
              + host.shape().get(0) + " (" + spec.key() + ")");
        }
        samples = host.shape().get(0);
      }
      feeds.put(spec.key(), host);
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

  /**
   * Outputs whose dtype TensorFlow Java has no tensor type for (int8, int16, uint32, uint64)
   * are fetched through a Cast to int64 added to the graph once, at load: lossless, and uint64
   * keeps its bits.
   */
  private static Map<String, String> castExoticOutputs(SavedModelBundle bundle,
      Iterable<SignatureInfo> signatures) {
    Map<String, String> names = new LinkedHashMap<>();
    for (SignatureInfo signature : signatures) {
      for (TensorSpec out : signature.outputs().values()) {
        DataType dtype = out.dtype();
        if (dtype != DataType.DT_INT8 && dtype != DataType.DT_INT16
            && dtype != DataType.DT_UINT32 && dtype != DataType.DT_UINT64
            || names.containsKey(out.tensorName())) {
          continue;
        }
        String tensor = out.tensorName();
        int colon = tensor.lastIndexOf(':');
        String op = colon < 0 ? tensor : tensor.substring(0, colon);
        int index = colon < 0 ? 0 : Integer.parseInt(tensor.substring(colon + 1));
        var operation = bundle.graph().operation(op);
        if (operation == null) {
          continue;
        }
        Ops tf = Ops.create(bundle.graph()).withName("jeras_fetch_" + op.replace('/', '_')
            + "_" + index);
        var cast = tf.scope().opBuilder("Cast", "Cast")
            .addInput(operation.output(index))
            .setAttr("DstT", DataType.DT_INT64)
            .build();
        names.put(tensor, cast.name() + ":0");
      }
    }
    return names;
  }

  /** The session, for running the graph directly. */
  public Session session() {
    return bundle.session();
  }

  /** Releases the session and graph, once the calls in flight have returned. */
  @Override
  public void close() {
    runs.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        bundle.close();
      }
    } finally {
      runs.writeLock().unlock();
    }
  }
}
