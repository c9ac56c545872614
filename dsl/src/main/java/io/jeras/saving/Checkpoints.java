package io.jeras.saving;

import io.jeras.bridge.HostValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks that saved values fit a model before any of them is written into it. */
public final class Checkpoints {
  private Checkpoints() {}

  /**
   * The saved values for exactly the variables the model has, in the model's order.
   *
   * @param kind what the variables are, for the message ("weight")
   * @param current the model's variables with their current values (for names and shapes)
   * @throws IllegalArgumentException naming the file and every variable that is missing,
   *     extra or of another shape or type
   */
  public static Map<String, HostValue> matching(Path path, String kind,
      Map<String, HostValue> saved, Map<String, HostValue> current) {
    List<String> problems = new ArrayList<>();
    Map<String, HostValue> result = new LinkedHashMap<>();
    for (Map.Entry<String, HostValue> entry : current.entrySet()) {
      HostValue value = saved.get(entry.getKey());
      HostValue expected = entry.getValue();
      if (value == null) {
        problems.add(kind + " " + entry.getKey() + " " + expected + " is missing from the file");
      } else if (!value.shape().equals(expected.shape()) || !value.type().equals(expected.type())) {
        problems.add(kind + " " + entry.getKey() + " is " + value + " in the file but "
            + expected + " in the model");
      } else {
        result.put(entry.getKey(), value);
      }
    }
    for (String name : saved.keySet()) {
      if (!current.containsKey(name)) {
        problems.add(kind + " " + name + " in the file is not in the model");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Checkpoint " + path + " does not fit the model: "
          + String.join("; ", problems));
    }
    return result;
  }
}
