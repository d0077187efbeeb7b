package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A running kvstore server of a build, on a free loopback port, its output in {@code log}. */
record KvstoreServer(Process process, int port, Path log) implements AutoCloseable {

  static final Path KVSTORE = Path.of("..", "examples", "kvstore");

  /** {@code flexc build} of examples/kvstore into {@code output}, with more {@code options}; output. */
  static Path build(Path output, String... options) {
    List<String> arguments = new ArrayList<>(List.of("build", KVSTORE.toString(), "--quiet", "-o", output.toString()));
    arguments.addAll(List.of(options));
    FlexcRun run = FlexcRun.run(arguments.toArray(String[]::new));
    assertEquals(0, run.exit(), run.err() + run.out());
    return output;
  }

  static KvstoreServer start(Path build, Map<String, String> environment, Path logDirectory) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path log = Files.createTempFile(logDirectory, "server", ".log");
    ProcessBuilder builder = new ProcessBuilder(build.resolve("bin/kvstore").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KVSTORE_PORT", Integer.toString(port));
    builder.environment().putAll(environment);
    KvstoreServer server = new KvstoreServer(builder.start(), port, log);
    for (int i = 0; i < 200 && !Files.readString(log).contains("listening"); i++) {
      assertTrue(server.process().isAlive(), () -> "kvstore ended before listening: " + server.output());
      Thread.sleep(50);
    }
    assertTrue(server.output().contains("listening"), server::output);
    return server;
  }

  /** What redis-cli prints for {@code commands}, one a line. */
  String cli(String commands) throws IOException, InterruptedException {
    Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(port)).redirectErrorStream(true).start();
    cli.getOutputStream().write(commands.getBytes(StandardCharsets.UTF_8));
    cli.getOutputStream().close();
    String replies = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(cli.waitFor(60, TimeUnit.SECONDS), "redis-cli did not finish");
    return replies;
  }

  /**
   * The address of {@code symbol} (a global of the program) in the server's processes: every
   * compartment's process is a fork of the first, so the same in all.
   */
  long address(Path build, String symbol) throws IOException, InterruptedException {
    Process nm = new ProcessBuilder("nm", build.resolve("bin/kvstore").toString()).start();
    String symbols = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    nm.waitFor();
    long offset = symbols.lines().map(line -> line.split(" ")).filter(f -> f.length == 3 && f[2].equals(symbol))
        .mapToLong(f -> Long.parseUnsignedLong(f[0], 16)).findFirst().orElseThrow();
    String program = build.resolve("bin/kvstore").toAbsolutePath().normalize().toString();
    long base = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "maps")).stream()
        .filter(line -> line.endsWith(program)).mapToLong(line -> Long.parseUnsignedLong(line.split("-")[0], 16))
        .min().orElseThrow();
    return base + offset;
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Stops the server as a user would (SIGTERM); its exit status. */
  int stop() throws InterruptedException {
    process.destroy();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "kvstore did not stop on SIGTERM");
    return process.exitValue();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
