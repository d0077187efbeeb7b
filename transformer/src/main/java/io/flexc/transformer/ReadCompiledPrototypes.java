package io.flexc.transformer;

import io.flexc.model.Gate;
import io.flexc.transformer.objects.CompileCommand;
import io.flexc.transformer.objects.Compiler;
import io.flexc.transformer.objects.ElfObject;
import io.flexc.transformer.types.CompiledFunction;
import io.flexc.transformer.types.DebugInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transformer's stage after the rewrite (object level only): the prototypes of the functions
 * that gates enter, and of those whose [API] entry gives one, as the compiler saw them, from the
 * DWARF of the files that define them. A file whose original object already has DWARF (its flags
 * have {@code -g}, as Redis's do) costs nothing more; the others, and only they, are compiled
 * again with {@code -g} (without variable tracking, which only locates variables).
 */
final class ReadCompiledPrototypes {

  /** What only adds debugging information: the code, and so the types, are those of the originals. */
  static final List<String> DEBUG_FLAGS = List.of("-g", "-fno-var-tracking", "-fno-var-tracking-assignments");

  private final Compilation compilation;

  ReadCompiledPrototypes(Compilation compilation) {
    this.compilation = compilation;
  }

  /**
   * The functions each file of {@code files} defines, keyed by name (a static one by its {@link
   * Gate#staticAlias}); files whose DWARF could not be had are in {@link CompiledPrototypes#unread}.
   */
  CompiledPrototypes read(Set<Path> files, Originals originals, Path directory)
      throws IOException, InterruptedException {
    Map<String, CompiledPrototypes.Defined> functions = new LinkedHashMap<>();
    Map<Path, String> unread = new LinkedHashMap<>();
    List<Source> recompile = new ArrayList<>();
    Map<Path, Path> objects = new LinkedHashMap<>();
    for (Path file : files) {
      ElfObject original = originals.objects().get(file);
      if (original == null) {
        continue;
      }
      if (original.sections().stream().anyMatch(s -> s.name().equals(".debug_info"))) {
        objects.put(file, original.path());
      } else {
        recompile.add(new Source(compilation.library(file), file, file));
      }
    }
    if (!recompile.isEmpty()) {
      List<Compiler.Job> jobs = new ArrayList<>();
      for (Source source : recompile) {
        CompileCommand command = compilation.commandFor(source.library(), source.file().toAbsolutePath().normalize());
        List<String> words = new ArrayList<>(command.compiler());
        words.addAll(DEBUG_FLAGS);
        jobs.add(new Compiler.Job(new CompileCommand(command.directory(), words), source.file().toAbsolutePath(),
            directory.resolve(compilation.relative(source.file()) + ".o"), null));
      }
      List<Compiler.Result> results = compilation.compiler().compileAll(jobs);
      for (int i = 0; i < results.size(); i++) {
        Path file = recompile.get(i).file();
        if (results.get(i).succeeded()) {
          objects.put(file, results.get(i).job().object());
        } else {
          unread.put(file, "it did not compile with -g: " + results.get(i).messages().strip());
        }
      }
    }
    for (Map.Entry<Path, Path> entry : objects.entrySet()) {
      Path file = entry.getKey();
      String library = compilation.libraryOf(file);
      try {
        for (CompiledFunction function : DebugInfo.read(entry.getValue())) {
          String key = function.external() ? function.name() : Gate.staticAlias(library, file, function.name());
          functions.putIfAbsent(key, new CompiledPrototypes.Defined(file, function));
        }
      } catch (IOException e) {
        unread.put(file, e.getMessage());
      }
    }
    return new CompiledPrototypes(functions, unread);
  }
}
