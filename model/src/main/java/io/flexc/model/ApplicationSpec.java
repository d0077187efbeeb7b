package io.flexc.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An application's flexc.yaml, read but not yet cross-checked against its metadata: its name,
 * backend, libraries (in file order, which is the order every report uses), the hardening
 * mechanisms the solver may apply, the user's placement constraints and an optional directory of
 * extra mechanism definitions, how its sources are compiled, how a build is benchmarked, and the
 * trust its libraries declare in each other (flexc.yaml's {@code trust:}).
 */
public record ApplicationSpec(
    String name,
    Path configFile,
    Backend backend,
    List<LibrarySpec> libraries,
    List<String> hardening,
    List<Constraint> constraints,
    Optional<Path> mechanismDirectory,
    BuildSpec build,
    Optional<WorkloadSpec> workload,
    List<Trust> trust) {

  public ApplicationSpec {
    Names.requireIdentifier(name, "application name");
    Objects.requireNonNull(configFile, "configFile");
    Objects.requireNonNull(backend, "backend");
    libraries = List.copyOf(libraries);
    hardening = List.copyOf(hardening);
    constraints = List.copyOf(constraints);
    Objects.requireNonNull(mechanismDirectory, "mechanismDirectory");
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(workload, "workload");
    trust = List.copyOf(trust);
  }

  public Path directory() {
    Path parent = configFile.toAbsolutePath().getParent();
    return parent != null ? parent : configFile.toAbsolutePath();
  }
}
