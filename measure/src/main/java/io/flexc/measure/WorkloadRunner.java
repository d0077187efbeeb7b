package io.flexc.measure;

import io.flexc.model.WorkloadSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * Runs an application's workload ({@link WorkloadSpec}) against one built program and reads the
 * figures it prints. A server program is started with a free loopback port in the workload's port
 * variable, measured once it accepts connections, then stopped with SIGTERM; a program that dies
 * on the way fails the measurement. Without a port variable the workload runs the program itself,
 * found in {@code $FLEXC_PROGRAM}. The workload runs several times against the same program and
 * each figure is the median of its runs, so that one disturbed run does not decide. Output goes to
 * {@code server.log} and {@code workload-R.log}, R the run from 1.
 */
public final class WorkloadRunner {

  public static final String SERVER_LOG = "server.log";

  /** What one run gave: the figures by name, or why there are none. */
  public sealed interface Result {
    record Measured(Map<String, Double> figures) implements Result {
      public Measured {
        figures = Map.copyOf(figures);
      }

      public double mean() {
        return figures.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      }
    }

    record Failed(String reason) implements Result {}
  }

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final WorkloadSpec workload;
  private final int runs;
  private final Duration timeout;

  public WorkloadRunner(WorkloadSpec workload, int runs, Duration timeout) {
    if (runs < 1) {
      throw new IllegalArgumentException("at least one run: " + runs);
    }
    this.workload = workload;
    this.runs = runs;
    this.timeout = timeout;
  }

  public Result run(Path program, Path logs) throws IOException, InterruptedException {
    return run(program, logs, Map.of());
  }

  /** The same, with {@code extra} variables in the program's and the workload's environment. */
  public Result run(Path program, Path logs, Map<String, String> extra) throws IOException, InterruptedException {
    Files.createDirectories(logs);
    Map<String, String> environment = new LinkedHashMap<>(extra);
    environment.put("FLEXC_PROGRAM", program.toAbsolutePath().toString());
    if (workload.portVariable().isEmpty()) {
      return runWorkloads(environment, logs);
    }
    int port = freeLoopbackPort();
    environment.put(workload.portVariable().get(), Integer.toString(port));
    ProcessBuilder server = new ProcessBuilder(program.toAbsolutePath().toString())
        .redirectErrorStream(true).redirectOutput(logs.resolve(SERVER_LOG).toFile());
    server.environment().putAll(environment);
    Process process = server.start();
    try (StopOnExit stop = new StopOnExit(process)) {
      if (!awaitListening(process, port)) {
        return new Result.Failed(process.isAlive()
            ? "the program did not accept connections on port " + port + " within " + READY_TIMEOUT.toSeconds() + " s"
            : "the program exited with status " + process.exitValue() + " before accepting connections: "
                + lastLine(logs.resolve(SERVER_LOG)));
      }
      Result result = runWorkloads(environment, logs);
      if (!process.isAlive()) {
        return new Result.Failed("the program died during the workload with status " + process.exitValue() + ": "
            + lastLine(logs.resolve(SERVER_LOG)));
      }
      return result;
    } finally {
      stop(process);
    }
  }

  /** Every run, then the median of each figure; the first run that fails fails the measurement. */
  private Result runWorkloads(Map<String, String> environment, Path logs) throws IOException, InterruptedException {
    Map<String, List<Double>> values = new LinkedHashMap<>();
    for (int run = 1; run <= runs; run++) {
      Result result = runWorkload(environment, logs.resolve("workload-" + run + ".log"));
      if (result instanceof Result.Failed) {
        return result;
      }
      ((Result.Measured) result).figures().forEach((name, value) ->
          values.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    values.forEach((name, list) -> medians.put(name, median(list)));
    return new Result.Measured(medians);
  }

  public static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  private Result runWorkload(Map<String, String> environment, Path log) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", workload.command())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    try (StopOnExit stop = new StopOnExit(process)) {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(process);
        return new Result.Failed("the workload did not finish within " + timeout.toSeconds() + " s");
      }
    }
    if (process.exitValue() != 0) {
      return new Result.Failed("the workload exited with status " + process.exitValue() + ": " + lastLine(log));
    }
    Map<String, Double> figures = figures(Files.readString(log, StandardCharsets.UTF_8));
    if (figures.isEmpty()) {
      return new Result.Failed("the workload printed nothing that matches " + workload.figures().pattern() + "; see " + log);
    }
    return new Result.Measured(figures);
  }

  /** Every match of the figures pattern; tools that redraw a line with carriage returns are read line by line. */
  public Map<String, Double> figures(String output) {
    Map<String, Double> figures = new LinkedHashMap<>();
    Matcher matcher = workload.figures().matcher(output.replace('\r', '\n'));
    while (matcher.find()) {
      try {
        figures.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
      } catch (NumberFormatException notANumber) {
        // a match whose value is not a number is not a figure
      }
    }
    return figures;
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean awaitListening(Process process, int port) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return true;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    return false;
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static String lastLine(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).strip();
  }
}
