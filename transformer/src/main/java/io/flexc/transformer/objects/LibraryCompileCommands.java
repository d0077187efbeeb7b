package io.flexc.transformer.objects;

import io.flexc.model.Application;
import io.flexc.model.BuildSpec;
import io.flexc.model.LibrarySpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How each library's files compile as the application gives them: the compilation database's
 * command for the file, else gcc with flexc.yaml's {@code cflags}; then the library's own flags.
 */
public final class LibraryCompileCommands {

  private final Application application;
  private final CompilationDatabase database;

  public LibraryCompileCommands(Application application) throws IOException {
    this.application = application;
    BuildSpec build = application.spec().build();
    this.database = build.compileCommands().isPresent()
        ? CompilationDatabase.read(build.compileCommands().get())
        : CompilationDatabase.empty();
  }

  /** The command for {@code source} of {@code library}, followed by {@code extraFlags}. */
  public CompileCommand commandFor(LibrarySpec library, Path source, List<String> extraFlags) {
    CompileCommand base = database.commandFor(source).orElseGet(() -> {
      List<String> compiler = new ArrayList<>(List.of("gcc"));
      compiler.addAll(application.spec().build().cflags());
      return new CompileCommand(application.spec().directory(), compiler);
    });
    List<String> words = new ArrayList<>(base.compiler());
    words.addAll(library.cflags());
    words.addAll(extraFlags);
    return new CompileCommand(base.directory(), words);
  }
}
