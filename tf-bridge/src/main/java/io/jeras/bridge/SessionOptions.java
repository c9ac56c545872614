package io.jeras.bridge;

import static com.google.common.base.Preconditions.checkArgument;

import lombok.AccessLevel;
import lombok.AllArgsConstructor;
import lombok.Getter;
import lombok.experimental.Accessors;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * How TensorFlow runs a session: thread pools and device placement.
 *
 * <p>The defaults are TensorFlow's own (0 threads means "let TensorFlow choose", which is one
 * thread per core), so a Jeras model and a plain TensorFlow program on the same machine run with
 * the same parallelism. GPU memory grows on demand instead of being claimed up front.
 *
 * <pre>{@code
 * SessionOptions.defaults().intraOpThreads(2).interOpThreads(1)
 * }</pre>
 */
@Getter
@Accessors(fluent = true)
@AllArgsConstructor(access = AccessLevel.PRIVATE)
public final class SessionOptions {
  private static final SessionOptions DEFAULTS = new SessionOptions(0, 0, false, true);

  private final int intraOpThreads;
  private final int interOpThreads;
  private final boolean logDevicePlacement;
  private final boolean gpuMemoryGrowth;

  /** TensorFlow's defaults. */
  public static SessionOptions defaults() {
    return DEFAULTS;
  }

  /** Threads one op may use (0: TensorFlow chooses). */
  public SessionOptions intraOpThreads(int threads) {
    checkArgument(threads >= 0, "intraOpThreads must be >= 0, got %s", threads);
    return new SessionOptions(threads, interOpThreads, logDevicePlacement, gpuMemoryGrowth);
  }

  /** Ops that may run at once (0: TensorFlow chooses). */
  public SessionOptions interOpThreads(int threads) {
    checkArgument(threads >= 0, "interOpThreads must be >= 0, got %s", threads);
    return new SessionOptions(intraOpThreads, threads, logDevicePlacement, gpuMemoryGrowth);
  }

  /** Logs the device each op is placed on (TensorFlow's log_device_placement). */
  public SessionOptions logDevicePlacement(boolean log) {
    return new SessionOptions(intraOpThreads, interOpThreads, log, gpuMemoryGrowth);
  }

  /** Whether GPU memory is claimed as needed (true) or all at once (false). */
  public SessionOptions gpuMemoryGrowth(boolean grow) {
    return new SessionOptions(intraOpThreads, interOpThreads, logDevicePlacement, grow);
  }

  /** The TensorFlow configuration these options stand for. */
  public ConfigProto toConfigProto() {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads)
        .setLogDevicePlacement(logDevicePlacement)
        .setAllowSoftPlacement(true)
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(gpuMemoryGrowth))
        .build();
  }
}
