package io.flexc.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** gcc, nm and readelf run in a test's directory: what the linker-script tests build and read back. */
record Toolchain(Path directory) {

  /** Runs {@code command} in the directory; fails the test unless it succeeds; returns its output. */
  String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), () -> String.join(" ", command) + ":\n" + output);
    return output;
  }

  /** NAME.c with {@code source}, compiled one section per function and datum into NAME.o; returns NAME.o. */
  Path compile(String name, String source, String... flags) throws IOException, InterruptedException {
    Files.writeString(directory.resolve(name + ".c"), source);
    List<String> command = new ArrayList<>(List.of("gcc", "-O2"));
    command.addAll(List.of(flags));
    command.addAll(List.of("-ffunction-sections", "-fdata-sections", "-c", name + ".c", "-o", name + ".o"));
    run(command.toArray(String[]::new));
    return Path.of(name + ".o");
  }

  /** Symbol name to address, from nm. */
  Map<String, Long> symbols(String binary) throws IOException, InterruptedException {
    Map<String, Long> symbols = new HashMap<>();
    for (String line : run("nm", binary).split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length == 3) {
        symbols.put(fields[2], Long.parseUnsignedLong(fields[0], 16));
      }
    }
    return symbols;
  }
}
