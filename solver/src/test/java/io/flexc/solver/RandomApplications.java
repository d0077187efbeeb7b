package io.flexc.solver;

import io.flexc.model.ApiFunction;
import io.flexc.model.Application;
import io.flexc.model.ApplicationSpec;
import io.flexc.model.Backend;
import io.flexc.model.BuildSpec;
import io.flexc.model.Behaviour;
import io.flexc.model.CallGraph;
import io.flexc.model.CallPolicy;
import io.flexc.model.CallTarget;
import io.flexc.model.Constraint;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.LibrarySpec;
import io.flexc.model.Located;
import io.flexc.model.MemoryAccess;
import io.flexc.model.Permission;
import io.flexc.model.SourceMap;
import io.flexc.model.SourcePosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** Small random placement problems for property tests, reproducible from their seed. */
final class RandomApplications {

  private RandomApplications() {}

  /** A problem of 2 to {@code maxLibraries} libraries and up to {@code maxMechanisms} mechanisms. */
  static PlacementProblem problem(long seed, int maxLibraries, int maxMechanisms) {
    Random random = new Random(seed);
    int count = 2 + random.nextInt(maxLibraries - 1);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("lib" + i);
    }
    Map<String, Located<HardeningMechanism>> mechanisms = new LinkedHashMap<>();
    int mechanismCount = random.nextInt(maxMechanisms + 1);
    for (int m = 0; m < mechanismCount; m++) {
      Set<Behaviour> restricts = EnumSet.noneOf(Behaviour.class);
      for (Behaviour behaviour : Behaviour.values()) {
        if (random.nextInt(3) == 0) {
          restricts.add(behaviour);
        }
      }
      Set<String> needs = m > 0 && random.nextInt(3) == 0 ? Set.of("m" + random.nextInt(m)) : Set.of();
      HardeningMechanism mechanism = new HardeningMechanism(
          "m" + m, "", restricts, needs, 1 + random.nextInt(50), random.nextInt(4), List.of(), List.of());
      mechanisms.put(mechanism.name(), new Located<>(mechanism, SourceMap.synthetic("m" + m + ".mech")));
    }
    Map<String, Located<LibraryMetadata>> libraries = new LinkedHashMap<>();
    List<LibrarySpec> specs = new ArrayList<>();
    for (String name : names) {
      libraries.put(name, new Located<>(library(random, name, names), SourceMap.synthetic(name + ".meta")));
      specs.add(LibrarySpec.metadataOnly(name, Path.of(name + ".meta"), position(1)));
    }
    List<Constraint> constraints = constraints(random, names);
    Backend backend = TestBackends.CATALOG.known().get(random.nextInt(TestBackends.CATALOG.known().size()));
    ApplicationSpec spec = new ApplicationSpec(
        "random" + seed, Path.of("flexc.yaml"), backend, specs, List.copyOf(mechanisms.keySet()), constraints,
        Optional.empty(), BuildSpec.NONE, Optional.empty(), List.of());
    Application application = new Application(spec, libraries, mechanisms);
    Optional<CallProfile> profile = Optional.empty();
    if (random.nextBoolean()) {
      List<CallProfile.CallCount> counts = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        counts.add(new CallProfile.CallCount(
            names.get(random.nextInt(count)), names.get(random.nextInt(count)), random.nextInt(10_000), position(k + 1)));
      }
      profile = Optional.of(new CallProfile(counts));
    }
    return PlacementProblem.of(application, backend, spec.hardening(), CallGraph.declared(application), profile,
        GateCosts.defaults(), List.of());
  }

  private static LibraryMetadata library(Random random, String name, List<String> names) {
    Set<MemoryAccess> memory = EnumSet.of(MemoryAccess.READ_OWN, MemoryAccess.WRITE_OWN);
    if (random.nextBoolean()) {
      memory.add(MemoryAccess.READ_ANY);
    }
    if (random.nextBoolean()) {
      memory.add(MemoryAccess.WRITE_ANY);
    }
    List<CallTarget> calls = new ArrayList<>();
    for (String other : names) {
      if (!other.equals(name) && random.nextInt(3) == 0) {
        calls.add(new CallTarget(other, random.nextInt(4) == 0 ? "hidden" : "api"));
      }
    }
    CallPolicy call = new CallPolicy(random.nextBoolean(), calls);
    Set<Permission> requires = EnumSet.noneOf(Permission.class);
    for (Permission permission : Permission.values()) {
      if (random.nextInt(3) > 0) {
        requires.add(permission);
      }
    }
    Optional<String> role = switch (random.nextInt(5)) {
      case 0 -> Optional.of("scheduler");
      case 1 -> Optional.of("allocator");
      default -> Optional.empty();
    };
    Optional<String> verified = random.nextInt(4) == 0 ? Optional.of("Dafny") : Optional.empty();
    return new LibraryMetadata(name, memory, call, List.of(new ApiFunction("api", Optional.empty())), requires,
        role, verified, Optional.empty());
  }

  private static List<Constraint> constraints(Random random, List<String> names) {
    List<Constraint> constraints = new ArrayList<>();
    int line = 10;
    if (random.nextInt(3) == 0) {
      constraints.add(new Constraint.Together(pick(random, names, 2), position(line++)));
    }
    if (random.nextInt(3) == 0) {
      constraints.add(new Constraint.Apart(pick(random, names, 2 + random.nextInt(names.size() - 1)), position(line++)));
    }
    if (random.nextInt(3) == 0) {
      constraints.add(new Constraint.Isolate(names.get(random.nextInt(names.size())), position(line++)));
    }
    if (random.nextInt(3) == 0) {
      constraints.add(new Constraint.MaxCompartments(1 + random.nextInt(names.size()), position(line++)));
    }
    if (random.nextInt(4) == 0) {
      for (String name : pick(random, names, 2)) {
        constraints.add(new Constraint.Pin(name, random.nextInt(2), position(line++)));
      }
    }
    return constraints;
  }

  private static List<String> pick(Random random, List<String> names, int count) {
    List<String> shuffled = new ArrayList<>(names);
    Collections.shuffle(shuffled, random);
    return List.copyOf(shuffled.subList(0, Math.min(count, shuffled.size())));
  }

  private static SourcePosition position(int line) {
    return new SourcePosition("flexc.yaml", line, 1);
  }
}
