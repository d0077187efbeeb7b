package io.flexc.metadata.config;

import io.flexc.metadata.MechanismCatalog;
import io.flexc.metadata.MetadataReader;
import io.flexc.model.ApiFunction;
import io.flexc.model.Application;
import io.flexc.model.ApplicationSpec;
import io.flexc.model.Backend;
import io.flexc.model.BackendCatalog;
import io.flexc.model.BuildSpec;
import io.flexc.model.WorkloadSpec;
import io.flexc.model.CallTarget;
import io.flexc.model.Constraint;
import io.flexc.model.Diagnostic;
import io.flexc.model.DiagnosticKind;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.InputFiles;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.LibrarySection;
import io.flexc.model.LibrarySpec;
import io.flexc.model.Located;
import io.flexc.model.Names;
import io.flexc.model.Outcome;
import io.flexc.model.SourcePosition;
import io.flexc.model.Trust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Loads an application: its {@code flexc.yaml}, the metadata of every library it lists, and the
 * hardening mechanisms it may use; then checks that they agree (every name in a {@code [Call]}, a
 * constraint or the hardening list refers to something that exists).
 *
 * <p>All problems of all files are reported together; an application is returned only when there
 * is no error.
 */
public final class ApplicationLoader {

  /** The configuration file an application directory must contain. */
  public static final String CONFIG_FILE = "flexc.yaml";

  private static final Set<String> TOP_KEYS =
      orderedSet(
          "name", "backend", "libraries", "hardening", "constraints", "mechanisms", "build", "measure",
          "trust");
  private static final Set<String> LIBRARY_KEYS = orderedSet("metadata", "sources", "cflags");
  private static final Set<String> BUILD_KEYS = orderedSet("compile-commands", "cflags", "libraries", "ldflags", "channels");
  private static final Set<String> MEASURE_KEYS = orderedSet("workload", "port", "figures", "unit");
  private static final Set<String> TRUST_KEYS =
      orderedSet(Trust.Access.READ.key(), Trust.Access.WRITE.key());
  private static final Set<String> CONSTRAINT_KEYS =
      orderedSet("together", "apart", "isolate", "max-compartments");

  private ApplicationLoader() {}

  /**
   * Loads the application in {@code path}: a directory holding flexc.yaml, or the file itself; its
   * {@code backend:} names one of {@code backends} (their default when it names none). At most
   * {@link io.flexc.model.BoundedDiagnostics#MAX_PER_FILE} diagnostics are kept per file.
   */
  public static Outcome<Application> load(Path path, BackendCatalog backends) {
    return loadAll(path, backends).limitedPerFile();
  }

