package io.flexc.solver;

import io.flexc.model.Application;
import io.flexc.model.Behaviour;
import io.flexc.model.CallGraph;
import io.flexc.model.CallTarget;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.LibrarySection;
import io.flexc.model.Located;
import io.flexc.model.Permission;
import io.flexc.model.SourceMap;
import io.flexc.model.SourcePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether two libraries may share a compartment under a choice of hardening, following
 * the brief's rule: each library's behaviour must be allowed by the other's {@code [Requires]},
 * and calls into the other's {@code [API]} are always allowed.
 *
 * <p>A library that may not jump anywhere (it never had {@code XA}, or CFI took it away) is held
 * to its call list from the {@link CallGraph}: a call into a function its neighbour does not export
 * enters that neighbour outside its API and needs its {@code X}. No mechanism removes such a call,
 * so that violation holds under every hardening.
 */
public final class Compatibility {

  private final Application application;
  private final HardeningSpace hardening;
  private final CallGraph callGraph;

  public Compatibility(Application application, HardeningSpace hardening, CallGraph callGraph) {
    this.application = application;
    this.hardening = hardening;
    this.callGraph = callGraph;
  }

  public HardeningSpace hardening() {
    return hardening;
  }

  public CallGraph callGraph() {
    return callGraph;
  }

  /** A library with its hardening as verdicts name it, e.g. {@code app unhardened}, {@code app with cfi+sp}. */
  public static String describe(String library, Set<String> mechanisms) {
    return mechanisms.isEmpty() ? library + " unhardened" : library + " with " + String.join("+", new TreeSet<>(mechanisms));
  }

  /** Every reason why {@code a} and {@code b} may not share a compartment; empty when they may. */
  public List<Violation> violations(String a, Set<String> hardeningOfA, String b, Set<String> hardeningOfB) {
    List<Violation> violations = new ArrayList<>();
    violations.addAll(offences(a, hardeningOfA, b));
    violations.addAll(offences(b, hardeningOfB, a));
    return violations;
  }

  public boolean compatible(String a, Set<String> hardeningOfA, String b, Set<String> hardeningOfB) {
    return violations(a, hardeningOfA, b, hardeningOfB).isEmpty();
  }

  /** What {@code offender}, hardened with {@code applied}, may do to {@code victim} that it does not allow. */
  List<Violation> offences(String offender, Set<String> applied, String victim) {
    Set<Behaviour> behaviours = hardening.effectiveBehaviours(library(offender), applied);
    List<Violation> violations = new ArrayList<>();
    for (Behaviour behaviour : behaviours) {
      behaviourViolation(offender, behaviour, victim).ifPresent(violations::add);
    }
    if (!behaviours.contains(Behaviour.EXECUTE_ANY)) {
      violations.addAll(callViolations(offender, victim));
    }
    return violations;
  }

  /** The violation of {@code victim}'s {@code [Requires]} by {@code offender}'s {@code behaviour}, if any. */
  Optional<Violation> behaviourViolation(String offender, Behaviour behaviour, String victim) {
    Permission needed = behaviour.requiredPermission();
    if (tolerates(victim, behaviour)) {
      return Optional.empty();
    }
    String section =
        behaviour == Behaviour.EXECUTE_ANY
            ? LibrarySection.CALL.title()
            : LibrarySection.MEMORY_ACCESS.title();
    return Optional.of(
        new Violation(
            offender,
            victim,
            Optional.of(behaviour),
            needed,
            behaviour.description() + " (" + behaviour.notation() + ")",
            clause(offender, section, behaviour.notation()),
            requiresClause(victim)));
  }

  /** Whether {@code victim}'s {@code [Requires]} allows {@code behaviour} of a co-located library. */
  boolean tolerates(String victim, Behaviour behaviour) {
    return library(victim).requires().contains(behaviour.requiredPermission());
  }

  /** Calls of {@code offender} into functions {@code victim} does not export, when that needs its X. */
  List<Violation> callViolations(String offender, String victim) {
    LibraryMetadata target = library(victim);
    if (target.requires().contains(Permission.X)) {
      return List.of();
    }
    List<Violation> violations = new ArrayList<>();
    for (CallTarget call : callGraph.callsOf(offender)) {
      if (call.library().equals(victim) && !call.isWildcard() && !target.exports(call.symbol())) {
        violations.add(
            new Violation(
                offender,
                victim,
                Optional.empty(),
                Permission.X,
                "calls " + call + ", which the [API] of " + victim + " does not export",
                clause(offender, LibrarySection.CALL.title(), call.toString()),
                requiresClause(victim)));
      }
    }
    return violations;
  }

  private SourcePosition clause(String library, String section, String item) {
    return source(library).item(section, item);
  }

  private SourcePosition requiresClause(String library) {
    return source(library).section(LibrarySection.REQUIRES.title());
  }

  private LibraryMetadata library(String name) {
    return application.library(name);
  }

  private SourceMap source(String name) {
    Located<LibraryMetadata> located = application.libraries().get(name);
    return located.source();
  }
}
