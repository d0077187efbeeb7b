package io.flexc.layout;

import java.util.Objects;

/**
 * Compartment {@code compartment}'s section of kind {@code kind}: the output section {@code
 * .flexc_c<k>_<kind>} of the linker scripts, page-aligned and bracketed by the symbols {@code
 * __flexc_c<k>_<kind>_start} and {@code _end}, which the runtimes that protect a compartment's memory
 * (mpk, proc, mpk's kernel start) read. These names are spelled here and nowhere else.
 */
public record CompartmentSection(int compartment, SectionKind kind) {

  /** The symbols' names with placeholders for k and the kind, as the generated files' comments give them. */
  public static final String CONVENTION = convention("<k>");

  /** The symbols' names of compartment {@code compartment}, a placeholder for the kind: for comments. */
  public static String convention(String compartment) {
    return symbol(compartment, "<kind>") + "_start/_end";
  }

  public CompartmentSection {
    if (compartment < 0) {
      throw new IllegalArgumentException("compartment " + compartment + " is negative");
    }
    Objects.requireNonNull(kind, "kind");
  }

  /** The output section: {@code .flexc_c<k>_<kind>}. */
  public String name() {
    return ".flexc_c" + compartment + "_" + kind.label();
  }

  /** The symbol at the section's first byte. */
  public String start() {
    return symbol(compartment, kind.label()) + "_start";
  }

  /** The symbol just past the section's last page. */
  public String end() {
    return symbol(compartment, kind.label()) + "_end";
  }

  private static String symbol(Object compartment, String kind) {
    return "__flexc_c" + compartment + "_" + kind;
  }
}
