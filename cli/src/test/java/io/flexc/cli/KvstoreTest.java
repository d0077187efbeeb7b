package io.flexc.cli;

import static io.flexc.cli.KvstoreServer.KVSTORE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexc.build.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * examples/kvstore built with {@code flexc build} and driven with Debian's redis-cli: every split
 * on the proc backend (the solver's choice and 1 to 5 compartments) gives exactly the replies of
 * the fcall build and stops cleanly on SIGTERM; a script that writes into the store's memory
 * corrupts it under fcall and is stopped under proc, the store's data intact.
 */
@Tag("slow")
class KvstoreTest {

  private static final Map<String, String> SPLITS = Map.of(
      "1", "[[\"app\", \"net\", \"resp\", \"store\", \"alloc\", \"script\"]]",
      "2", "[[\"app\", \"net\", \"resp\", \"script\"], [\"store\", \"alloc\"]]",
      "3", "[[\"app\", \"net\", \"resp\"], [\"store\", \"alloc\"], [\"script\"]]",
      "5", "[[\"app\"], [\"net\"], [\"resp\"], [\"store\", \"alloc\"], [\"script\"]]");

  private static final String SESSION = """
      PING
      SET greeting hello
      GET greeting
      GET missing
      SET counter 41
      INCR counter
      INCRBY counter 100
      DECR counter
      INCR greeting
      MSET a 1 b 2 c 3
      MGET a b c missing
      EXISTS a b missing
      DEL a b missing
      DBSIZE
      EVAL "get(counter) * 2 + 1" 0
      EVAL "get(c) > 2" 0
      EVAL "1 / 0" 0
      ECHO "spaces and more"
      CONFIG GET save
      SET big %s
      GET big
      NOSUCH command
      FLUSHALL
      DBSIZE
      """.formatted("x".repeat(5000));

  @TempDir static Path temporary;
  private static String reference;

  @BeforeAll
  static void fcallReplies() throws Exception {
    Path build = build("fcall", null);
    reference = session(build);
    for (String expected : List.of("PONG\n", "hello\n", "\n141\n", "283\n", "ERR script: division by zero",
        "spaces and more\n", "x".repeat(5000) + "\n", "ERR unknown command")) {
      assertTrue(reference.contains(expected), () -> "the fcall build's replies lack " + expected + ":\n" + reference);
    }
  }

  private static Path build(String backend, String split) throws IOException {
    Path output = temporary.resolve(backend + "-" + (split == null ? "solver" : split));
    if (split == null) {
      return KvstoreServer.build(output, "--backend", backend);
    }
    Path config = Files.writeString(temporary.resolve("split-" + split + ".json"),
        "{\"compartments\": " + SPLITS.get(split) + "}");
    // The 1- and 2-compartment splits keep script with app, which isolate: [script] forbids:
    // built anyway, since the test compares every split's replies.
    return KvstoreServer.build(output, "--backend", backend, "--config", config.toString(), "--allow-policy-violations");
  }

  private static String session(Path build) throws Exception {
    try (KvstoreServer server = KvstoreServer.start(build, Map.of(), temporary)) {
      String replies = server.cli(SESSION);
      List<ProcessHandle> compartments = Program.compartments(server.process().toHandle());
      assertEquals(0, server.stop(), server.output());
      assertTrue(server.output().contains("kvstore: stopped with 0 keys"), server.output());
      for (ProcessHandle compartment : compartments) {
        assertTrue(compartment.onExit().get(10, TimeUnit.SECONDS) != null && !compartment.isAlive(),
            "compartment process " + compartment.pid() + " outlived the server");
      }
      return replies;
    }
  }

  @ParameterizedTest(name = "proc, split {0}")
  @ValueSource(strings = {"solver", "1", "2", "3", "5"})
  void everySplitAnswersAsTheFcallBuild(String split) throws Exception {
    Path build = build("proc", split.equals("solver") ? null : split);
    if (!split.equals("solver")) {
      int compartments = Integer.parseInt(split);
      String summary = Files.readString(build.resolve("summary.txt"));
      assertTrue(summary.startsWith("kvstore on proc: " + compartments + (compartments == 1 ? " compartment," : " compartments,")),
          summary);
    }
    assertEquals(reference, session(build));
  }

  @Test
  void aCallProfileFromTheFiveCompartmentBuildLeadsTheSolverToKeepTheProtocolWithTheApplication() throws Exception {
    Path profile = temporary.resolve("kvstore.profile");
    try (KvstoreServer server = KvstoreServer.start(build("proc", "5"), Map.of("FLEXC_PROFILE", profile.toString()),
        temporary)) {
      server.cli(SESSION);
      assertEquals(0, server.stop(), server.output());
    }
    String rows = Files.readString(profile);
    assertTrue(rows.contains("app,resp::resp_parse,") && rows.contains("app,net::net_read,")
        && rows.contains("app,store::store_set,"), rows);
    FlexcRun withProfile = FlexcRun.run("solve", KVSTORE.toString(), "--profile", profile.toString(), "--json");
    assertEquals(0, withProfile.exit(), withProfile.err());
    JsonNode assignment = Json.MAPPER.readTree(withProfile.out()).get("assignment");
    assertEquals(assignment.get("app"), assignment.get("resp"), withProfile.out());
    assertEquals(assignment.get("app"), assignment.get("net"), withProfile.out());
    assertEquals("the call profile", Json.MAPPER.readTree(withProfile.out()).get("gate_weights").get("source").asText());
  }

  @Test
  void withoutAProfileTheCallsEstimatedFromTheCodeChooseTheSameSplitAsTheProfile() throws Exception {
    FlexcRun without = FlexcRun.run("solve", KVSTORE.toString(), "--json");
    assertEquals(0, without.exit(), without.err());
    JsonNode json = Json.MAPPER.readTree(without.out());
    JsonNode assignment = json.get("assignment");
    assertEquals(assignment.get("app"), assignment.get("resp"), without.out());
    assertEquals(assignment.get("app"), assignment.get("net"), without.out());
    JsonNode weights = json.get("gate_weights");
    assertEquals("the code (gcc's static estimate of each call site's frequency)", weights.get("source").asText());
    assertEquals("{app, net} {resp, store, alloc} {script}", weights.get("runner_up").get("configuration").asText());
    assertTrue(weights.get("runner_up").get("crossings").asLong() > 2 * weights.get("crossings").asLong(), without.out());
  }

  /** The malicious script's write: one byte into the store's count of entries, at its address in the process. */
  private static String attack(KvstoreServer server, Path build) throws IOException, InterruptedException {
    return server.cli("SET greeting hello\nDBSIZE\nEVAL \"poke(0x" + Long.toHexString(server.address(build, "entries"))
        + ", 42)\" 0\nDBSIZE\nGET greeting\n");
  }

  @Test
  void withoutIsolationTheMaliciousScriptCorruptsTheStore() throws Exception {
    try (KvstoreServer server = KvstoreServer.start(build("fcall", null), Map.of(), temporary)) {
      assertEquals("OK\n1\n0\n42\nhello\n", attack(server, temporary.resolve("fcall-solver")));
      server.stop();
    }
  }

  @Test
  void procStopsTheMaliciousScriptAndTheStoreIsIntact() throws Exception {
    Path build = build("proc", "3");
    try (KvstoreServer server = KvstoreServer.start(build, Map.of("FLEXC_PROC_ON_CRASH", "fail-calls"), temporary)) {
      String replies = attack(server, build);
      assertEquals("OK\n1\nERR the script engine has crashed; scripts are disabled\n\n1\nhello\n", replies);
      assertEquals(0, server.stop());
      String output = server.output();
      assertTrue(output.contains("flexc: compartment 2 (script), code at "), output);
      assertTrue(output.contains("memory of compartment 1 (alloc+store)"), output);
      assertTrue(output.contains("flexc: compartment 2 (script) died of signal 11 (Segmentation fault)"), output);
      assertTrue(output.contains("kvstore: stopped with 1 keys"), output);
    }
    try (KvstoreServer server = KvstoreServer.start(build, Map.of(), temporary)) {
      attack(server, build);
      assertTrue(server.process().waitFor(20, TimeUnit.SECONDS));
      assertEquals(125, server.process().exitValue(), "by default a crashed compartment ends the program");
    }
  }

  @Test
  void aBuildIsRepeatableWithItsMakefile() throws Exception {
    Path build = build("proc", "2");
    Files.delete(build.resolve("bin/kvstore"));
    Files.delete(build.resolve("objects/app/kvstore.c.o"));
    String output = Program.succeed(build, List.of("make", "-C", build.toString()));
    assertTrue(output.contains("kvstore.c.o"), output);
    assertFalse(output.contains("warning"), output);
    assertEquals(reference, session(build));
  }
}
