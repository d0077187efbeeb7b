package io.flexc.backends;

import io.flexc.transformer.TransformReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What a backend generated: the C to compile, and how to write the linker scripts once it is compiled. */
public record GeneratedGates(List<GeneratedSource> sources, LinkerLayout layout) {

  public GeneratedGates {
    sources = List.copyOf(sources);
  }

  /** {@code sources} for one Linux program, laid out by {@code link/linux.ld} ({@link LinuxLayout}). */
  public static GeneratedGates forLinuxProgram(List<GeneratedSource> sources, TransformReport report) {
    return new GeneratedGates(sources,
        (objects, directory) -> LinuxLayout.of(report, directory).writeLinuxScript(directory));
  }

  /** Writes the linker scripts into the build directory, given each generated source's object. */
  @FunctionalInterface
  public interface LinkerLayout {
    void write(Map<Path, Path> objectOfSource, Path directory) throws IOException;
  }
}
