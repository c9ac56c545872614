package io.jeras.bridge;

import static com.google.common.base.Preconditions.checkState;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * One TensorFlow graph and the session that runs it, closed together.
 *
 * <p>The graph is built first through {@link #tf()}; the session is opened on the first call to
 * {@link #session()} (TensorFlow sessions pick up ops added later, but Jeras builds each graph
 * once). Closing releases both native objects; it is safe to call twice.
 */
public final class GraphRuntime implements AutoCloseable {
  private final Graph graph;
  private final Ops tf;
  private final SessionOptions options;
  private Session session;
  private boolean closed;

  public GraphRuntime(SessionOptions options) {
    this.graph = new Graph();
    this.tf = Ops.create(graph);
    this.options = options;
  }

  /** The op builder for this graph. */
  public Ops tf() {
    checkOpen();
    return tf;
  }

  public Graph graph() {
    checkOpen();
    return graph;
  }

  /** The session running this graph, opened on first use. */
  public synchronized Session session() {
    checkOpen();
    if (session == null) {
      session = new Session(graph, options.toConfigProto());
    }
    return session;
  }

  public boolean isClosed() {
    return closed;
  }

  private void checkOpen() {
    checkState(!closed, "this model's TensorFlow graph has been closed");
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
