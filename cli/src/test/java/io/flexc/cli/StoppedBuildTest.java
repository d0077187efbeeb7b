package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build stopped with SIGTERM while it compiles, as a user stops it: flexc says so in one line,
 * prints none of the failures the removal of its partial output causes, and leaves nothing. Without
 * the compile cache, which could finish the build before the signal.
 */
@Tag("slow")
class StoppedBuildTest {

  private static final Path KVSTORE = Path.of("..", "examples", "kvstore");

  @TempDir Path temporary;

  @Test
  void aBuildStoppedWhileCompilingSaysSoOnceAndLeavesNothing() throws Exception {
    Path output = temporary.resolve("out");
    Path err = temporary.resolve("err.txt");
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process flexc = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Flexc.class.getName(),
        "build", KVSTORE.toString(), "-o", output.toString(), "--no-cache")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(err).contains("compiling") && System.nanoTime() < deadline && flexc.isAlive()) {
        Thread.sleep(50);
      }
      Thread.sleep(500);
      flexc.destroy();
      assertTrue(flexc.waitFor(60, TimeUnit.SECONDS), "flexc ends once stopped");
    } finally {
      flexc.destroyForcibly();
    }

    String printed = Files.readString(err);
    assertEquals(143, flexc.exitValue(), printed);
    List<String> lines = printed.lines().toList();
    assertEquals("flexc: stopped; nothing was written to " + output, lines.getLast(), printed);
    assertTrue(lines.get(lines.size() - 2).endsWith(" ... "), "the stop ends the unfinished step: " + printed);
    assertEquals(1, lines.stream().filter(line -> line.contains("stopped")).count(), printed);
    assertTrue(lines.stream().allMatch(line -> line.startsWith("flexc: ") && !line.startsWith("flexc: /")
        && !line.contains("Exception")), "no failure caused by the stop is shown: " + printed);
    try (Stream<Path> left = Files.list(temporary)) {
      assertEquals(List.of(err), left.toList(), "nothing is left of the partial output");
    }
  }
}
