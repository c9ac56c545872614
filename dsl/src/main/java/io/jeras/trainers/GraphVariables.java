package io.jeras.trainers;

import io.jeras.bridge.HostValue;
import io.jeras.bridge.VariableStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The variables of a graph being built, each created with the value the session starts it
 * from: weights, optimizer slots and counters, the loss scale. {@link #initialize} writes them
 * all in one session run when the graph is complete.
 */
final class GraphVariables {
  private final VariableStore store;
  /** Emptied by {@link #initialize} (weights can be large). */
  private final Map<String, HostValue> initialValues = new LinkedHashMap<>();

  GraphVariables(VariableStore store) {
    this.store = store;
  }

  /** A float variable of {@code initial}'s shape, starting at {@code initial}. */
  Variable<TFloat32> create(String name, HostValue initial) {
    Variable<TFloat32> variable = store.create(name, initial.shape(), TFloat32.class);
    initialValues.put(name, initial);
    return variable;
  }

  /** A float scalar starting at {@code initial}. */
  Variable<TFloat32> scalar(String name, float initial) {
    return create(name, HostValue.of(Shape.scalar(), new float[] {initial}));
  }

  /** An int64 scalar counter starting at 0. */
  Variable<TInt64> counter(String name) {
    Variable<TInt64> variable = store.create(name, Shape.scalar(), TInt64.class);
    initialValues.put(name, HostValue.ofLongs(Shape.scalar(), new long[] {0}));
    return variable;
  }

  boolean contains(String name) {
    return store.contains(name);
  }

  Shape shape(String name) {
    return store.shape(name);
  }

  /** The existing float variable {@code name}. */
  @SuppressWarnings("unchecked")
  Variable<TFloat32> variable(String name) {
    return (Variable<TFloat32>) store.variable(name);
  }

  /** The value of float variable {@code name}, read in the graph. */
  Output<TFloat32> read(String name) {
    return store.read(name, TFloat32.class);
  }

  /** The value of int64 variable {@code name}, read in the graph. */
  Output<TInt64> readLong(String name) {
    return store.read(name, TInt64.class);
  }

  /** Writes every variable's initial value; the graph's variables are then ready to run. */
  void initialize(Session session) {
    store.write(session, initialValues);
    initialValues.clear();
  }

  VariableStore store() {
    return store;
  }
}
