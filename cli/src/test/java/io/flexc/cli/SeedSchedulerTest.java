package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * examples/seed-scheduler built with {@code flexc build} and run: a producer and a consumer thread
 * of the cooperative scheduler pass datagrams through the stub network stack. The fcall build
 * (the solver's two compartments, asan on the application and allocator) and proc builds (the
 * solver's choice, kraft.yaml's pins, every library alone) print exactly the same and exit 0.
 * Where the backend cannot link asan, build leaves it out and says so, or refuses a configuration
 * that names it.
 */
class SeedSchedulerTest {

  private static final String EXAMPLE = FlexcRun.EXAMPLE;

  private static final String EXPECTED = """
      app: consumer is thread 1, producer thread 2
      -- round 1
      consumer: nothing on the wire
      producer: sent reading 1
      producer: sent reading 2
      producer: sent reading 3
      -- round 2
      consumer: received reading 1
      consumer: received reading 2
      producer: sent reading 4
      producer: sent reading 5
      producer: sent reading 6
      -- round 3
      consumer: received reading 3
      consumer: received reading 4
      producer: sent reading 7
      producer: sent reading 8
      producer: wire full, reading 9 waits
      -- round 4
      consumer: received reading 5
      consumer: received reading 6
      producer: sent reading 9
      producer: sent reading 10
      producer: done
      -- round 5
      consumer: received reading 7
      consumer: received reading 8
      -- round 6
      consumer: received reading 9
      consumer: received reading 10
      consumer: done
      app: 10 readings, 91 bytes, 6 rounds
      """;

  @TempDir Path temporary;

  @Test
  void fcallWithTheSolversAsanPrintsTheScenario() throws Exception {
    FlexcRun build = build("fcall", "solver");
    assertTrue(build.out().contains("2 compartments") && build.out().contains("asan, cfi, sp"), build.out());
    assertEquals(EXPECTED, run(temporary.resolve("solver")));
  }

  @ParameterizedTest(name = "proc, {0}: {1} compartments")
  @CsvSource({"solver, 3", "kraft, 3", "each-alone, 4"})
  void procSplitsPrintWhatFcallPrints(String split, int compartments) throws Exception {
    FlexcRun build = build("proc", split);
    assertTrue(build.out().startsWith("seed-scheduler on proc: " + compartments + " compartments"), build.out());
    assertEquals(EXPECTED, run(temporary.resolve(split)));
  }

  @Test
  void mpkWithoutAsanHasNoConfigurationAndSaysWhy() {
    FlexcRun build = FlexcRun.run("build", EXAMPLE, "--quiet", "-o", temporary.resolve("mpk").toString());
    assertEquals(Flexc.EXIT_UNSATISFIABLE, build.exit(), build.err());
    assertTrue(build.err().contains("note: asan is left out on mpk: mpk programs are linked -static"), build.err());
    assertTrue(build.err().contains("flexc: no configuration to build without asan: run flexc solve " + EXAMPLE
        + " --backend mpk --hardening cfi,sp for the reason"), build.err());
  }

  @Test
  void aConfigurationWithAsanIsRefusedOnProc() throws IOException {
    Path config = Files.writeString(temporary.resolve("asan.json"),
        "{\"compartments\": [[\"sched\", \"app\", \"alloc\"], [\"netstack\"]], \"hardening\": {\"app\":"
            + " [\"asan\", \"cfi\", \"sp\"], \"alloc\": [\"asan\", \"cfi\", \"sp\"]}}");
    FlexcRun build = FlexcRun.run("build", EXAMPLE, "--backend", "proc", "--config", config.toString(), "--quiet",
        "-o", temporary.resolve("asan").toString());
    assertEquals(Flexc.EXIT_INVALID_INPUT, build.exit(), build.err());
    assertTrue(build.err().contains("flexc: asan cannot be used with the proc backend: its run-time library"),
        build.err());
  }

  private FlexcRun build(String backend, String split) throws IOException {
    List<String> arguments = new ArrayList<>(List.of("build", EXAMPLE, "--backend", backend, "--quiet",
        "-o", temporary.resolve(split).toString()));
    switch (split) {
      case "kraft" -> arguments.addAll(List.of("--from-kraft", Path.of(EXAMPLE, "kraft.yaml").toString()));
      case "each-alone" -> arguments.addAll(List.of("--config", Files.writeString(temporary.resolve("alone.json"),
          "{\"compartments\": [[\"sched\"], [\"app\"], [\"alloc\"], [\"netstack\"]]}").toString()));
      default -> { }
    }
    FlexcRun run = FlexcRun.run(arguments.toArray(String[]::new));
    assertEquals(0, run.exit(), run.err() + run.out());
    return run;
  }

  /** The program's standard output, once it has exited 0. */
  private static String run(Path build) throws Exception {
    return Program.succeed(build, List.of(build.resolve("bin/seed-scheduler").toString()));
  }
}
