package io.flexc.benchmarks;

import io.flexc.backends.IsolationBackends;
import io.flexc.metadata.MechanismCatalog;
import io.flexc.model.ApiFunction;
import io.flexc.model.Application;
import io.flexc.model.ApplicationSpec;
import io.flexc.model.Backend;
import io.flexc.model.BuildSpec;
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
import io.flexc.solver.GateCosts;
import io.flexc.solver.PlacementProblem;
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

/**
 * A synthetic application of any size, reproducible from {@code (size, seed)}, shaped like a
 * Unikraft image: mostly unverified C, a few verified or memory-safe libraries, a scheduler and an
 * allocator, and a few placement constraints.
 *
 * <ul>
 *   <li>About 85% unverified C (including the two role libraries): {@code RA, WA}, {@code XA},
 *       {@code Requires R, W, X}, an API of 2 to 5 functions, and declared calls to the
 *       allocator (60%), the scheduler (20%) and 1 to 3 other libraries. One call in ten names a
 *       function its callee does not export (C code reaches into internals); into a callee whose
 *       {@code [Requires]} lacks {@code X} that is a conflict no hardening removes.
 *   <li>About 10% verified ({@code [Verified] Dafny}) and 5% memory-safe ({@code [Language]
 *       Rust}): memory {@code R, W}, calls only to exported functions, {@code Requires R} or
 *       nothing. Every unhardened C library conflicts with them; ASan plus CFI+SP lifts that.
 *   <li>{@code isolate} for one C library per 50 libraries, and one {@code apart} of two C
 *       libraries when there are at least two that are not isolated.
 *   <li>Backend {@code mpk} when the compartments plausibly fit its 15 keys (isolated libraries
 *       plus 3: the C side, the verified side, the apart partner), otherwise {@code ept}. Under
 *       {@code mpk} the unverified scheduler and allocator must be hardened (the backend trusts
 *       them), which gives the hardening stage a non-zero optimum.
 * </ul>
 *
 * <p>The four built-in mechanisms {@code asan}, {@code cfi}, {@code sp}, {@code ubsan} are allowed,
 * which gives every library 12 need-closed hardening choices.
 */
public final class GeneratedApplication {

  /** The mechanisms every generated application allows. */
  public static final List<String> MECHANISMS = List.of("asan", "cfi", "sp", "ubsan");

  /** The backend of a generated application whose isolated libraries fit its compartment limit. */
  private static final Backend LIMITED = IsolationBackends.byLabel("mpk").orElseThrow().model();

  /** The backend of the others. */
  private static final Backend UNLIMITED = IsolationBackends.byLabel("ept").orElseThrow().model();

  private final int size;
  private final long seed;
  private final Application application;
  private final int verified;
  private final int memorySafe;

  private GeneratedApplication(int size, long seed, Application application, int verified, int memorySafe) {
    this.size = size;
    this.seed = seed;
    this.application = application;
    this.verified = verified;
    this.memorySafe = memorySafe;
  }

  private enum Kind { C, VERIFIED, MEMORY_SAFE, SCHEDULER, ALLOCATOR }

  /** The application of {@code size} libraries (at least 4) generated from {@code seed}. */
  public static GeneratedApplication generate(int size, long seed) {
    if (size < 4) {
      throw new IllegalArgumentException("at least 4 libraries: " + size);
    }
    Random random = new Random(seed * 1_000_003L + size);
    int verified = Math.max(1, Math.round(size * 0.10f));
    int memorySafe = Math.round(size * 0.05f);
    int unverified = size - 2 - verified - memorySafe;
    List<Kind> kinds = new ArrayList<>();
    kinds.add(Kind.SCHEDULER);
    kinds.add(Kind.ALLOCATOR);
    kinds.addAll(Collections.nCopies(verified, Kind.VERIFIED));
    kinds.addAll(Collections.nCopies(memorySafe, Kind.MEMORY_SAFE));
    kinds.addAll(Collections.nCopies(unverified, Kind.C));
    Collections.shuffle(kinds, random);

    List<String> names = new ArrayList<>();
    List<Integer> apiSizes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      names.add(switch (kinds.get(i)) {
        case SCHEDULER -> "uksched";
        case ALLOCATOR -> "ukalloc";
        case VERIFIED -> String.format("v%04d", i);
        case MEMORY_SAFE -> String.format("r%04d", i);
        case C -> String.format("c%04d", i);
      });
      apiSizes.add(2 + random.nextInt(4));
    }
    String scheduler = names.get(kinds.indexOf(Kind.SCHEDULER));
    String allocator = names.get(kinds.indexOf(Kind.ALLOCATOR));

