package io.flexc.model;

/**
 * Makes user-provided text safe to print on one line of a terminal. A name or path read from an
 * input may hold a newline, a carriage return, U+2028 or a terminal escape; printed raw, a crafted
 * source path could print a fake {@code file:1:1: error:} line or rewrite the screen. Such
 * characters are shown as escapes instead: {@code \n}, {@code \r}, {@code \t}, and a backslash-u
 * escape with four hex digits for the others. Escaping twice changes nothing.
 */
public final class Printable {

  private Printable() {}

  /** {@code text} with every control, line or paragraph separator and bidi control escaped. */
  public static String escape(String text) {
    if (text.chars().noneMatch(Printable::needsEscape)) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    text.chars().forEach(c -> {
      switch (c) {
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '\t' -> escaped.append("\\t");
        default -> {
          if (needsEscape(c)) {
            escaped.append(String.format("\\u%04x", c));
          } else {
            escaped.append((char) c);
          }
        }
      }
    });
    return escaped.toString();
  }

  /**
   * C0 and C1 controls and DEL; U+2028 and U+2029, which some terminals and editors take as line
   * breaks; and the bidi embedding, override and isolate controls, which reorder what follows.
   */
  private static boolean needsEscape(int c) {
    return Character.isISOControl(c)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
