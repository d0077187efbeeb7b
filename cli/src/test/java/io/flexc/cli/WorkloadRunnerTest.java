package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flexc.measure.WorkloadRunner;
import io.flexc.model.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workload runner on shell commands: figures, medians of runs, and each way a run fails. */
class WorkloadRunnerTest {

  private static final Pattern FIGURES = Pattern.compile("([A-Z]+): ([0-9.]+) ops");

  @TempDir Path temporary;

  private WorkloadRunner.Result run(String command, Optional<String> port, String program, int runs) throws Exception {
    WorkloadSpec workload = new WorkloadSpec(command, port, FIGURES, "ops");
    return new WorkloadRunner(workload, runs, Duration.ofSeconds(30)).run(Path.of(program), temporary.resolve("logs"));
  }

  @Test
  void eachFigureIsTheMedianOfItsRuns() throws Exception {
    Path counter = temporary.resolve("count");
    String command = "n=$(cat " + counter + " 2>/dev/null || echo 0); n=$((n + 1)); echo $n > " + counter
        + "; printf 'A: %d ops\\rB: 7 ops\\n' $((n * n * 10)); test -x \"$FLEXC_PROGRAM\"";
    WorkloadRunner.Result result = run(command, Optional.empty(), "/bin/true", 3);
    assertEquals(new WorkloadRunner.Result.Measured(Map.of("A", 40.0, "B", 7.0)), result);
    assertEquals(23.5, ((WorkloadRunner.Result.Measured) result).mean());
    assertEquals(2.5, WorkloadRunner.median(List.of(3.0, 1.0, 2.0, 4.0)));
  }

  @Test
  void failuresSayWhy() throws Exception {
    assertEquals(new WorkloadRunner.Result.Failed("the workload exited with status 4: broken"),
        run("echo broken; exit 4", Optional.empty(), "/bin/true", 3));
    assertEquals(new WorkloadRunner.Result.Failed("the workload printed nothing that matches " + FIGURES.pattern()
            + "; see " + temporary.resolve("logs").resolve("workload-1.log")),
        run("echo 'A: fast ops'", Optional.empty(), "/bin/true", 1));
    assertEquals(new WorkloadRunner.Result.Failed(
            "the program exited with status 1 before accepting connections: (no output)"),
        run("true", Optional.of("PORT"), "/bin/false", 1));
  }
}
