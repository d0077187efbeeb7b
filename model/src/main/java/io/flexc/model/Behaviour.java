package io.flexc.model;

/**
 * What a library may do to the libraries it shares a compartment with, and which {@link
 * Permission} each of them must grant for that to be safe.
 *
 * <p>A library has a behaviour when its metadata says so ({@code RA}, {@code WA}, {@code XA}); a
 * hardening mechanism can take a behaviour away (ASan turns {@code WA} into {@code W}, which only
 * touches the library's own memory and the shared area).
 */
public enum Behaviour {
  READ_ANY("RA", "R", Permission.R, "reads any memory of its compartment"),
  WRITE_ANY("WA", "W", Permission.W, "writes any memory of its compartment"),
  EXECUTE_ANY("XA", "X", Permission.X, "may transfer control anywhere in its compartment");

  private final String notation;
  private final String restrictedNotation;
  private final Permission requiredPermission;
  private final String description;

  Behaviour(
      String notation, String restrictedNotation, Permission requiredPermission, String description) {
    this.notation = notation;
    this.restrictedNotation = restrictedNotation;
    this.requiredPermission = requiredPermission;
    this.description = description;
  }

  /** How the metadata language writes this behaviour: {@code RA}, {@code WA} or {@code XA}. */
  public String notation() {
    return notation;
  }

  /** The harmless form a mechanism restricts it to: {@code R}, {@code W} or {@code X}. */
  public String restrictedNotation() {
    return restrictedNotation;
  }

  /** The permission a co-located library's {@code [Requires]} must grant to tolerate it. */
  public Permission requiredPermission() {
    return requiredPermission;
  }

  public String description() {
    return description;
  }

  /** The behaviour written {@code notation}, or null. */
  public static Behaviour fromNotation(String notation) {
    for (Behaviour behaviour : values()) {
      if (behaviour.notation.equals(notation)) {
        return behaviour;
      }
    }
    return null;
  }
}
