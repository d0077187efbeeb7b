package io.flexc.metadata.config;

import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.model.BackendCatalog;
import io.flexc.model.Configuration;
import io.flexc.model.Diagnostic;
import io.flexc.model.DiagnosticKind;
import io.flexc.model.ImportedConfiguration;
import io.flexc.model.InputFiles;
import io.flexc.model.Names;
import io.flexc.model.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads FlexOS's {@code kraft.yaml} as a fixed configuration: {@code compartments:} (each with a
 * {@code name}, a {@code mechanism.driver} naming one of the known backends (e.g. {@code intel-pku}
 * for mpk), and one marked {@code default: true}) and {@code libraries.<lib>.compartment}, plus an optional
 * per-library {@code hardening:} list. Libraries without a compartment go to the default one, as
 * in FlexOS. Keys flexc has no use for ({@code unikraft}, {@code targets}, {@code kconfig} …) are
 * ignored.
 *
 * <p>Compartments are numbered in declaration order; a declared compartment no library uses is
 * dropped with a warning, so the numbering stays dense.
 */
public final class KraftImporter {

  private KraftImporter() {}

  /** Every library of the kraft.yaml, placed as it says; its drivers name {@code backends}. */
  public static Outcome<ImportedConfiguration> read(Path kraftYaml, BackendCatalog backends) {
    return read(kraftYaml, backends, Optional.empty());
  }

  /**
   * The kraft.yaml's placement of {@code application}'s libraries: libraries it does not list go to
   * the default compartment; libraries it lists that the application lacks are ignored with a
   * warning; hardening must name the application's mechanisms.
   */
  public static Outcome<ImportedConfiguration> readFor(
      Path kraftYaml, Application application, BackendCatalog backends) {
    return read(kraftYaml, backends, Optional.of(application));
  }

  private static Outcome<ImportedConfiguration> read(
      Path kraftYaml, BackendCatalog backends, Optional<Application> application) {
    return readAll(kraftYaml, backends, application).limitedPerFile();
  }

  private static Outcome<ImportedConfiguration> readAll(
      Path kraftYaml, BackendCatalog backends, Optional<Application> application) {
    String label = kraftYaml.toString();
    List<Diagnostic> diagnostics = new ArrayList<>();
    Outcome<String> text = InputFiles.read(kraftYaml);
    if (!text.succeeded()) {
      return Outcome.failure(text.diagnostics());
    }
    Optional<Node> root = YamlDocument.parse(label, text.get(), diagnostics);
    if (root.isEmpty()) {
      return Outcome.failure(diagnostics);
    }
    YamlDocument yaml = YamlDocument.reportingTo(label, diagnostics);
    Optional<ImportedConfiguration> configuration = new Reader(yaml, backends, application).read(root.get());
    return configuration.isPresent()
        ? Outcome.of(configuration.get(), diagnostics)
        : Outcome.failure(diagnostics);
  }

  /** One declared compartment. */
  private record Compartment(String name, Backend backend, Node node) {}

  private static final class Reader {
    private final YamlDocument yaml;
    private final BackendCatalog backends;
    private final Optional<Application> application;

    Reader(YamlDocument yaml, BackendCatalog backends, Optional<Application> application) {
      this.yaml = yaml;
      this.backends = backends;
      this.application = application;
    }

    Optional<ImportedConfiguration> read(Node root) {
      Map<String, YamlDocument.Entry> top = yaml.mapping(root, "kraft.yaml", Set.of()).orElse(null);
      if (top == null) {
        return Optional.empty();
      }
      String name =
          Optional.ofNullable(top.get("name")).flatMap(e -> yaml.string(e.value(), "name")).orElse("kraft");
      YamlDocument.Entry compartmentsEntry = top.get("compartments");
      if (compartmentsEntry == null) {
        yaml.report(DiagnosticKind.MISSING_KEY, root, "compartments", "kraft.yaml");
        return Optional.empty();
      }
      List<Compartment> compartments = new ArrayList<>();
      Optional<Compartment> defaultCompartment = compartments(compartmentsEntry.value(), compartments);
      if (defaultCompartment.isEmpty()) {
        return Optional.empty();
      }
      Backend backend = defaultCompartment.get().backend();
      for (Compartment compartment : compartments) {
        if (!compartment.backend().equals(backend)) {
          yaml.error(
              compartment.node(),
              "compartment '" + compartment.name() + "' uses " + compartment.backend().label()
                  + " but '" + defaultCompartment.get().name() + "' uses " + backend.label()
                  + "; every compartment must use the same mechanism");
        }
      }

      Map<String, String> compartmentOf = new LinkedHashMap<>();
      Map<String, Set<String>> hardening = new LinkedHashMap<>();
      YamlDocument.Entry librariesEntry = top.get("libraries");
      Map<String, YamlDocument.Entry> libraries =
          librariesEntry == null
              ? Map.of()
              : yaml.mapping(librariesEntry.value(), "libraries", Set.of()).orElse(Map.of());
      for (Map.Entry<String, YamlDocument.Entry> library : libraries.entrySet()) {
        library(library.getKey(), library.getValue(), compartments, defaultCompartment.get(), compartmentOf, hardening);
      }
      application.ifPresent(app -> app.libraryNames().forEach(
          library -> compartmentOf.putIfAbsent(library, defaultCompartment.get().name())));
      if (compartmentOf.isEmpty()) {
        yaml.error(root, "kraft.yaml places no library");
        return Optional.empty();
      }
      return Optional.of(number(name, backend, compartments, compartmentOf, hardening));
    }

