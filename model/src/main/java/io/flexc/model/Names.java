package io.flexc.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** Validation of the names that appear in metadata: libraries, symbols, mechanisms and roles. */
public final class Names {

  /** C identifiers, plus inner dashes as in {@code pthread-embedded}. */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*");

  private Names() {}

  public static boolean isIdentifier(String name) {
    return name != null && IDENTIFIER.matcher(name).matches();
  }

  /**
   * One line of free text that the metadata language can quote: no quotes, no line breaks, no
   * blanks at either end.
   */
  public static boolean isQuotable(String text) {
    return text != null
        && !text.isBlank()
        && text.equals(text.strip())
        && text.chars().noneMatch(c -> c == '"' || c == '\n' || c == '\r');
  }

  static String requireQuotable(String text, String what) {
    Objects.requireNonNull(text, what);
    if (!isQuotable(text)) {
      throw new IllegalArgumentException(what + " must be one line without quotes: '" + text + "'");
    }
    return text;
  }

  static String requireIdentifier(String name, String what) {
    Objects.requireNonNull(name, what);
    if (!isIdentifier(name)) {
      throw new IllegalArgumentException(what + " is not an identifier: '" + name + "'");
    }
    return name;
  }
}
