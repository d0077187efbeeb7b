package io.flexc.build;

/** A count with its noun, singular for one: "1 compartment", "3 compartments". */
public final class Counted {

  private Counted() {}

  /** {@code count} and {@code noun}, with an "s" unless the count is one. */
  public static String of(long count, String noun) {
    return of(count, noun, noun + "s");
  }

  /** {@code count} and {@code singular} for one, {@code plural} otherwise: "2 libraries". */
  public static String of(long count, String singular, String plural) {
    return count + " " + (count == 1 ? singular : plural);
  }
}
