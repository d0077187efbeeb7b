package io.flexc.transformer;

import io.flexc.model.Application;
import io.flexc.model.LibrarySpec;
import io.flexc.transformer.objects.CompileCommand;
import io.flexc.transformer.objects.Compiler;
import io.flexc.transformer.objects.ElfObject;
import io.flexc.transformer.objects.LibraryCompileCommands;
import io.flexc.transformer.source.MacroDefinition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the application's files are compiled, shared by the stages: each file's compile command
 * (with its library's added flags), where its object goes (its path below the sources' common
 * root) and which library it belongs to. Holds no state that changes.
 */
final class Compilation {

  /** Compiled objects by source file, and the compiler's errors for the files that failed. */
  record Compiled(Map<Path, ElfObject> objects, Map<Path, String> failures) {

    Compiled {
      objects = Collections.unmodifiableMap(new LinkedHashMap<>(objects));
      failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }
  }

  private final Application application;
  private final Transformer.Options options;
  private final LibraryCompileCommands commands;
  private final Path root;
  private final Path output;

  /** How {@code application}'s files compile for a transform writing into {@code output}. */
  Compilation(Application application, Transformer.Options options, Path output) throws IOException {
    this.application = application;
    this.options = options;
    this.output = output;
    this.commands = new LibraryCompileCommands(application);
    this.root = commonRoot(application.spec().libraries());
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

  CompileCommand commandFor(LibrarySpec library, Path source) {
    return commands.commandFor(library, source, options.libraryFlags().getOrDefault(library.name(), List.of()));
  }

  /** {@code file} below the sources' common root, as it appears in {@code src/} and {@code objects/}. */
  Path relative(Path file) {
    return root.relativize(file.toAbsolutePath().normalize());
  }

  /** Where {@code file}'s object goes in {@code directory}: its path below the sources' root, and ".o". */
  Path objectIn(Path directory, Path file) {
    return directory.resolve(relative(file) + ".o");
  }

  String libraryOf(Path file) {
    return library(file).name();
  }

  LibrarySpec library(Path file) {
    for (LibrarySpec library : application.spec().libraries()) {
      if (library.sources().contains(file)) {
        return library;
      }
    }
    throw new IllegalArgumentException(file + " belongs to no library");
  }

  /** The compiler of this build's files: as many at once as the options say, with their cache if any. */
  Compiler compiler() {
    return options.compiler(output);
  }

  List<Source> sourcesAsGiven() {
    List<Source> sources = new ArrayList<>();
    for (LibrarySpec library : application.spec().libraries()) {
      for (Path file : library.sources()) {
        sources.add(new Source(library, file, file));
      }
    }
    return sources;
  }

  Compiled compile(Path directory, List<Source> sources) throws IOException, InterruptedException {
    List<Compiler.Job> jobs = new ArrayList<>();
    for (Source source : sources) {
      Path object = objectIn(directory, source.file());
      Path quoteDirectory = source.text().equals(source.file()) ? null
          : source.file().toAbsolutePath().normalize().getParent();
      jobs.add(new Compiler.Job(commandFor(source.library(), source.file().toAbsolutePath().normalize()),
          source.text().toAbsolutePath(), object, quoteDirectory));
    }
    Map<Path, ElfObject> objects = new LinkedHashMap<>();
    Map<Path, String> failures = new LinkedHashMap<>();
    List<Compiler.Result> results = compiler().compileAll(jobs);
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

  /** The macros each file's translation unit defines, as the preprocessor reports them. */
  Map<Path, Map<String, MacroDefinition>> macros(List<Source> sources) throws IOException, InterruptedException {
    List<Compiler.Job> jobs = new ArrayList<>();
    for (Source source : sources) {
      Path file = source.file().toAbsolutePath().normalize();
      jobs.add(new Compiler.Job(commandFor(source.library(), file), file, null, null));
    }
    List<Compiler.Result> results = compiler().macrosOfAll(jobs);
    Map<Path, Map<String, MacroDefinition>> macros = new LinkedHashMap<>();
    for (int i = 0; i < results.size(); i++) {
      macros.put(sources.get(i).file(), MacroDefinition.parseAll(results.get(i).messages()));
    }
    return macros;
  }

  private static String firstLines(String messages) {
    return messages.lines().filter(l -> l.contains("error")).limit(40).map(l -> "  " + l)
        .reduce((a, b) -> a + "\n" + b).orElse(messages.strip());
  }
}
