package io.jeras.utils;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code str.format} for the file-name templates Keras callbacks take, such as
 * {@code "ckpt/epoch-{epoch:02d}-{val_loss:.2f}"}: named fields with an optional format spec
 * {@code [[fill]align][sign][0][width][,][.precision][type]}, types {@code d}, {@code f},
 * {@code e}, {@code g}, {@code %} and none; {@code {{}} and {@code }}} for braces.
 */
public final class PythonFormat {
  private static final Pattern FIELD = Pattern.compile("\\{\\{|\\}\\}|\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\\}");
  private static final Pattern SPEC = Pattern.compile(
      "(?:(.)?([<>^=]))?([+\\- ])?(0)?(\\d+)?(,)?(?:\\.(\\d+))?([dfeEgG%s])?");

  private PythonFormat() {}

  /**
   * Formats {@code template} with {@code values}.
   *
   * @throws IllegalArgumentException naming the template and the field that has no value
   */
  public static String format(String template, Map<String, ? extends Number> values) {
    Matcher m = FIELD.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("{{")) {
        replacement = "{";
      } else if (m.group().equals("}}")) {
        replacement = "}";
      } else {
        Number value = values.get(m.group(1));
        if (value == null) {
          throw new IllegalArgumentException("Failed to format this callback filepath: \""
              + template + "\". Reason: no value named '" + m.group(1) + "'; available: "
              + values.keySet());
        }
        replacement = formatValue(value, m.group(2) == null ? "" : m.group(2), template);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String formatValue(Number value, String spec, String template) {
    Matcher s = SPEC.matcher(spec);
    if (!s.matches()) {
      throw new IllegalArgumentException("Failed to format this callback filepath: \"" + template
          + "\". Reason: invalid format spec '" + spec + "'");
    }
    char fill = s.group(1) != null ? s.group(1).charAt(0) : (s.group(4) != null ? '0' : ' ');
    String align = s.group(2) != null ? s.group(2) : (s.group(4) != null ? "=" : null);
    String sign = s.group(3) != null ? s.group(3) : "-";
    int width = s.group(5) != null ? Integer.parseInt(s.group(5)) : 0;
    boolean grouping = s.group(6) != null;
    Integer precision = s.group(7) != null ? Integer.valueOf(s.group(7)) : null;
    String type = s.group(8);
    boolean integral = value instanceof Integer || value instanceof Long;
    double v = value.doubleValue();
    String body;
    if (type == null || type.equals("s")) {
      body = integral ? Long.toString(Math.abs(value.longValue())) : pythonRepr(Math.abs(v));
    } else if (type.equals("d")) {
      if (!integral) {
        throw new IllegalArgumentException("Failed to format this callback filepath: \""
            + template + "\". Reason: Unknown format code 'd' for a float value " + v);
      }
      body = grouping ? String.format(Locale.ROOT, "%,d", Math.abs(value.longValue()))
          : Long.toString(Math.abs(value.longValue()));
    } else if (type.equals("%")) {
      body = String.format(Locale.ROOT, "%" + (grouping ? "," : "") + "." + (precision == null
          ? 6 : precision) + "f", Math.abs(v) * 100) + "%";
    } else {
      String javaType = type.equalsIgnoreCase("g") ? type : type;
      body = String.format(Locale.ROOT, "%" + (grouping ? "," : "") + "."
          + (precision == null ? 6 : precision) + javaType, Math.abs(v));
      if (type.equalsIgnoreCase("e")) {
        body = body.replaceAll("([eE][+-])(\\d)$", "$10$2");
      }
    }
    String signText = (v < 0 || (integral && value.longValue() < 0)) ? "-"
        : sign.equals("+") ? "+" : sign.equals(" ") ? " " : "";
    int padding = Math.max(0, width - body.length() - signText.length());
    String pad = String.valueOf(fill).repeat(padding);
    String effectiveAlign = align != null ? align : (integral || type != null && !type.equals("s")
        ? ">" : "<");
    return switch (effectiveAlign) {
      case "<" -> signText + body + pad;
      case "^" -> pad.substring(0, padding / 2) + signText + body + pad.substring(padding / 2);
      case "=" -> signText + pad + body;
      default -> pad + signText + body;
    };
  }

  /** Python's {@code repr} of a float: shortest digits, {@code 1e-05} style exponents. */
  static String pythonRepr(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e16) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    String s = Double.toString(v);
    if (s.contains("E")) {
      String[] parts = s.split("E");
      int exponent = Integer.parseInt(parts[1]);
      String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2)
          : parts[0];
      return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d",
          Math.abs(exponent));
    }
    return s;
  }
}