  private static Outcome<Application> loadAll(Path path, BackendCatalog backends) {
    Path configFile = Files.isDirectory(path) ? path.resolve(CONFIG_FILE) : path;
    List<Diagnostic> diagnostics = new ArrayList<>();
    Optional<ReadSpec> read = readSpec(configFile, backends, diagnostics);
    if (read.isEmpty()) {
      return Outcome.failure(diagnostics);
    }
    Optional<ApplicationSpec> spec = Optional.of(read.get().spec());
    Outcome<Map<String, Located<HardeningMechanism>>> mechanisms =
        MechanismCatalog.load(spec.get().mechanismDirectory());
    diagnostics.addAll(mechanisms.diagnostics());

    Map<String, Located<LibraryMetadata>> libraries = new LinkedHashMap<>();
    for (LibrarySpec library : spec.get().libraries()) {
      readMetadata(library, diagnostics).ifPresent(m -> libraries.put(library.name(), m));
    }
    if (!mechanisms.succeeded() || libraries.size() != spec.get().libraries().size()) {
      return Outcome.failure(diagnostics);
    }
    new CrossReferences(spec.get(), read.get().hardening(), libraries, mechanisms.get(), diagnostics)
        .check();
    if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
      return Outcome.failure(diagnostics);
    }
    return Outcome.of(new Application(spec.get(), libraries, mechanisms.get()), diagnostics);
  }

  private static Optional<Located<LibraryMetadata>> readMetadata(
      LibrarySpec library, List<Diagnostic> diagnostics) {
    Outcome<Located<LibraryMetadata>> outcome =
        MetadataReader.readLibrary(library.metadata(), library.name());
    diagnostics.addAll(outcome.diagnostics());
    if (outcome.succeeded() && !outcome.get().value().name().equals(library.name())) {
      Located<LibraryMetadata> metadata = outcome.get();
      diagnostics.add(
          Diagnostic.of(
              DiagnosticKind.BAD_CONFIG_VALUE,
              metadata.source().section(LibrarySection.LIBRARY.title()),
              "this file describes library '" + metadata.value().name()
                  + "', but flexc.yaml lists it as '" + library.name() + "' at "
                  + library.position().format()));
      return Optional.empty();
    }
    return outcome.value();
  }

  /** flexc.yaml as read, with where each allowed mechanism was named. */
  private record ReadSpec(ApplicationSpec spec, List<YamlDocument.Scalar> hardening) {}

  private static Optional<ReadSpec> readSpec(Path configFile, BackendCatalog backends, List<Diagnostic> diagnostics) {
    String label = configFile.toString();
    Outcome<String> text = InputFiles.read(configFile);
    diagnostics.addAll(text.diagnostics());
    if (!text.succeeded()) {
      return Optional.empty();
    }
    int before = diagnostics.size();
    Optional<Node> root = YamlDocument.parse(label, text.get(), diagnostics);
    if (root.isEmpty()) {
      return Optional.empty();
    }
    YamlDocument yaml = YamlDocument.reportingTo(label, diagnostics);
    SpecReader reader = new SpecReader(configFile, backends, yaml);
    Optional<ApplicationSpec> spec = reader.read(root.get());
    boolean failed =
        diagnostics.subList(before, diagnostics.size()).stream().anyMatch(Diagnostic::isError);
    return failed ? Optional.empty() : spec.map(s -> new ReadSpec(s, reader.hardening));
  }

  /** Reads the keys of flexc.yaml into an {@link ApplicationSpec}. */
  private static final class SpecReader {
    private final Path configFile;
    private final Path directory;
    private final BackendCatalog backends;
    private final YamlDocument yaml;
    private List<YamlDocument.Scalar> hardening = List.of();

    SpecReader(Path configFile, BackendCatalog backends, YamlDocument yaml) {
      this.configFile = configFile;
      this.backends = backends;
      this.directory = configFile.toAbsolutePath().normalize().getParent();
      this.yaml = yaml;
    }

    Optional<ApplicationSpec> read(Node root) {
      Optional<Map<String, YamlDocument.Entry>> top = yaml.mapping(root, CONFIG_FILE, TOP_KEYS);
      if (top.isEmpty()) {
        return Optional.empty();
      }
      Map<String, YamlDocument.Entry> keys = top.get();

      String defaultName =
          directory.getFileName() == null ? "app" : directory.getFileName().toString();
      Optional<YamlDocument.Entry> nameEntry = optional(keys, "name");
      String name =
          nameEntry.flatMap(e -> yaml.string(e.value(), "name")).orElse(defaultName);
      if (!Names.isIdentifier(name)) {
        yaml.error(
            nameEntry.map(YamlDocument.Entry::value).orElse(root),
            "'" + name + "' is not a valid application name (letters, digits, _ and inner -);"
                + " set name:");
      }
      Backend backend = optional(keys, "backend").flatMap(this::backend).orElse(backends.byDefault());
      List<LibrarySpec> libraries = libraries(keys.get("libraries"), root);
      hardening =
          optional(keys, "hardening")
              .map(e -> yaml.strings(e.value(), "hardening"))
              .orElse(List.of());
      List<Constraint> constraints =
          optional(keys, "constraints").map(e -> constraints(e.value())).orElse(List.of());
      Optional<Path> mechanisms =
          optional(keys, "mechanisms").flatMap(e -> existingPath(e.value(), "mechanisms"));
      BuildSpec build = optional(keys, "build").map(e -> build(e.value())).orElse(BuildSpec.NONE);
      Optional<WorkloadSpec> workload = optional(keys, "measure").flatMap(e -> workload(e.value()));
      List<Trust> trust =
          optional(keys, "trust").map(e -> trust(e.value(), libraryNames(keys.get("libraries")))).orElse(List.of());
      if (!Names.isIdentifier(name)) {
        return Optional.empty();
      }
      List<String> mechanismNames = hardening.stream().map(YamlDocument.Scalar::value).toList();
      return Optional.of(
          new ApplicationSpec(
              name, configFile, backend, libraries, mechanismNames, constraints, mechanisms, build,
              workload, trust));
    }

    /** The names that libraries: lists, whether or not each library's own entry is valid. */
    private static List<String> libraryNames(YamlDocument.Entry entry) {
      if (entry == null || !(entry.value() instanceof MappingNode mapping)) {
        return List.of();
      }
      return mapping.getValue().stream().map(NodeTuple::getKeyNode)
          .filter(ScalarNode.class::isInstance).map(key -> ((ScalarNode) key).getValue()).toList();
    }

    /**
     * {@code trust:}, a mapping of library to {@code {readableBy: [...], writableBy: [...]}}: one
     * edge per reader. Names must be libraries of the application; a library trusting itself and
     * a reader named twice for one owner are errors.
     */
    private List<Trust> trust(Node node, List<String> names) {
      List<Trust> edges = new ArrayList<>();
      for (YamlDocument.Entry owner : yaml.mapping(node, "trust", Set.of()).orElse(Map.of()).values()) {
        String library = owner.key().getValue();
        String what = "trust of '" + library + "'";
        if (!names.contains(library)) {
          yaml.report(DiagnosticKind.UNKNOWN_LIBRARY, owner.key(), library, String.join(", ", names));
          continue;
        }
        Map<String, YamlDocument.Entry> keys = yaml.mapping(owner.value(), what, TRUST_KEYS).orElse(Map.of());
        if (keys.isEmpty() && owner.value() instanceof MappingNode) {
          yaml.error(owner.value(), what + " names no reader; e.g. " + library + ": {readableBy: [other]}");
        }
        Set<String> readers = new LinkedHashSet<>();
        for (Trust.Access access : Trust.Access.values()) {
          YamlDocument.Entry entry = keys.get(access.key());
          if (entry == null) {
            continue;
          }
          for (YamlDocument.Scalar reader : yaml.strings(entry.value(), access.key() + " of '" + library + "'")) {
            if (!names.contains(reader.value())) {
              yaml.report(DiagnosticKind.UNKNOWN_LIBRARY, reader.position(), reader.value(), String.join(", ", names));
            } else if (reader.value().equals(library)) {
              yaml.report(DiagnosticKind.BAD_CONFIG_VALUE, reader.position(), "'" + library + "' cannot trust itself:"
                  + " a compartment always reads and writes its own memory");
            } else if (!readers.add(reader.value())) {
              yaml.report(DiagnosticKind.BAD_CONFIG_VALUE, reader.position(), "'" + reader.value()
                  + "' is named twice in " + what + " (writableBy lets a reader read too)");
            } else {
              edges.add(new Trust(library, reader.value(), access, reader.position()));
            }
          }
        }
      }
      return edges;
    }

    private BuildSpec build(Node node) {
      Map<String, YamlDocument.Entry> keys = yaml.mapping(node, "build", BUILD_KEYS).orElse(Map.of());
      Optional<Path> compileCommands =
          optional(keys, "compile-commands").flatMap(e -> existingPath(e.value(), "compile-commands"));
      List<String> libraries = strings(keys, "libraries");
      optional(keys, "libraries").ifPresent(entry -> libraries.stream()
          .filter(library -> !library.matches("[A-Za-z0-9_][A-Za-z0-9_.+-]*")).findFirst()
          .ifPresent(library -> yaml.error(entry.value(), "libraries are names as in -lNAME (m, dl, pthread), not '"
              + library + "'")));
      return new BuildSpec(compileCommands, flags(keys, "build"), libraries, strings(keys, "ldflags"),
          optional(keys, "channels").map(this::channels).orElse(BuildSpec.DEFAULT_CHANNELS));
    }

    /** How many threads can cross compartments at once (proc, ept): a whole number in range, else the default after an error. */
    private int channels(YamlDocument.Entry entry) {
      Optional<String> text = yaml.string(entry.value(), "channels");
      if (text.isPresent() && text.get().matches("[0-9]{1,9}")) {
        int channels = Integer.parseInt(text.get());
        if (channels >= 1 && channels <= BuildSpec.MAX_CHANNELS) {
          return channels;
        }
      }
      text.ifPresent(given -> yaml.error(entry.value(), "channels must be a whole number from 1 to "
          + BuildSpec.MAX_CHANNELS + " (threads that can call across compartments at once), not '" + given + "'"));
      return BuildSpec.DEFAULT_CHANNELS;
    }

    private List<String> strings(Map<String, YamlDocument.Entry> keys, String key) {
      return optional(keys, key).map(e -> yaml.strings(e.value(), key + " of build")).orElse(List.of())
          .stream().map(YamlDocument.Scalar::value).toList();
    }

    private Optional<WorkloadSpec> workload(Node node) {
      Optional<Map<String, YamlDocument.Entry>> read = yaml.mapping(node, "measure", MEASURE_KEYS);
      if (read.isEmpty()) {
        return Optional.empty();
      }
      Map<String, YamlDocument.Entry> keys = read.get();
      Optional<String> command = required(keys, "workload", node).flatMap(e -> yaml.string(e.value(), "workload"));
      Optional<String> port = optional(keys, "port").flatMap(e -> yaml.string(e.value(), "port"));
      port.filter(variable -> !variable.matches("[A-Za-z_][A-Za-z0-9_]*")).ifPresent(variable ->
          yaml.error(keys.get("port").value(), "port must name an environment variable, not '" + variable + "'"));
      Optional<Pattern> figures = required(keys, "figures", node).flatMap(this::figures);
      String unit = optional(keys, "unit").flatMap(e -> yaml.string(e.value(), "unit")).orElse("per second");
      if (command.isEmpty() || figures.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new WorkloadSpec(command.get(), port, figures.get(), unit));
    }

    private Optional<YamlDocument.Entry> required(Map<String, YamlDocument.Entry> keys, String key, Node parent) {
      if (!keys.containsKey(key)) {
        yaml.report(DiagnosticKind.MISSING_KEY, parent, key, "measure");
      }
      return optional(keys, key);
    }

    private Optional<Pattern> figures(YamlDocument.Entry entry) {
      Optional<String> text = yaml.string(entry.value(), "figures");
      if (text.isEmpty()) {
        return Optional.empty();
      }
      Pattern pattern;
      try {
        pattern = Pattern.compile(text.get());
      } catch (PatternSyntaxException e) {
        yaml.error(entry.value(), "figures is not a valid regular expression: " + e.getDescription());
        return Optional.empty();
      }
      if (pattern.matcher("").groupCount() < 2) {
        yaml.error(entry.value(), "figures needs two groups, the figure's name and its value,"
            + " e.g. '([A-Z]+): ([0-9.]+) requests per second'");
        return Optional.empty();
      }
      return Optional.of(pattern);
    }

    private List<String> flags(Map<String, YamlDocument.Entry> keys, String what) {
      return optional(keys, "cflags")
          .map(e -> yaml.strings(e.value(), "cflags of " + what))
          .orElse(List.of())
          .stream()
          .map(YamlDocument.Scalar::value)
          .toList();
    }

    private static Optional<YamlDocument.Entry> optional(Map<String, YamlDocument.Entry> keys, String key) {
      return Optional.ofNullable(keys.get(key));
    }

    private Optional<Backend> backend(YamlDocument.Entry entry) {
      Optional<String> label = yaml.string(entry.value(), "backend");
      Optional<Backend> backend = label.flatMap(backends::byLabel);
      if (label.isPresent() && backend.isEmpty()) {
        yaml.error(entry.value(), "unknown backend '" + label.get() + "'; expected " + backends.labels());
      }
      return backend;
    }

    private List<LibrarySpec> libraries(YamlDocument.Entry entry, Node root) {
      if (entry == null) {
        yaml.report(DiagnosticKind.MISSING_KEY, root, "libraries", CONFIG_FILE);
        return List.of();
      }
      Map<String, YamlDocument.Entry> byName =
          yaml.mapping(entry.value(), "libraries", Set.of()).orElse(Map.of());
      if (byName.isEmpty()) {
        yaml.error(entry.value(), "an application needs at least one library");
      }
      List<LibrarySpec> libraries = new ArrayList<>();
      for (Map.Entry<String, YamlDocument.Entry> library : byName.entrySet()) {
        library(library.getKey(), library.getValue()).ifPresent(libraries::add);
      }
      return libraries;
    }

    private Optional<LibrarySpec> library(String name, YamlDocument.Entry entry) {
      String what = "library '" + name + "'";
      if (!Names.isIdentifier(name)) {
        yaml.error(entry.key(), "'" + name + "' is not a valid library name (letters, digits, _ and inner -)");
        return Optional.empty();
      }
      Optional<Map<String, YamlDocument.Entry>> keys = yaml.mapping(entry.value(), what, LIBRARY_KEYS);
      if (keys.isEmpty()) {
        return Optional.empty();
      }
      YamlDocument.Entry metadataEntry = keys.get().get("metadata");
      if (metadataEntry == null) {
        yaml.report(DiagnosticKind.MISSING_KEY, entry.key(), "metadata", what);
        return Optional.empty();
      }
      Optional<Path> metadata = existingPath(metadataEntry.value(), "metadata of " + what);
      Set<Path> sources = new LinkedHashSet<>();
      YamlDocument.Entry sourcesEntry = keys.get().get("sources");
      if (sourcesEntry != null) {
        for (YamlDocument.Scalar source : yaml.strings(sourcesEntry.value(), "sources of " + what)) {
          sources.addAll(sourceFiles(source));
        }
      }
      List<String> cflags = flags(keys.get(), what);
      return metadata.map(
          path ->
              new LibrarySpec(name, path, List.copyOf(sources), cflags, yaml.position(entry.key())));
    }

    /**
     * The C files one {@code sources} item stands for: a file itself, a directory's {@code .c}
     * files (not recursively: a library's subdirectories are often other libraries), or a glob's
     * matches; sorted, so that every later stage is deterministic.
     */
    private List<Path> sourceFiles(YamlDocument.Scalar source) {
      try {
        return filesOf(source);
      } catch (InvalidPathException e) {
        yaml.report(DiagnosticKind.BAD_CONFIG_VALUE, source.position(),
            "source '" + source.value() + "' is not a valid path: " + e.getReason());
      } catch (PatternSyntaxException e) {
        yaml.report(DiagnosticKind.BAD_CONFIG_VALUE, source.position(),
            "source pattern '" + source.value() + "' is not a valid glob: " + e.getDescription());
      }
      return List.of();
    }

    private List<Path> filesOf(YamlDocument.Scalar source) {
      String pattern = source.value();
      if (!pattern.contains("*") && !pattern.contains("?") && !pattern.contains("[")) {
        Path path = directory.resolve(pattern).normalize();
        if (Files.isDirectory(path)) {
          return matching(path, path.getFileSystem().getPathMatcher("glob:*.c"), 1, source);
        }
        if (Files.isRegularFile(path)) {
          return List.of(relativeToWorkingDirectory(path));
        }
        yaml.report(DiagnosticKind.MISSING_FILE, source.position(), "source " + pattern, path);
        return List.of();
      }
      Path base = directory;
      Path relative = Path.of(pattern);
      if (relative.isAbsolute()) {
        base = relative.getRoot();
        relative = base.relativize(relative);
      }
      int firstGlob = 0;
      while (firstGlob < relative.getNameCount() - 1
          && !relative.getName(firstGlob).toString().matches(".*[*?\\[].*")) {
        firstGlob++;
      }
      Path start = (firstGlob == 0 ? base : base.resolve(relative.subpath(0, firstGlob))).normalize();
      String rest = relative.subpath(firstGlob, relative.getNameCount()).toString();
      int depth = rest.contains("**") ? Integer.MAX_VALUE : relative.getNameCount() - firstGlob;
      List<Path> files =
          Files.isDirectory(start)
              ? matching(start, start.getFileSystem().getPathMatcher("glob:" + rest), depth, source)
              : List.of();
      if (files.isEmpty()) {
        yaml.report(DiagnosticKind.BAD_CONFIG_VALUE, source.position(), "source pattern '" + pattern + "' matches no file");
      }
      return files;
    }

    private List<Path> matching(Path start, PathMatcher matcher, int depth, YamlDocument.Scalar source) {
      try (Stream<Path> walk = Files.walk(start, depth)) {
        return walk.filter(Files::isRegularFile)
            .filter(p -> matcher.matches(start.relativize(p)))
            .sorted()
            .map(SpecReader::relativeToWorkingDirectory)
            .toList();
      } catch (IOException | UncheckedIOException e) {
        yaml.report(DiagnosticKind.BAD_CONFIG_VALUE, source.position(), "cannot list " + start + ": " + e.getMessage());
        return List.of();
      }
    }

    private Optional<Path> existingPath(Node node, String what) {
      Optional<String> value = yaml.string(node, what);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      Path path;
      try {
        path = directory.resolve(value.get()).normalize();
      } catch (InvalidPathException e) {
        yaml.error(node, what + " '" + value.get() + "' is not a valid path: " + e.getReason());
        return Optional.empty();
      }
      if (!Files.exists(path)) {
        yaml.report(DiagnosticKind.MISSING_FILE, node, what + " (" + value.get() + ")", path);
        return Optional.empty();
      }
      return Optional.of(relativeToWorkingDirectory(path));
    }

    /** Paths as short as the user would type them, so diagnostics stay readable. */
    private static Path relativeToWorkingDirectory(Path path) {
      Path workingDirectory = Path.of("").toAbsolutePath();
      return path.startsWith(workingDirectory) ? workingDirectory.relativize(path) : path;
    }

    private List<Constraint> constraints(Node node) {
      List<Constraint> constraints = new ArrayList<>();
      Map<String, YamlDocument.Entry> keys =
          yaml.mapping(node, "constraints", CONSTRAINT_KEYS).orElse(Map.of());
      for (YamlDocument.Entry entry : keys.values()) {
        String key = entry.key().getValue();
        switch (key) {
          case "together", "apart" -> groups(entry, key).forEach(constraints::add);
          case "isolate" ->
              yaml.strings(entry.value(), "isolate").forEach(
                  library -> constraints.add(new Constraint.Isolate(library.value(), library.position())));
          case "max-compartments" ->
              yaml.integer(entry.value(), "max-compartments").ifPresent(limit -> {
                if (limit < 1) {
                  yaml.error(entry.value(), "max-compartments must be at least 1");
                } else {
                  constraints.add(new Constraint.MaxCompartments(limit, yaml.position(entry.value())));
                }
              });
          default -> throw new AssertionError("mapping() only lets known keys through: " + key);
        }
      }
      return constraints;
    }

    private List<Constraint> groups(YamlDocument.Entry entry, String key) {
      List<Constraint> groups = new ArrayList<>();
      for (Node group : yaml.sequence(entry.value(), key).orElse(List.of())) {
        List<String> libraries =
            yaml.strings(group, "each group of " + key).stream().map(YamlDocument.Scalar::value).toList();
        if (libraries.size() < 2) {
          yaml.error(group, "each group of " + key + " names at least two libraries, e.g. [a, b]");
          continue;
        }
        SourcePosition position = yaml.position(group);
        groups.add(
            key.equals("together")
                ? new Constraint.Together(libraries, position)
                : new Constraint.Apart(libraries, position));
      }
      return groups;
    }
  }

  /** The checks that need every file read: names used in one file must exist in another. */
  private record CrossReferences(
      ApplicationSpec spec,
      List<YamlDocument.Scalar> hardening,
      Map<String, Located<LibraryMetadata>> libraries,
      Map<String, Located<HardeningMechanism>> mechanisms,
      List<Diagnostic> diagnostics) {

    void check() {
      callTargets();
      constraintLibraries();
      checkHardening();
    }

    private void callTargets() {
      // A set per library: looking each target up in the API list would be quadratic.
      Map<String, Set<String>> exported = new LinkedHashMap<>();
      libraries.forEach((name, library) -> exported.put(name,
          library.value().api().stream().map(ApiFunction::symbol).collect(Collectors.toSet())));
      for (Located<LibraryMetadata> library : libraries.values()) {
        for (CallTarget target : library.value().call().targets()) {
          SourcePosition where = library.source().item(LibrarySection.CALL.title(), target.toString());
          Located<LibraryMetadata> callee = libraries.get(target.library());
          if (callee == null) {
            diagnostics.add(
                Diagnostic.of(
                    DiagnosticKind.UNKNOWN_CALL_LIBRARY,
                    where,
                    target.library(),
                    spec.name(),
                    String.join(", ", libraries.keySet())));
          } else if (!target.isWildcard() && !exported.get(target.library()).contains(target.symbol())) {
            diagnostics.add(
                Diagnostic.of(
                    DiagnosticKind.UNEXPORTED_CALL_TARGET,
                    where,
                    target.library(),
                    target.symbol(),
                    target.library(),
                    target.symbol()));
          }
        }
      }
    }

    private void constraintLibraries() {
      for (Constraint constraint : spec.constraints()) {
        List<String> named =
            switch (constraint) {
              case Constraint.Together together -> together.libraries();
              case Constraint.Apart apart -> apart.libraries();
              case Constraint.Isolate isolate -> List.of(isolate.library());
              case Constraint.Pin pin -> List.of(pin.library());
              case Constraint.MaxCompartments max -> List.of();
            };
        Set<String> seen = new LinkedHashSet<>();
        for (String library : named) {
          if (!libraries.containsKey(library)) {
            diagnostics.add(
                Diagnostic.of(
                    DiagnosticKind.UNKNOWN_LIBRARY,
                    constraint.position(),
                    library,
                    String.join(", ", libraries.keySet())));
          } else if (!seen.add(library)) {
            diagnostics.add(
                Diagnostic.of(
                    DiagnosticKind.BAD_CONFIG_VALUE,
                    constraint.position(),
                    "'" + library + "' is named twice in " + constraint.describe()));
          }
        }
      }
    }

    private void checkHardening() {
      Set<String> allowed = new LinkedHashSet<>(spec.hardening());
      for (YamlDocument.Scalar mechanism : hardening) {
        Located<HardeningMechanism> definition = mechanisms.get(mechanism.value());
        if (definition == null) {
          diagnostics.add(
              Diagnostic.of(
                  DiagnosticKind.UNKNOWN_MECHANISM,
                  mechanism.position(),
                  mechanism.value(),
                  String.join(", ", mechanisms.keySet())));
          continue;
        }
        for (String needed : definition.value().needs()) {
          if (!allowed.contains(needed)) {
            diagnostics.add(
                Diagnostic.of(
                    DiagnosticKind.INEFFECTIVE_MECHANISM,
                    mechanism.position(),
                    mechanism.value(),
                    needed,
                    needed));
          }
        }
      }
    }
  }

  /** Keys in the order the documentation lists them, so messages list them that way too. */
  private static Set<String> orderedSet(String... keys) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
  }
}
