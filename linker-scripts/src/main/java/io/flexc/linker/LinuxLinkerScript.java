package io.flexc.linker;

import io.flexc.layout.CompartmentSection;
import java.util.List;

/**
 * The linker script for a Linux user-space program: it extends ld's default layout ({@code INSERT
 * AFTER}) instead of replacing it, with, per compartment, page-aligned {@code .text}, {@code
 * .rodata}, {@code .data} and {@code .bss} output sections holding that compartment's objects and
 * bracketed by {@code __flexc_c<k>_<kind>_start} / {@code _end} symbols, plus {@code .data_shared}
 * for the globals several compartments use ({@code __flexc_shared_start} / {@code _end}). Page
 * alignment at both ends is what lets the runtime give each range its own protection key. The
 * names are {@link io.flexc.layout.Layout}'s; the text is {@code ld.stg}'s template {@code linux}.
 */
public final class LinuxLinkerScript {

  private LinuxLinkerScript() {}

  /** The script; {@code generator} says in the header which command wrote it. */
  public static String generate(
      List<CompartmentObjects> compartments, List<SharedSymbol> shared, String generator) {
    return ScriptTemplates.render("linux", compartments, shared, "generator", generator,
        "convention", CompartmentSection.CONVENTION);
  }
}
