package io.flexc.backends;

import io.flexc.layout.Templates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared-memory functions the rewritten sources call (shared heap, data shadow stack) for the
 * backends whose compartments share one address space with a shared default memory: fcall, and mpk,
 * where the process heap keeps the shared key 0.
 */
final class SharedMemoryRuntime {

  static final String FILE = "flexc_runtime.c";

  private SharedMemoryRuntime() {}

  static Path write(Path directory) throws IOException {
    return write(directory, true);
  }

  /**
   * Writes the runtime; without {@code withShadowStack} it leaves the data shadow stack's functions
   * to the backend (mpk's private stacks keep a real one per thread).
   */
  static Path write(Path directory, boolean withShadowStack) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve(FILE);
    String runtime = Templates.text(SharedMemoryRuntime.class, "shared/" + FILE);
    Files.writeString(file, withShadowStack ? runtime + Templates.text(SharedMemoryRuntime.class, "shared/flexc_dss.c") : runtime,
        StandardCharsets.UTF_8);
    return file;
  }
}
