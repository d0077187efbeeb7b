package io.flexc.transformer;

import io.flexc.model.Application;
import io.flexc.model.LibrarySpec;
import io.flexc.transformer.SharedData.Placement;
import io.flexc.transformer.TransformReport.FileOutcome;
import io.flexc.transformer.TransformReport.ObjectCheck;
import io.flexc.transformer.TransformReport.Status;
import io.flexc.transformer.objects.CompileCommand;
import io.flexc.transformer.objects.Compiler;
import io.flexc.transformer.objects.ElfObject;
import io.flexc.transformer.objects.LibraryCompileCommands;
import io.flexc.transformer.source.CFile;
import io.flexc.transformer.source.CScanner;
import io.flexc.transformer.source.FunctionDefinition;
import io.flexc.transformer.source.MacroDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The transformer's entry point: rewrites an application's C sources for a configuration into a
 * directory ({@code src/} mirrors the sources, {@code objects/} holds the compiled result), and
 * checks the result against the compiler. With the object level on, every file is compiled before
 * and after the rewrite; references the source rewrite did not reach are redirected in the object
 * with {@code objcopy --redefine-sym}, so no cross-compartment reference escapes a gate.
 */
public final class Transformer {

  /**
   * How to transform: where shared locals go, whether to compile, how many compilers at once, and
   * flags added to each library's compile command (its hardening), by library name.
   */
  public record Options(
      Placement sharedLocals, boolean objectLevel, int parallelism, Map<String, List<String>> libraryFlags) {

    public Options {
      libraryFlags = Map.copyOf(libraryFlags);
    }

    public Options(Placement sharedLocals, boolean objectLevel, int parallelism) {
      this(sharedLocals, objectLevel, parallelism, Map.of());
    }
  }

  private final Application application;
  private final Map<String, Integer> compartmentOf;
  private final Options options;
  private final LibraryCompileCommands commands;
  private final Path root;
  private final Map<String, List<CFile>> filesOf = new LinkedHashMap<>();
  /** Headers scanned once, however many libraries include them. */
  private final Map<Path, CFile> scannedHeaders = new HashMap<>();
  /** The macros each file's translation unit defines, from the preprocessor (object level only). */
  private final Map<Path, Map<String, MacroDefinition>> activeMacros = new HashMap<>();
  private final Map<String, List<CFile>> headersOf = new HashMap<>();
  private final Map<String, String> functionOwners = new HashMap<>();
  private final Map<String, String> dataOwners = new HashMap<>();
  private final Map<String, Prototype> prototypes = new HashMap<>();
  /** The file defining each global symbol, as its object says. */
  private final Map<String, Path> dataFiles = new HashMap<>();
  private final List<String> notes = new ArrayList<>();

  private Transformer(Application application, Map<String, Integer> compartmentOf, Options options)
      throws IOException {
    this.application = application;
    this.compartmentOf = Map.copyOf(compartmentOf);
    this.options = options;
    this.commands = new LibraryCompileCommands(application);
    this.root = commonRoot(application.spec().libraries());
  }

  /**
   * Rewrites {@code application} for the configuration {@code compartmentOf} (library to
   * compartment) into {@code output}, an existing empty directory.
   */
  public static TransformReport transform(
      Application application, Map<String, Integer> compartmentOf, Options options, Path output)
      throws IOException, InterruptedException {
    for (String library : application.libraryNames()) {
      if (!compartmentOf.containsKey(library)) {
        throw new IllegalArgumentException("the configuration does not place library " + library);
      }
    }
    return new Transformer(application, compartmentOf, options).run(output.toAbsolutePath());
  }

  private static Path commonRoot(List<LibrarySpec> libraries) {
    Path root = null;
    for (LibrarySpec library : libraries) {
      for (Path source : library.sources()) {
        Path directory = source.toAbsolutePath().normalize().getParent();
        while (root != null && !directory.startsWith(root)) {
          root = root.getParent();
        }
        root = root == null ? directory : root;
      }
    }
    return root == null ? Path.of("").toAbsolutePath() : root;
  }

