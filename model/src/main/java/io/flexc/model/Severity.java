package io.flexc.model;

import java.util.Locale;

/** How bad a diagnostic is; only errors make a command fail. */
public enum Severity {
  ERROR,
  WARNING,
  NOTE;

  /** The lower-case word that diagnostics print, as gcc does. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
