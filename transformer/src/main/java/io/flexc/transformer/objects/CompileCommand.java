package io.flexc.transformer.objects;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one C file is compiled: the working directory and the compiler with its flags, without the
 * input file, {@code -c}, {@code -o} or dependency-file options, which flexc supplies itself.
 */
public record CompileCommand(Path directory, List<String> compiler) {

  /** What every compilation adds: one section per function and per datum, so objects map back. */
  public static final List<String> SECTION_FLAGS = List.of("-ffunction-sections", "-fdata-sections");

  public CompileCommand {
    Objects.requireNonNull(directory, "directory");
    compiler = List.copyOf(compiler);
    if (compiler.isEmpty()) {
      throw new IllegalArgumentException("a compile command needs at least the compiler");
    }
  }

  /**
   * The full command line compiling {@code source} into {@code object}; {@code quoteDirectory},
   * when the source was moved out of its directory, is searched for {@code #include "..."} first.
   */
  public List<String> commandLine(Path source, Path object, Path quoteDirectory) {
    List<String> line = new ArrayList<>(compiler);
    if (quoteDirectory != null) {
      line.add(1, "-iquote");
      line.add(2, quoteDirectory.toString());
    }
    line.addAll(SECTION_FLAGS);
    line.addAll(List.of("-c", source.toString(), "-o", object.toString()));
    return line;
  }
}
