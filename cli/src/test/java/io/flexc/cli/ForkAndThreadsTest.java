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
 * fork and threads on proc (issue 17): {@code fork-and-threads} is a program whose store library
 * sits in a compartment of its own. Children of the program call the store, which calls them back,
 * while the parent keeps calling it (a BGSAVE); children killed in the middle of their calls;
 * the store forking and its child calling the program back; a child that execs; more threads in
 * calls at once than the default 64 channels, with flexc.yaml's {@code build: {channels: 100}}.
 * Each mode prints on proc what it prints as one program (fcall). With 16 channels, 150 children
 * in a row still run (each ended child's channel is taken again), and 80 threads at once stop with
 * the message that names the limit and how to raise it.
 */
@Tag("slow")
class ForkAndThreadsTest {

  private static final Path PROGRAM = Path.of("src", "test", "resources", "fork-and-threads");
  private static final List<String> MODES = List.of("bgsave", "kill", "callee", "exec", "threads");

  @TempDir Path temporary;

  @Test
  void childrenAndThreadsCallAcrossCompartmentsAsInOneProgram() throws Exception {
    Path plain = build(PROGRAM, "fcall", "plain");
    Path proc = build(PROGRAM, "proc", "proc");
    assertEquals("bgsave: 150 of 150 children walked the store, 10 entries weighing 3025; the parent read 57750"
        + " meanwhile, and walks 10 entries weighing 3025\n", Program.succeed(plain, command(plain, "bgsave")));
    for (String mode : MODES) {
      assertEquals(new Program.Outcome(0, Program.succeed(plain, command(plain, mode))),
          Program.run(proc, command(proc, mode), 60), mode);
    }
    // A profiling build's heaps are shared mappings: each child gets private copies, or its frees would land in the parent's.
    Path profiling = build(PROGRAM, "proc", "profiling", "--profile-sharing");
    assertEquals(new Program.Outcome(0, Program.succeed(plain, command(plain, "bgsave"))),
        Program.run(profiling, command(profiling, "bgsave"), 120));
  }

  @Test
  void channelsOfEndedChildrenAreTakenAgainAndTheLimitIsNamed() throws Exception {
    Path program = Files.createDirectories(temporary.resolve("sixteen"));
    try (var files = Files.list(PROGRAM)) {
      for (Path file : files.toList()) {
        Files.copy(file, program.resolve(file.getFileName()));
      }
    }
    Path yaml = program.resolve("flexc.yaml");
    Files.writeString(yaml, Files.readString(yaml).replace("channels: 100", "channels: 16"));
    Path proc = build(program, "proc", "proc16");
    assertEquals("bgsave: 150 of 150 children walked the store, 10 entries weighing 3025; the parent read 57750"
        + " meanwhile, and walks 10 entries weighing 3025\n", Program.succeed(proc, command(proc, "bgsave")));
    assertEquals(new Program.Outcome(134, "flexc: compartment 0 (app): more than 16 threads (and forked processes)"
        + " call other compartments at once; each needs a channel: raise the limit with `build: {channels: N}` in"
        + " flexc.yaml\n"), Program.run(proc, command(proc, "threads"), 60));
  }

  private static List<String> command(Path build, String mode) {
    return List.of(build.resolve("bin/forks").toString(), mode);
  }

  /** The program with the store in a compartment of its own. */
  private Path build(Path program, String backend, String name, String... options) throws IOException {
    Path config = Files.writeString(temporary.resolve("split.json"), "{\"compartments\": [[\"app\"], [\"store\"]]}");
    Path output = temporary.resolve(name);
    List<String> arguments = new ArrayList<>(List.of("build", program.toString(), "--backend", backend, "--config",
        config.toString(), "-o", output.toString(), "--quiet"));
    arguments.addAll(List.of(options));
    FlexcRun build = FlexcRun.run(arguments.toArray(String[]::new));
    assertEquals(0, build.exit(), build.err() + build.out());
    return output;
  }
}
