package io.jeras.bridge;

import java.util.HashMap;
import java.util.Map;
import org.tensorflow.op.Ops;

/**
 * Op builders for name scopes given as paths ({@code conv2d}, {@code training/conv2d}).
 *
 * <p>TensorFlow Java makes a scope name unique each time it is opened ({@code dense},
 * {@code dense_1}, ...), so a scope must be opened once and reused; this cache does that, which
 * keeps graph names stable: {@code dense/kernel}, {@code dense/bias}, {@code dense/MatMul}.
 *
 * <p>Opening a scope costs a pass over every operation already in the graph (TensorFlow Java
 * reads their names to keep new ones unique), so a graph of N layers built scope by scope costs
 * O(N^2) native calls: seconds for a DenseNet. {@link #prepare} opens the scopes a graph will use
 * while it is still empty.
 */
public final class NameScopes {
  private final Ops root;
  private final Map<String, Ops> scopes = new HashMap<>();

  public NameScopes(Ops root) {
    this.root = root;
  }

  /** The op builder for {@code path} ("" is the root scope). */
  public Ops at(String path) {
    if (path.isEmpty()) {
      return root;
    }
    Ops cached = scopes.get(path);
    if (cached != null) {
      return cached;
    }
    int slash = path.lastIndexOf('/');
    Ops parent = slash < 0 ? root : at(path.substring(0, slash));
    Ops scope = parent.withSubScope(path.substring(slash + 1));
    scopes.put(path, scope);
    return scope;
  }

  /** Opens the scopes at {@code paths} (and their parents) now; best while the graph is empty. */
  public void prepare(Iterable<String> paths) {
    for (String path : paths) {
      at(path);
    }
  }

  /** The parent path of a variable or op path ({@code dense/kernel} -> {@code dense}). */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** The last element of a path ({@code dense/kernel} -> {@code kernel}). */
  public static String leaf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
