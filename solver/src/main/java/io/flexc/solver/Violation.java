package io.flexc.solver;

import io.flexc.model.Behaviour;
import io.flexc.model.Permission;
import io.flexc.model.SourcePosition;
import java.util.Optional;

/**
 * Why two libraries may not share a compartment: something the offender may do (a behaviour of
 * its metadata, or a call into a function its neighbour does not export) that the victim's
 * {@code [Requires]} does not allow.
 *
 * @param behaviour the offending behaviour, empty for a call outside the victim's API, which no
 *     hardening removes
 * @param what the offence in words, e.g. {@code may write any memory of its compartment (WA)}
 * @param offenderClause where the offender's metadata says it may do so
 * @param victimClause the victim's {@code [Requires]} section that does not allow it
 */
public record Violation(
    String offender,
    String victim,
    Optional<Behaviour> behaviour,
    Permission missing,
    String what,
    SourcePosition offenderClause,
    SourcePosition victimClause) {

  /** One sentence naming both clauses, e.g. for {@code flexc explain}. */
  public String describe() {
    return offender + " " + what + " (" + offenderClause.format() + "), but the [Requires] of "
        + victim + " (" + victimClause.format() + ") does not allow " + missing + " ("
        + missing.meaning() + ")";
  }
}
