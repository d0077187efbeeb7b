package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The tools the tests drive (gcc, nm, the programs they build), which must succeed. */
final class Commands {

  private Commands() {}

  /** Runs {@code command} in {@code directory}, asserts it exits 0, and returns its output and errors. */
  static String succeed(Path directory, List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), () -> String.join(" ", command) + ":\n" + output);
    return output;
  }
}
