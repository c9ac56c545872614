package io.jeras.examples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options, with a clear error for unknown ones. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  Args(String[] args, List<String> known) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || !known.contains(arg.substring(2))) {
        throw new IllegalArgumentException("unknown argument \"" + arg + "\"; expected "
            + known.stream().map(k -> "--" + k + " <value>").toList());
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("argument " + arg + " needs a value");
      }
      values.put(arg.substring(2), args[++i]);
    }
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int getInt(String name, int fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + " expects an integer, got \"" + value + "\"");
    }
  }
}