    /** Reads the declared compartments into {@code compartments}; returns the default one. */
    private Optional<Compartment> compartments(Node node, List<Compartment> compartments) {
      List<Compartment> defaults = new ArrayList<>();
      for (Node element : yaml.sequence(node, "compartments").orElse(List.of())) {
        Map<String, YamlDocument.Entry> keys = yaml.mapping(element, "a compartment", Set.of()).orElse(null);
        if (keys == null) {
          continue;
        }
        Optional<String> name =
            Optional.ofNullable(keys.get("name")).flatMap(e -> yaml.string(e.value(), "a compartment's name"));
        Optional<Backend> backend = Optional.ofNullable(keys.get("mechanism")).flatMap(this::driver);
        if (name.isEmpty() || backend.isEmpty()) {
          if (name.isEmpty() && !keys.containsKey("name")) {
            yaml.report(DiagnosticKind.MISSING_KEY, element, "name", "a compartment");
          }
          if (!keys.containsKey("mechanism")) {
            yaml.report(DiagnosticKind.MISSING_KEY, element, "mechanism", "a compartment");
          }
          continue;
        }
        if (compartments.stream().anyMatch(c -> c.name().equals(name.get()))) {
          yaml.error(element, "compartment '" + name.get() + "' is declared twice");
          continue;
        }
        Compartment compartment = new Compartment(name.get(), backend.get(), element);
        compartments.add(compartment);
        YamlDocument.Entry isDefault = keys.get("default");
        if (isDefault != null && yaml.bool(isDefault.value(), "default").orElse(false)) {
          defaults.add(compartment);
        }
      }
      if (compartments.isEmpty()) {
        yaml.error(node, "declare at least one compartment");
        return Optional.empty();
      }
      if (defaults.size() != 1) {
        yaml.error(
            node,
            defaults.isEmpty()
                ? "exactly one compartment must be marked default: true"
                : "only one compartment may be default, but " + defaults.size() + " are");
        return Optional.empty();
      }
      return Optional.of(defaults.get(0));
    }

    private Optional<Backend> driver(YamlDocument.Entry mechanism) {
      Map<String, YamlDocument.Entry> keys =
          yaml.mapping(mechanism.value(), "a compartment's mechanism", Set.of()).orElse(Map.of());
      YamlDocument.Entry driver = keys.get("driver");
      if (driver == null) {
        yaml.report(DiagnosticKind.MISSING_KEY, mechanism.value(), "driver", "a compartment's mechanism");
        return Optional.empty();
      }
      Optional<String> label = yaml.string(driver.value(), "driver");
      Optional<Backend> backend = label.flatMap(backends::byKraftDriver);
      if (label.isPresent() && backend.isEmpty()) {
        yaml.error(driver.value(), "unknown driver '" + label.get() + "'; expected " + backends.kraftDrivers());
      }
      return backend;
    }

    private void library(
        String library,
        YamlDocument.Entry entry,
        List<Compartment> compartments,
        Compartment defaultCompartment,
        Map<String, String> compartmentOf,
        Map<String, Set<String>> hardening) {
      if (!Names.isIdentifier(library)) {
        yaml.error(entry.key(), "'" + library + "' is not a valid library name");
        return;
      }
      if (application.isPresent() && !application.get().libraries().containsKey(library)) {
        yaml.report(
            DiagnosticKind.IGNORED_LIBRARY, entry.key(), library, application.get().name());
        return;
      }
      Map<String, YamlDocument.Entry> keys =
          entry.value() instanceof MappingNode
              ? yaml.mapping(entry.value(), "library '" + library + "'", Set.of()).orElse(Map.of())
              : Map.of();
      String compartment = defaultCompartment.name();
      YamlDocument.Entry placed = keys.get("compartment");
      if (placed != null) {
        Optional<String> name = yaml.string(placed.value(), "compartment");
        if (name.isPresent() && compartments.stream().noneMatch(c -> c.name().equals(name.get()))) {
          // Reported; the library stays in the default compartment so that numbering stays dense.
          yaml.error(placed.value(), "no compartment named '" + name.get() + "' is declared");
        } else {
          compartment = name.orElse(compartment);
        }
      }
      compartmentOf.put(library, compartment);
      YamlDocument.Entry mechanisms = keys.get("hardening");
      if (mechanisms != null) {
        Set<String> applied = new LinkedHashSet<>();
        for (YamlDocument.Scalar mechanism : yaml.strings(mechanisms.value(), "hardening")) {
          if (application.isPresent() && !application.get().mechanisms().containsKey(mechanism.value())) {
            yaml.report(
                DiagnosticKind.UNKNOWN_MECHANISM,
                mechanism.position(),
                mechanism.value(),
                String.join(", ", application.get().mechanisms().keySet()));
          }
          applied.add(mechanism.value());
        }
        hardening.put(library, applied);
      }
    }

    /** Numbers the used compartments densely in declaration order. */
    private ImportedConfiguration number(
        String name,
        Backend backend,
        List<Compartment> compartments,
        Map<String, String> compartmentOf,
        Map<String, Set<String>> hardening) {
      List<String> used = new ArrayList<>();
      for (Compartment compartment : compartments) {
        if (compartmentOf.containsValue(compartment.name())) {
          used.add(compartment.name());
        } else {
          yaml.report(DiagnosticKind.UNUSED_COMPARTMENT, compartment.node(), compartment.name());
        }
      }
      Map<String, Integer> numbered = new LinkedHashMap<>();
      compartmentOf.forEach((library, compartment) -> numbered.put(library, used.indexOf(compartment)));
      return new ImportedConfiguration(name, backend, used, new Configuration(numbered, hardening));
    }
  }
}
