package io.flexc.layout;

import java.util.Locale;

/**
 * The kinds of section flexc gives each compartment, in the order the linker scripts lay them out:
 * code, read-only data, data and bss.
 */
public enum SectionKind {
  TEXT,
  RODATA,
  DATA,
  BSS;

  /** The kind as the section and symbol names spell it: {@code text}, {@code rodata}, {@code data}, {@code bss}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
