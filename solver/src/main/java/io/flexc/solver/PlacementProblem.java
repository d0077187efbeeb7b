package io.flexc.solver;

import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.model.CallGraph;
import io.flexc.model.Constraint;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.LibraryMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the solver decides over: the application, the backend that will enforce the
 * boundaries, what may share a compartment under which hardening, what configurations cost, and
 * the rules beyond compatibility (the user's constraints and the backend's limits).
 */
public record PlacementProblem(
    Application application,
    Backend backend,
    Compatibility compatibility,
    CostModel costs,
    List<PolicyRule> rules) {

  public PlacementProblem {
    rules = List.copyOf(rules);
  }

  /**
   * The problem for {@code application} on {@code backend}, allowing the {@code hardening}
   * mechanisms, with its flexc.yaml constraints plus {@code extraConstraints} (e.g. kraft.yaml
   * pins) and the backend's own rules.
   */
  public static PlacementProblem of(
      Application application,
      Backend backend,
      List<String> hardening,
      CallGraph callGraph,
      Optional<CallProfile> profile,
      GateCosts gateCosts,
      List<Constraint> extraConstraints) {
    Map<String, HardeningMechanism> known = new LinkedHashMap<>();
    application.mechanisms().forEach((name, located) -> known.put(name, located.value()));
    HardeningSpace space = new HardeningSpace(known, hardening);
    List<PolicyRule> rules = new ArrayList<>();
    for (Constraint constraint : application.spec().constraints()) {
      rules.add(new PolicyRule.UserConstraint(constraint));
    }
    for (Constraint constraint : extraConstraints) {
      rules.add(new PolicyRule.UserConstraint(constraint));
    }
    backend.compartmentLimit().ifPresent(limit -> rules.add(new PolicyRule.CompartmentLimit(backend, limit)));
    for (String name : application.libraryNames()) {
      LibraryMetadata library = application.library(name);
      if (!library.isVerified() && library.role().filter(backend.trustedRoles()::contains).isPresent()) {
        rules.add(new PolicyRule.TrustedLibrary(backend, name, library.role().get()));
      }
    }
    return new PlacementProblem(
        application,
        backend,
        new Compatibility(application, space, callGraph),
        new CostModel(application.libraryNames(), space, callGraph, profile, gateCosts.of(backend)),
        rules);
  }

  /** The same problem with one more rule, e.g. a cost budget. */
  public PlacementProblem with(PolicyRule rule) {
    List<PolicyRule> more = new ArrayList<>(rules);
    more.add(rule);
    return new PlacementProblem(application, backend, compatibility, costs, more);
  }

  public List<String> libraries() {
    return application.libraryNames();
  }

  public HardeningSpace hardening() {
    return compatibility.hardening();
  }

  /**
   * What the backend adds to a configuration without constraining it: e.g. on {@code ept} and
   * {@code proc} every compartment carries its own copy of the scheduler and the allocator.
   */
  public List<String> backendNotes() {
    List<String> notes = new ArrayList<>();
    for (String name : libraries()) {
      application.library(name).role().filter(backend.replicatedRoles()::contains).ifPresent(role ->
          notes.add("backend " + backend.label() + ": every compartment carries its own copy of the "
              + role + " " + name));
    }
    return notes;
  }
}
