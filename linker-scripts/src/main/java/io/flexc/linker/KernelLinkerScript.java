package io.flexc.linker;

import io.flexc.layout.CompartmentSection;
import java.util.List;

/**
 * The linker script of one kernel image holding every compartment (the mpk backend in a
 * Unikraft-style build): a complete script, not an extension of ld's default layout, for a
 * freestanding link at a fixed address ({@code ld -nostdlib -T}). From {@code base} on: the
 * platform's boot header ({@code .boot*} input sections, first in the image, where a multiboot
 * loader looks for it), {@code .data_shared}, then each compartment's page-aligned {@code
 * .flexc_c<k>_text/_rodata/_data/_bss}, bracketed by start and end symbols as in {@link
 * LinuxLinkerScript}, then everything else (the platform, the gates, the start-up) in {@code .text},
 * {@code .rodata}, {@code .data} and {@code .bss}, all under the shared key. Addresses are
 * physical ones too: the platform maps the image one to one. The names are {@link
 * io.flexc.layout.Layout}'s; the text is {@code ld.stg}'s template {@code kernel}.
 */
public final class KernelLinkerScript {

  private KernelLinkerScript() {}

  /**
   * The script; {@code entry} is the platform's entry symbol, {@code generator} says in the
   * header which command wrote it.
   */
  public static String generate(List<CompartmentObjects> compartments, List<SharedSymbol> shared, long base,
      String entry, String generator) {
    return ScriptTemplates.render("kernel", compartments, shared, "generator", generator,
        "convention", CompartmentSection.CONVENTION, "base", ScriptTemplates.hex(base), "entry", entry);
  }
}
