package io.jeras.bridge;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TType;

/**
 * All state variables of one graph (weights, optimizer slots, counters), each with an assign
 * op fed from a placeholder, so any set of values can be read or written in one session run.
 *
 * <p>Variables are TensorFlow's classic {@code VariableV2}: the kind that SavedModel export
 * writes and that the raw {@code Apply*} training ops update in place. They are never
 * initialized by the graph: the owner writes every initial value (computed in Java from the
 * seeded initializers), which is also how weights are loaded and restored.
 *
 * <p>Names are scoped paths such as {@code conv2d/kernel}; the variable op gets exactly that
 * name, and its assign machinery lives under {@code jeras_assign/}.
 */
public final class VariableStore {
  /** The scope of the ops that write variables ({@code jeras_assign/conv2d}). */
  public static final String ASSIGN_SCOPE = "jeras_assign";

  private record Entry(Variable<?> variable, Output<?> read, Placeholder<?> value,
      Assign<?> assign, Shape shape, Class<? extends TType> type) {}

  private final NameScopes scopes;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  public VariableStore(NameScopes scopes) {
    this.scopes = scopes;
  }

  /** Creates variable {@code name} (a path like {@code dense/kernel}) of a static shape. */
  public <T extends TType> Variable<T> create(String name, Shape shape, Class<T> type) {
    checkArgument(!entries.containsKey(name), "variable %s already exists", name);
    checkArgument(!shape.isUnknown() && !shape.hasUnknownDimension(),
        "variable %s needs a fully known shape, got %s", name, shape);
    String parent = NameScopes.parent(name);
    String leaf = NameScopes.leaf(name);
    Ops scope = scopes.at(parent);
    Variable<T> variable = scope.withName(leaf).variable(shape, type);
    // TF1's "<name>/read": a value-typed view of the ref-typed variable. C++ gradient functions
    // that ask their input's dtype (Square, Conj, ...) fail on ref types, so every consumer
    // reads through this op. The name is given whole because TensorFlow Java's name scopes
    // would not let "kernel" be both an op and a scope.
    Output<?> read = scope.scope().env().opBuilder("Identity", name + "/read", scope.scope())
        .addInput(variable.asOutput()).build().output(0);
    Ops assignScope = scopes.at(parent.isEmpty() ? ASSIGN_SCOPE : ASSIGN_SCOPE + "/" + parent);
    Placeholder<T> value =
        assignScope.withName(leaf + "_value").placeholder(type, Placeholder.shape(shape));
    Assign<T> assign = assignScope.withName(leaf).assign(variable, value);
    entries.put(name, new Entry(variable, read, value, assign, shape, type));
    return variable;
  }

  public List<String> names() {
    return List.copyOf(entries.keySet());
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  public Shape shape(String name) {
    return entry(name).shape();
  }

  /** The TensorFlow type a variable holds. */
  public Class<? extends TType> type(String name) {
    return entry(name).type();
  }

  public Variable<?> variable(String name) {
    return entry(name).variable();
  }

  /**
   * The value of variable {@code name} as computations should consume it ({@code name/read}).
   * Within one session run it is read before any update the caller orders after it.
   */
  @SuppressWarnings("unchecked")
  public <T extends TType> Output<T> read(String name, Class<T> type) {
    Entry entry = entry(name);
    checkArgument(entry.type().equals(type), "variable %s holds %s, not %s", name,
        entry.type().getSimpleName(), type.getSimpleName());
    return (Output<T>) entry.read();
  }

  /** Writes the given values in one session run; shapes and types must match exactly. */
  public void write(Session session, Map<String, HostValue> values) {
    if (values.isEmpty()) {
      return;
    }
    List<Tensor> tensors = new ArrayList<>(values.size());
    try {
      Session.Runner runner = session.runner();
      for (Map.Entry<String, HostValue> e : values.entrySet()) {
        Entry entry = entry(e.getKey());
        HostValue value = e.getValue();
        checkArgument(value.shape().equals(entry.shape()),
            "variable %s has shape %s, the value has shape %s", e.getKey(), entry.shape(), value.shape());
        checkArgument(value.type().equals(entry.type()),
            "variable %s holds %s, the value holds %s", e.getKey(), entry.type().getSimpleName(),
            value.type().getSimpleName());
        Tensor tensor = value.toTensor();
        tensors.add(tensor);
        runner.feed(entry.value(), tensor).addTarget(entry.assign());
      }
      runner.run().close();
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  /** Reads the named variables in one session run, in the order given. */
  public Map<String, HostValue> read(Session session, Collection<String> names) {
    Map<String, HostValue> values = new LinkedHashMap<>();
    if (names.isEmpty()) {
      return values;
    }
    Session.Runner runner = session.runner();
    for (String name : names) {
      runner.fetch(entry(name).variable());
    }
    try (Result result = runner.run()) {
      int i = 0;
      for (String name : names) {
        values.put(name, HostValue.copyOf(result.get(i++)));
      }
    }
    return values;
  }

  /** Reads every variable. */
  public Map<String, HostValue> readAll(Session session) {
    return read(session, entries.keySet());
  }

  private Entry entry(String name) {
    Entry entry = entries.get(name);
    checkArgument(entry != null, "no variable named %s; the graph has %s", name, entries.keySet());
    return entry;
  }
}
