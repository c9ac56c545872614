package io.jeras.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * A TensorBoard event file written by TensorFlow's own summary ops ({@code
 * CreateSummaryFileWriter}, {@code WriteScalarSummary}, {@code WriteHistogramSummary},
 * {@code WriteGraphSummary}), in a small graph and session of its own.
 *
 * <p>TensorFlow names the file {@code events.out.tfevents.<seconds>.<host>.<pid>.<id>} inside
 * {@code logDir}, as TensorBoard expects. Every value is fed through placeholders, so writing
 * adds nothing to any graph; closing flushes and releases the writer, the session and the graph.
 */
public final class SummaryFileWriter implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TInt64> step;
  private final Placeholder<TString> tag;
  private final Placeholder<TFloat32> scalar;
  private final Placeholder<TFloat32> values;
  private final Placeholder<TString> serializedGraph;
  private final Op writeScalar;
  private final Op writeHistogram;
  private final Op writeGraph;
  private final Op flush;
  private final Op closeWriter;
  private boolean closed;

  /** Opens a writer on {@code logDir} (created if missing), flushing every 2 minutes at most. */
  public SummaryFileWriter(Path logDir) {
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create TensorBoard log directory " + logDir, e);
    }
    Session opened = null;
    try {
      Ops tf = Ops.create(graph);
      SummaryWriter writer =
          tf.summary.summaryWriter(SummaryWriter.sharedName("jeras_" + UUID.randomUUID()));
      Placeholder<TString> dir = tf.placeholder(TString.class);
      Op create = tf.summary.createSummaryFileWriter(writer, dir, tf.constant(10),
          tf.constant(120_000), tf.constant(".v2"));
      step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      tag = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      scalar = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      values = tf.placeholder(TFloat32.class);
      serializedGraph = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      writeScalar = tf.summary.writeScalarSummary(writer, step, tag, scalar);
      writeHistogram = tf.summary.writeHistogramSummary(writer, step, tag, values);
      writeGraph = tf.summary.writeGraphSummary(writer, step, serializedGraph);
      flush = tf.summary.flushSummaryWriter(writer);
      closeWriter = tf.summary.closeSummaryWriter(writer);
      opened = new Session(graph);
      try (TString path = TString.scalarOf(logDir.toAbsolutePath().toString())) {
        opened.runner().feed(dir, path).addTarget(create).run().close();
      }
      session = opened;
    } catch (RuntimeException e) {
      if (opened != null) {
        opened.close();
      }
      graph.close();
      throw e;
    }
  }

  /** Writes scalar {@code value} under {@code tag} at {@code step}. */
  public synchronized void scalar(String tag, double value, long step) {
    try (TString t = TString.scalarOf(tag); TInt64 s = TInt64.scalarOf(step);
        TFloat32 v = TFloat32.scalarOf((float) value)) {
      run(writeScalar, t, s, scalar, v);
    }
  }

  /** Writes a histogram of {@code data} (any shape) under {@code tag} at {@code step}. */
  public synchronized void histogram(String tag, float[] data, Shape shape, long step) {
    try (TString t = TString.scalarOf(tag); TInt64 s = TInt64.scalarOf(step);
        TFloat32 v = Tensors.floats(data, shape)) {
      run(writeHistogram, t, s, values, v);
    }
  }

  /** Writes a serialized {@code GraphDef} for TensorBoard's graph dashboard. */
  public synchronized void graph(byte[] graphDef, long step) {
    checkOpen();
    try (TString g = TString.tensorOfBytes(NdArrays.scalarOfObject(graphDef));
        TInt64 s = TInt64.scalarOf(step)) {
      session.runner().feed(serializedGraph, g).feed(this.step, s).addTarget(writeGraph).run()
          .close();
    }
  }

  private void run(Op write, TString tagValue, TInt64 stepValue, Placeholder<TFloat32> input,
      Tensor inputValue) {
    checkOpen();
    session.runner().feed(tag, tagValue).feed(step, stepValue).feed(input, inputValue)
        .addTarget(write).run().close();
  }

  /** Writes pending events to disk. */
  public synchronized void flush() {
    checkOpen();
    session.runner().addTarget(flush).run().close();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this summary writer is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.runner().addTarget(flush).run().close();
      session.runner().addTarget(closeWriter).run().close();
    } finally {
      session.close();
      graph.close();
    }
  }
}