    Map<String, Located<LibraryMetadata>> libraries = new LinkedHashMap<>();
    List<LibrarySpec> specs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String name = names.get(i);
      Kind kind = kinds.get(i);
      List<ApiFunction> api = new ArrayList<>();
      for (int f = 0; f < apiSizes.get(i); f++) {
        api.add(ApiFunction.of(exported(name, f)));
      }
      boolean safe = kind == Kind.VERIFIED || kind == Kind.MEMORY_SAFE;
      List<CallTarget> calls = new ArrayList<>();
      if (kind != Kind.ALLOCATOR && random.nextInt(10) < 6) {
        calls.add(call(random, allocator, names, apiSizes, !safe));
      }
      if (kind != Kind.SCHEDULER && random.nextInt(10) < 2) {
        calls.add(call(random, scheduler, names, apiSizes, !safe));
      }
      int others = 1 + random.nextInt(3);
      for (int k = 0; k < others; k++) {
        int callee = random.nextInt(size);
        if (callee != i) {
          CallTarget target = call(random, names.get(callee), names, apiSizes, !safe);
          if (!calls.contains(target)) {
            calls.add(target);
          }
        }
      }
      LibraryMetadata metadata;
      if (safe) {
        Set<Permission> requires = random.nextBoolean() ? Set.of(Permission.R) : Set.of();
        metadata = new LibraryMetadata(
            name,
            Set.of(MemoryAccess.READ_OWN, MemoryAccess.READ_SHARED, MemoryAccess.WRITE_OWN, MemoryAccess.WRITE_SHARED),
            CallPolicy.declared(calls),
            api,
            requires,
            Optional.empty(),
            kind == Kind.VERIFIED ? Optional.of("Dafny") : Optional.empty(),
            kind == Kind.MEMORY_SAFE ? Optional.of("Rust") : Optional.empty());
      } else {
        Optional<String> role = switch (kind) {
          case SCHEDULER -> Optional.of("scheduler");
          case ALLOCATOR -> Optional.of("allocator");
          default -> Optional.empty();
        };
        metadata = new LibraryMetadata(
            name,
            Set.of(MemoryAccess.READ_ANY, MemoryAccess.WRITE_ANY),
            new CallPolicy(true, calls),
            api,
            EnumSet.allOf(Permission.class),
            role,
            Optional.empty(),
            Optional.empty());
      }
      libraries.put(name, new Located<>(metadata, SourceMap.synthetic(name + ".meta")));
      specs.add(LibrarySpec.metadataOnly(name, Path.of(name + ".meta"), position(i + 1)));
    }

    List<String> plainC = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (kinds.get(i) == Kind.C) {
        plainC.add(names.get(i));
      }
    }
    Collections.shuffle(plainC, random);
    List<Constraint> constraints = new ArrayList<>();
    int line = size + 10;
    int isolated = Math.min(size / 50, plainC.size());
    for (int k = 0; k < isolated; k++) {
      constraints.add(new Constraint.Isolate(plainC.get(k), position(line++)));
    }
    if (plainC.size() - isolated >= 2) {
      constraints.add(new Constraint.Apart(List.of(plainC.get(isolated), plainC.get(isolated + 1)), position(line++)));
    }
    Backend backend = isolated + 3 <= LIMITED.compartmentLimit().orElseThrow() ? LIMITED : UNLIMITED;

    Map<String, Located<HardeningMechanism>> mechanisms = MechanismCatalog.load(Optional.empty()).get();
    ApplicationSpec spec = new ApplicationSpec(
        "generated_" + size + "_" + seed,
        Path.of("flexc.yaml"),
        backend,
        specs,
        MECHANISMS,
        constraints,
        Optional.empty(), BuildSpec.NONE, Optional.empty(), List.of());
    return new GeneratedApplication(size, seed, new Application(spec, libraries, mechanisms), verified, memorySafe);
  }

  /** A call to {@code callee}: an exported function, or (for C, one time in ten) an internal one. */
  private static CallTarget call(
      Random random, String callee, List<String> names, List<Integer> apiSizes, boolean mayReachInternals) {
    if (mayReachInternals && random.nextInt(10) == 0) {
      return new CallTarget(callee, callee + "_internal");
    }
    int functions = apiSizes.get(names.indexOf(callee));
    return new CallTarget(callee, exported(callee, random.nextInt(functions)));
  }

  private static String exported(String library, int index) {
    return library + "_f" + index;
  }

  private static SourcePosition position(int line) {
    return new SourcePosition("flexc.yaml", line, 1);
  }

  /** The placement problem the CLI's {@code solve} would build: declared call graph, no profile. */
  public PlacementProblem problem() {
    return PlacementProblem.of(
        application,
        application.spec().backend(),
        MECHANISMS,
        CallGraph.declared(application),
        Optional.empty(),
        GateCosts.defaults(),
        List.of());
  }

  public Application application() {
    return application;
  }

  public Backend backend() {
    return application.spec().backend();
  }

  public int size() {
    return size;
  }

  public long seed() {
    return seed;
  }

  /** Verified ({@code Dafny}) libraries. */
  public int verified() {
    return verified;
  }

  /** Memory-safe ({@code Rust}) libraries. */
  public int memorySafe() {
    return memorySafe;
  }
}