  private TransformReport run(Path output) throws IOException, InterruptedException {
    try {
      scan();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    // Inside the output, so that a run stopped outright leaves nothing outside what it was writing.
    Files.createDirectories(output);
    try (ScratchDirectory work = ScratchDirectory.create(output, ".work")) {
      Map<Path, ElfObject> originals = Map.of();
      if (options.objectLevel()) {
        originals = compileOriginals(work.path().resolve("original"));
        readActiveMacros();
        readOwners(originals);
      }
      readSourceOwners();
      return rewrite(output, originals);
    }
  }

  private void scan() throws IOException {
    for (LibrarySpec library : application.spec().libraries()) {
      List<CFile> files = library.sources().parallelStream().map(Transformer::scanUnchecked).toList();
      filesOf.put(library.name(), files);
      List<CFile> headers = new ArrayList<>();
      if (options.objectLevel()) {
        for (Path header : headersOf(library)) {
          headers.add(scannedHeaders.computeIfAbsent(header, Transformer::scanUnchecked));
        }
      }
      headersOf.put(library.name(), headers);
    }
  }

  private static CFile scanUnchecked(Path file) {
    try {
      return CScanner.scan(file, read(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Source files are read byte for byte (ISO-8859-1), so that output differs only where edited. */
  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.ISO_8859_1);
  }

  /** How deep below an include directory headers are looked for ({@code lwip/priv/x.h} is 2). */
  private static final int HEADER_DEPTH = 4;

  /**
   * Headers a library's files can include, where inline functions the objects define come from:
   * those in and below its source directories and its project include directories (system
   * directories under /usr are left out).
   */
  private Set<Path> headersOf(LibrarySpec library) throws IOException {
    Set<Path> directories = new TreeSet<>();
    for (Path source : library.sources()) {
      Path absolute = source.toAbsolutePath().normalize();
      directories.add(absolute.getParent());
      CompileCommand command = commandFor(library, absolute);
      List<String> words = command.compiler();
      for (int i = 0; i < words.size(); i++) {
        String word = words.get(i);
        if (word.startsWith("-I") || word.equals("-iquote") || word.equals("-isystem")) {
          String directory = word.length() > 2 && word.startsWith("-I") ? word.substring(2)
              : i + 1 < words.size() ? words.get(++i) : ".";
          directories.add(command.directory().resolve(directory).normalize());
        }
      }
    }
    Set<Path> headers = new TreeSet<>();
    for (Path directory : directories) {
      if (Files.isDirectory(directory) && !directory.startsWith("/usr")) {
        try (Stream<Path> walk = Files.walk(directory, HEADER_DEPTH)) {
          walk.filter(p -> p.toString().endsWith(".h")).forEach(headers::add);
        }
      }
    }
    return headers;
  }

  private CompileCommand commandFor(LibrarySpec library, Path source) {
    return commands.commandFor(library, source, options.libraryFlags().getOrDefault(library.name(), List.of()));
  }

  private record Source(LibrarySpec library, Path file, Path text) {}

  private List<Source> sourcesAsGiven() {
    List<Source> sources = new ArrayList<>();
    for (LibrarySpec library : application.spec().libraries()) {
      for (Path file : library.sources()) {
        sources.add(new Source(library, file, file));
      }
    }
    return sources;
  }

  private Path relative(Path file) {
    return root.relativize(file.toAbsolutePath().normalize());
  }

  /** Compiled objects by source file, and the compiler's errors for the files that failed. */
  private record Compiled(Map<Path, ElfObject> objects, Map<Path, String> failures) {}

  private Compiled compile(Path directory, List<Source> sources)
      throws IOException, InterruptedException {
    List<Compiler.Job> jobs = new ArrayList<>();
    for (Source source : sources) {
      Path object = directory.resolve(relative(source.file()) + ".o");
      Path quoteDirectory = source.text().equals(source.file()) ? null
          : source.file().toAbsolutePath().normalize().getParent();
      jobs.add(new Compiler.Job(commandFor(source.library(), source.file().toAbsolutePath().normalize()),
          source.text().toAbsolutePath(), object, quoteDirectory));
    }
    Map<Path, ElfObject> objects = new LinkedHashMap<>();
    Map<Path, String> failures = new LinkedHashMap<>();
    List<Compiler.Result> results = new Compiler(options.parallelism()).compileAll(jobs);
    for (int i = 0; i < results.size(); i++) {
      Source source = sources.get(i);
      if (results.get(i).succeeded()) {
        objects.put(source.file(), ElfObject.read(results.get(i).job().object()));
      } else {
        failures.put(source.file(), firstLines(results.get(i).messages()));
      }
    }
    return new Compiled(objects, failures);
  }

  private void readActiveMacros() throws IOException, InterruptedException {
    List<Source> sources = sourcesAsGiven();
    List<Compiler.Job> jobs = new ArrayList<>();
    for (Source source : sources) {
      Path file = source.file().toAbsolutePath().normalize();
      jobs.add(new Compiler.Job(commandFor(source.library(), file), file, null, null));
    }
    List<Compiler.Result> results = new Compiler(options.parallelism()).macrosOfAll(jobs);
    for (int i = 0; i < results.size(); i++) {
      activeMacros.put(sources.get(i).file(), MacroDefinition.parseAll(results.get(i).messages()));
    }
  }

  /** The original objects; the sources must compile as given, or there is nothing to check against. */
  private Map<Path, ElfObject> compileOriginals(Path directory) throws IOException, InterruptedException {
    Compiled compiled = compile(directory, sourcesAsGiven());
    if (!compiled.failures().isEmpty()) {
      StringBuilder message = new StringBuilder("the original sources do not compile with their flags,"
          + " so flexc cannot check a rewrite against them:");
      compiled.failures().forEach((file, errors) -> message.append('\n').append(file).append(":\n").append(errors));
      throw new IOException(message.toString());
    }
    return compiled.objects();
  }

  private static String firstLines(String messages) {
    return messages.lines().filter(l -> l.contains("error")).limit(40).map(l -> "  " + l)
        .reduce((a, b) -> a + "\n" + b).orElse(messages.strip());
  }

  private String libraryOf(Path file) {
    for (LibrarySpec library : application.spec().libraries()) {
      if (library.sources().contains(file)) {
        return library.name();
      }
    }
    throw new IllegalArgumentException(file + " belongs to no library");
  }

  private void readOwners(Map<Path, ElfObject> objects) {
    for (Map.Entry<Path, ElfObject> entry : objects.entrySet()) {
      String library = libraryOf(entry.getKey());
      for (ElfObject.Symbol symbol : entry.getValue().symbols()) {
        if (!symbol.global() || !symbol.isDefined()) {
          continue;
        }
        Map<String, String> owners =
            symbol.type() == ElfObject.Type.FUNCTION ? functionOwners
                : symbol.type() == ElfObject.Type.DATA ? dataOwners : null;
        if (owners != null) {
          dataFiles.putIfAbsent(symbol.name(), entry.getKey());
          String previous = owners.putIfAbsent(symbol.name(), library);
          if (previous != null && !previous.equals(library)) {
            notes.add("'" + symbol.name() + "' is defined by both " + previous + " and " + library
                + "; calls go to " + previous + "'s");
          }
        }
      }
    }
  }

  private void readSourceOwners() {
    filesOf.forEach((library, files) -> {
      for (CFile file : files) {
        for (FunctionDefinition function : file.functions()) {
          Prototype prototype = new Prototype(function.returnType(), function.parameters(),
              function.variadic(), file.path());
          if (function.isStatic()) {
            prototypes.putIfAbsent(Gate.staticAlias(library, file.path(), function.name()), prototype);
          } else {
            functionOwners.putIfAbsent(function.name(), library);
            if (functionOwners.get(function.name()).equals(library)) {
              prototypes.putIfAbsent(function.name(), prototype);
            }
          }
        }
      }
    });
  }

  private Symbols symbols() {
    return new Symbols() {
      @Override
      public Optional<String> functionOwner(String name) {
        return Optional.ofNullable(functionOwners.get(name));
      }

      @Override
      public int compartmentOf(String library) {
        return compartmentOf.get(library);
      }
    };
  }

  private TransformReport rewrite(Path output, Map<Path, ElfObject> originals)
      throws IOException, InterruptedException {
    Symbols symbols = symbols();
    List<GateSite> sites = new ArrayList<>();
    List<SharedData> shared = new ArrayList<>();
    Set<String> entryPoints = new TreeSet<>();
    List<Source> rewritten = new ArrayList<>();
    Map<Path, SourceRewriter.Result> results = new LinkedHashMap<>();
    Map<Path, Set<String>> excluded = new HashMap<>();
    Map<Path, CFile> scanned = new HashMap<>();
    for (LibrarySpec library : application.spec().libraries()) {
      for (CFile file : filesOf.get(library.name())) {
        scanned.put(file.path(), file);
        excluded.put(file.path(), new TreeSet<>());
        Path target = output.resolve("src").resolve(relative(file.path()));
        Files.createDirectories(target.getParent());
        rewritten.add(new Source(library, file.path(), target));
      }
    }
    Map<Path, ElfObject> objects = new LinkedHashMap<>();
    Map<Path, String> fallbacks = new HashMap<>();
    Path objectDirectory = output.resolve("objects");
    List<Source> pending = rewritten;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      List<SourceRewriter.Result> attemptResults = pending.parallelStream()
          .map(source -> fallbacks.containsKey(source.file())
              ? unchanged(scanned.get(source.file()))
              : SourceRewriter.rewrite(scanned.get(source.file()), source.library().name(), symbols,
                  activeMacros.getOrDefault(source.file(), Map.of()),
                  options.sharedLocals(), excluded.get(source.file())))
          .toList();
      for (int i = 0; i < pending.size(); i++) {
        Source source = pending.get(i);
        results.put(source.file(), attemptResults.get(i));
        Files.writeString(source.text(), attemptResults.get(i).text(), StandardCharsets.ISO_8859_1);
      }
      if (!options.objectLevel()) {
        break;
      }
      Compiled compiled = compile(objectDirectory, pending);
      objects.putAll(compiled.objects());
      List<Source> retry = new ArrayList<>();
      for (Source source : pending) {
        String errors = compiled.failures().get(source.file());
        if (errors == null) {
          continue;
        }
        if (fallbacks.containsKey(source.file())) {
          throw new IOException(source.file() + " compiled as given but not from the output tree:\n" + errors);
        }
        Set<String> rejected = rejectedNames(errors);
        if (attempt < MAX_ATTEMPTS && !rejected.isEmpty() && excluded.get(source.file()).addAll(rejected)) {
          notes.add(source.file() + ": the compiler rejected the rewrite of " + String.join(", ", rejected)
              + " (" + firstError(errors) + "); left to the object-level pass");
        } else {
          fallbacks.put(source.file(), "the rewritten file does not compile:\n" + errors);
        }
        retry.add(source);
      }
      pending = retry;
    }
    List<FileOutcome> outcomes = new ArrayList<>();
    for (Source source : rewritten) {
      SourceRewriter.Result result = results.get(source.file());
      Optional<Path> object = options.objectLevel()
          ? Optional.of(output.resolve("objects").resolve(relative(source.file()) + ".o"))
          : Optional.empty();
      CompileCommand command = commandFor(source.library(), source.file().toAbsolutePath().normalize());
      if (fallbacks.containsKey(source.file())) {
        outcomes.add(new FileOutcome(source.library().name(), source.file(), source.text(), object,
            Status.FELL_BACK, fallbacks.get(source.file()), command));
        continue;
      }
      sites.addAll(result.sites());
      shared.addAll(result.shared());
      entryPoints.addAll(result.entryPoints());
      notes.addAll(result.notes());
      boolean changed = !result.text().equals(filesOf.get(source.library().name()).stream()
          .filter(f -> f.path().equals(source.file())).findFirst().orElseThrow().text());
      outcomes.add(new FileOutcome(source.library().name(), source.file(), source.text(), object,
          changed ? Status.REWRITTEN : Status.UNCHANGED, "", command));
    }
    Optional<ObjectCheck> check = Optional.empty();
    if (options.objectLevel()) {
      check = Optional.of(objectLevel(originals, objects, sites, shared));
    }
    List<Gate> gates = gates(sites);
    return new TransformReport(application.spec().name(), compartmentOf, sites, gates, shared,
        List.copyOf(entryPoints), outcomes, notes, check, Optional.ofNullable(functionOwners.get("main")));
  }

  /** Rewrites of one file tried before the file falls back to its original text. */
  private static final int MAX_ATTEMPTS = 4;

  private static final Pattern QUOTED_NAME = Pattern.compile("'([A-Za-z_][A-Za-z0-9_]*)'");

  /** Names the compiler complained about in a rewritten file: gates, callees, moved locals. */
  private static Set<String> rejectedNames(String errors) {
    Set<String> names = new TreeSet<>();
    for (String line : errors.lines().filter(l -> l.contains("error")).toList()) {
      Matcher matcher = QUOTED_NAME.matcher(line);
      while (matcher.find()) {
        names.add(matcher.group(1));
      }
    }
    return names;
  }

  private static String firstError(String errors) {
    return errors.lines().filter(l -> l.contains("error:")).findFirst()
        .map(l -> l.substring(l.indexOf("error:")).strip()).orElse("error");
  }

  private static SourceRewriter.Result unchanged(CFile file) {
    return new SourceRewriter.Result(file.text(), List.of(), List.of(), List.of(), Set.of());
  }

  private ObjectCheck objectLevel(
      Map<Path, ElfObject> originals, Map<Path, ElfObject> objects, List<GateSite> sites,
      List<SharedData> shared) throws IOException, InterruptedException {
    int crossReferences = 0;
    for (Map.Entry<Path, ElfObject> original : originals.entrySet()) {
      crossReferences += foreignFunctionReferences(original.getKey(), original.getValue()).size();
    }
    int redirected = 0;
    Map<String, Map<String, Set<String>>> sharedGlobals = new TreeMap<>();
    for (Map.Entry<Path, ElfObject> entry : objects.entrySet()) {
      Path file = entry.getKey();
      ElfObject object = entry.getValue();
      String library = libraryOf(file);
      int caller = compartmentOf.get(library);
      for (ElfObject.Relocation relocation : object.relocations()) {
        String name = relocation.symbol().name();
        String owner = dataOwners.get(name);
        if (owner != null && !relocation.symbol().isDefined() && compartmentOf.get(owner) != caller) {
          sharedGlobals.computeIfAbsent(name, n -> new TreeMap<>())
              .computeIfAbsent(owner, o -> new TreeSet<>()).add(library);
        }
      }
      List<ElfObject.Relocation> residual = foreignFunctionReferences(file, object);
      if (residual.isEmpty()) {
        continue;
      }
      Map<String, Integer> counts = new TreeMap<>();
      Map<String, String> callers = new HashMap<>();
      Map<Integer, String> owners = sectionOwners(object);
      for (ElfObject.Relocation relocation : residual) {
        counts.merge(relocation.symbol().name(), 1, Integer::sum);
        callers.putIfAbsent(relocation.symbol().name(),
            owners.getOrDefault(relocation.section(), "<data>"));
      }
      List<String[]> renames = new ArrayList<>();
      for (Map.Entry<String, Integer> count : counts.entrySet()) {
        String function = count.getKey();
        String gate = Gate.name(caller, function);
        renames.add(new String[] {function, gate});
        redirected += count.getValue();
        sites.add(new GateSite(file, 0, 0, library, callers.get(function), caller,
            functionOwners.get(function), function, gate, GateSite.Kind.CALL, GateSite.Level.OBJECT,
            count.getValue()));
      }
      Path objectFile = object.path();
      Compiler.redefineSymbols(objectFile, renames);
      objects.put(file, ElfObject.read(objectFile));
    }
    int remaining = 0;
    for (Map.Entry<Path, ElfObject> entry : objects.entrySet()) {
      remaining += foreignFunctionReferences(entry.getKey(), entry.getValue()).size();
    }
    sharedGlobals.forEach((symbol, owners) -> owners.forEach((owner, users) ->
        shared.add(new SharedData.Global(symbol, owner, dataFiles.get(symbol), users))));
    // The rewritten objects have the originals' shape (a gate has its callee's exact type), so
    // every cross reference not redirected or left over went through a gate in the source.
    int handledAtSource = Math.max(0, crossReferences - redirected - remaining);
    return definitions(originals, crossReferences, handledAtSource, redirected, remaining);
  }

  private ObjectCheck definitions(
      Map<Path, ElfObject> originals, int crossReferences, int handledAtSource, int redirected,
      int remaining) {
    int objectFunctions = 0;
    int found = 0;
    List<String> missed = new ArrayList<>();
    for (Map.Entry<Path, ElfObject> entry : originals.entrySet()) {
      Path file = entry.getKey();
      String library = libraryOf(file);
      Set<String> known = new HashSet<>();
      filesOf.get(library).stream().filter(f -> f.path().equals(file))
          .forEach(f -> f.functions().forEach(d -> known.add(d.name())));
      headersOf.get(library).forEach(h -> h.functions().forEach(d -> known.add(d.name())));
      Set<String> defined = new TreeSet<>();
      for (ElfObject.Symbol symbol : entry.getValue().symbols()) {
        if (symbol.type() == ElfObject.Type.FUNCTION && symbol.isDefined() && !symbol.name().contains(".")) {
          defined.add(symbol.name());
        }
      }
      for (String function : defined) {
        objectFunctions++;
        if (known.contains(function)) {
          found++;
        } else {
          missed.add(file + ": " + function);
        }
      }
    }
    return new ObjectCheck(crossReferences, handledAtSource, redirected, remaining, objectFunctions,
        found, missed);
  }

  private static Map<Integer, String> sectionOwners(ElfObject object) {
    Map<Integer, String> owners = new HashMap<>();
    for (ElfObject.Symbol symbol : object.symbols()) {
      if (symbol.section() >= 0 && (symbol.type() == ElfObject.Type.FUNCTION
          || symbol.type() == ElfObject.Type.DATA)) {
        owners.putIfAbsent(symbol.section(), symbol.name());
      }
    }
    return owners;
  }

  /** References in {@code object} to functions of libraries in another compartment. */
  private List<ElfObject.Relocation> foreignFunctionReferences(Path file, ElfObject object) {
    int caller = compartmentOf.get(libraryOf(file));
    List<ElfObject.Relocation> foreign = new ArrayList<>();
    for (ElfObject.Relocation relocation : object.relocations()) {
      ElfObject.Symbol symbol = relocation.symbol();
      String owner = functionOwners.get(symbol.name());
      if (!symbol.isDefined() && symbol.type() != ElfObject.Type.SECTION && owner != null
          && compartmentOf.get(owner) != caller) {
        foreign.add(relocation);
      }
    }
    return foreign;
  }

  private List<Gate> gates(List<GateSite> sites) {
    Map<String, Gate> gates = new TreeMap<>();
    for (GateSite site : sites) {
      if (site.calleeLibrary() == null || !compartmentOf.containsKey(site.calleeLibrary())) {
        continue;
      }
      gates.putIfAbsent(site.gate(), new Gate(site.gate(), site.gateCompartment(),
          compartmentOf.get(site.calleeLibrary()), site.calleeLibrary(), site.function(),
          Optional.ofNullable(prototypes.get(site.function()))));
    }
    return List.copyOf(gates.values());
  }
}
