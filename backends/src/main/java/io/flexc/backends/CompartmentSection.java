package io.flexc.backends;

import java.util.ArrayList;
import java.util.List;

/**
 * One of compartment k's writable sections ({@code data}, {@code bss}), which the linker script
 * brackets with {@code __flexc_c<k>_<kind>_start} and {@code _end}: the runtimes that protect a
 * compartment's memory (mpk, proc, mpk's kernel start) list them in their templates.
 */
record CompartmentSection(int compartment, String kind) {

  /** Every compartment's data and bss sections, compartment by compartment. */
  static List<CompartmentSection> dataAndBss(int compartments) {
    List<CompartmentSection> sections = new ArrayList<>();
    for (int k = 0; k < compartments; k++) {
      sections.add(new CompartmentSection(k, "data"));
      sections.add(new CompartmentSection(k, "bss"));
    }
    return sections;
  }
}
