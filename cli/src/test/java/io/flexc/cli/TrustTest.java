package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flexc.yaml's trust on proc (issue 17, after RLBox): {@code trust} is a program whose library
 * declares {@code lib: {readableBy: [app]}}. The program reads the library's global and strings in
 * its heap through pointers the library returns (lua_tolstring) and prints what the plain build
 * prints; a write there still faults, and the report says the memory is readable but not
 * writable; the library reading the program's memory still faults. With FLEXC_HEAP_STATS=1 the
 * program prints what each compartment holds in the shared heap at exit. Declared writableBy, the
 * program's write into the library's global lands. Addresses read {@code 0x…}.
 */
@Tag("slow")
class TrustTest {

  private static final Path PROGRAM = Path.of("src", "test", "resources", "trust");

  @TempDir Path temporary;

  private record Outcome(int exit, String output) {}

  @Test
  void aTrustedLibrarysMemoryIsReadableByItsCallerOnly() throws Exception {
    // Together, which the metadata forbids: the trust then has no effect, and the reports say so.
    Path plain = build("fcall", "[[\"app\", \"lib\"]]", "--allow-policy-violations");
    assertEquals(new Outcome(0, "hits 8\n"), run(plain, "global"));
    assertEquals(new Outcome(0, "name-1, then name-2\n"), run(plain, "heap"));
    assertEquals(new Outcome(0, "read 42\n"), run(plain, "reverse"));
    assertEquals(new Outcome(0, "Name-3\n"), run(plain, "heapwrite"));
    assertEquals(new Outcome(0, "hits 8 after a fork, 9 seen\n"), run(plain, "fork"));
    assertEquals("trust: lib (compartment 0) readable by app (compartment 0): no effect: both in compartment 0",
        trustLine(plain));

    Path proc = build("proc", "[[\"app\"], [\"lib\"]]");
    assertEquals("trust: lib (compartment 1) readable by app (compartment 0): isolation of lib from app reduced to"
        + " write-protection", trustLine(proc));
    assertEquals(new Outcome(0, "hits 8\n"), run(proc, "global"));
    assertEquals(new Outcome(0, "name-1, then name-2\n"), run(proc, "heap"));
    // The library's child of a fork writes its own copy of the shared memory, not what app reads.
    assertEquals(new Outcome(0, "hits 8 after a fork, 9 seen\n"), run(proc, "fork"));
    assertEquals(new Outcome(139, "flexc: compartment 0 (app), code at 0x… in main, touched 0x…, memory of"
        + " compartment 1 (lib): the global hits; it is readable but not writable by this compartment under"
        + " flexc.yaml's trust (readableBy)\n"), run(proc, "write"));
    assertEquals(new Outcome(139, "flexc: compartment 0 (app), code at 0x… in main, touched 0x…, memory of"
        + " compartment 1 (lib): a heap block of 32 bytes at 0x…, allocated in name_of; it is readable but not"
        + " writable by this compartment under flexc.yaml's trust (readableBy)\n"), run(proc, "heapwrite"));
    assertEquals(new Outcome(125, "flexc: compartment 1 (lib), code at 0x… in read_caller, touched 0x…, memory of"
        + " compartment 0 (app): the global secret\n"
        + "flexc: compartment 1 (lib) died of signal 11 (Segmentation fault)\n"), run(proc, "reverse"));
    // Buffers the program allocates and hands over come from the shared heap, which counts what each compartment holds.
    Program.Outcome stats = Program.run(proc, List.of("env", "FLEXC_HEAP_STATS=1", proc.resolve("bin/trust").toString(),
        "shared"), 30);
    assertEquals(new Outcome(0, "flexc: shared heap: compartment 0 (app) holds 48 bytes in 1 blocks\n"
        + "flexc: shared heap: compartment 1 (lib) holds 0 bytes in 0 blocks\nfilled filled\n"),
        new Outcome(stats.exit(), stats.output()));
  }

  @Test
  void aWritableLibrarysMemoryTakesItsCallersWrites() throws Exception {
    Path program = Files.createDirectories(temporary.resolve("writable"));
    try (var files = Files.list(PROGRAM)) {
      for (Path file : files.toList()) {
        Files.copy(file, program.resolve(file.getFileName()));
      }
    }
    Path config = program.resolve("flexc.yaml");
    Files.writeString(config, Files.readString(config).replace("readableBy", "writableBy"));
    Path proc = build(program, "proc", "[[\"app\"], [\"lib\"]]");
    assertEquals("trust: lib (compartment 1) readable and writable by app (compartment 0): isolation of lib from app"
        + " reduced to none", trustLine(proc));
    assertEquals(new Outcome(0, "hits 0\n"), run(proc, "write"));
  }

  /** The program placed as {@code compartments} says. */
  private Path build(String backend, String compartments, String... options) throws IOException {
    return build(PROGRAM, backend, compartments, options);
  }

  private Path build(Path program, String backend, String compartments, String... options) throws IOException {
    Path config = Files.writeString(temporary.resolve(backend + ".json"), "{\"compartments\": " + compartments + "}");
    Path output = temporary.resolve(backend);
    List<String> arguments = new ArrayList<>(List.of("build", program.toString(), "--backend", backend,
        "--config", config.toString(), "-o", output.toString(), "--quiet"));
    arguments.addAll(List.of(options));
    FlexcRun build = FlexcRun.run(arguments.toArray(String[]::new));
    assertEquals(0, build.exit(), build.err() + build.out());
    return output;
  }

  private static String trustLine(Path build) throws IOException {
    return Files.readAllLines(build.resolve("summary.txt")).stream().filter(line -> line.startsWith("trust:"))
        .findFirst().orElse("(no trust line)");
  }

  /** Runs the program in {@code mode}; addresses vary from run to run and read {@code 0x…}. */
  private static Outcome run(Path build, String mode) throws IOException, InterruptedException {
    Program.Outcome outcome = Program.run(build, List.of(build.resolve("bin/trust").toString(), mode), 30);
    return new Outcome(outcome.exit(), outcome.output().replaceAll("0x[0-9a-f]+", "0x…"));
  }
}
