package io.flexc.transformer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The transformer's second stage (object level only): compiles the sources as given and asks the
 * preprocessor for their macros. The sources must compile as given, or there is nothing to check a
 * rewrite against.
 */
final class CompileOriginals {

  private final Compilation compilation;

  CompileOriginals(Compilation compilation) {
    this.compilation = compilation;
  }

  Originals compile(Path directory) throws IOException, InterruptedException {
    List<Source> sources = compilation.sourcesAsGiven();
    Compilation.Compiled compiled = compilation.compile(directory, sources);
    if (!compiled.failures().isEmpty()) {
      StringBuilder message = new StringBuilder("the original sources do not compile with their flags,"
          + " so flexc cannot check a rewrite against them:");
      compiled.failures().forEach((file, errors) -> message.append('\n').append(file).append(":\n").append(errors));
      throw new IOException(message.toString());
    }
    return new Originals(compiled.objects(), compilation.macros(sources));
  }
}
