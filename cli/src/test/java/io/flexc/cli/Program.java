package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs a program the tests built, its output (stdout and stderr together) into a file rather than a
 * pipe: a compartment process that outlives the program would hold a pipe open and a test reading
 * it would wait for ever. A run still going after its limit (a deadlock) is killed with every process
 * it started, and fails the test with what it printed.
 */
final class Program {

  /** How long a test program may run unless the test says otherwise. */
  static final int DEFAULT_SECONDS = 60;

  /** What a run printed and how it ended. */
  record Outcome(int exit, String output) {}

  private Program() {}

  static Outcome run(Path directory, List<String> command) throws IOException, InterruptedException {
    return run(directory, command, DEFAULT_SECONDS);
  }

  static Outcome run(Path directory, List<String> command, int seconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("flexc-test-run", ".log");
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
      if (!ended) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
      }
      String output = Files.readString(log);
      assertTrue(ended, () -> String.join(" ", command) + " still running after " + seconds + " s:\n" + output);
      return new Outcome(process.exitValue(), output);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * On proc, the processes of the compartments of the program whose first process is {@code first}:
   * they run its executable, and their parent is their keeper (which runs it too), not {@code first}.
   */
  static List<ProcessHandle> compartments(ProcessHandle first) {
    String program = first.info().command().orElseThrow();
    Predicate<ProcessHandle> runsProgram = process -> process.info().command().filter(program::equals).isPresent();
    return ProcessHandle.allProcesses().filter(process -> runsProgram.test(process)
        && process.parent().filter(parent -> parent.pid() != first.pid() && runsProgram.test(parent)).isPresent())
        .toList();
  }

  /** Runs {@code command}, which must exit 0; what it printed. */
  static String succeed(Path directory, List<String> command) throws IOException, InterruptedException {
    Outcome outcome = run(directory, command);
    assertEquals(0, outcome.exit(), () -> String.join(" ", command) + ":\n" + outcome.output());
    return outcome.output();
  }
}
