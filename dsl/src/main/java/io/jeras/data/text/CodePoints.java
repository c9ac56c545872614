package io.jeras.data.text;

/**
 * Strings ordered by their Unicode code points: the order of Python's {@code sorted} on {@code
 * str}, and of byte strings compared as UTF-8 (Keras sorts vocabularies and file names so),
 * which Java's {@link String#compareTo} (UTF-16 units) differs from above U+FFFF.
 */
final class CodePoints {
  private CodePoints() {}

  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
