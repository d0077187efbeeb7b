package io.flexc.backends;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What a backend generated: the C to compile, and how to write the linker scripts once it is compiled. */
public record GeneratedGates(List<GeneratedSource> sources, LinkerLayout layout) {

  public GeneratedGates {
    sources = List.copyOf(sources);
  }

  /** Writes the linker scripts into the build directory, given each generated source's object. */
  @FunctionalInterface
  public interface LinkerLayout {
    void write(Map<Path, Path> objectOfSource, Path directory) throws IOException;
  }
}
