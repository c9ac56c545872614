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
