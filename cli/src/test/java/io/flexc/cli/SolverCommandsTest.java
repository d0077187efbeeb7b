package io.flexc.cli;

import static io.flexc.cli.FlexcRun.EXAMPLE;
import static io.flexc.cli.FlexcRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexc.build.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code solve}, {@code explain} and {@code explore} on the seed's example, as a user runs them. */
class SolverCommandsTest {

  @TempDir Path directory;

  @Test
  void theBackendsAreListedFromTheRegistry() {
    FlexcRun help = run("solve", "--help");
    assertTrue(help.out().contains("fcall, mpk, ept or proc (default: flexc.yaml's)."), help.out());
    FlexcRun unknown = run("solve", EXAMPLE, "--backend", "sgx");
    assertEquals(Flexc.EXIT_USAGE, unknown.exit());
    assertTrue(unknown.err().startsWith("unknown backend 'sgx'; expected fcall, mpk, ept or proc\n"), unknown.err());
  }

  @Test
  void solvePrintsTheContractJson() throws IOException {
    FlexcRun run = run("solve", EXAMPLE, "--backend", "ept", "--json");
    assertEquals(0, run.exit(), run.err());
    JsonNode json = Json.MAPPER.readTree(run.out());
    assertEquals(2, json.get("compartments").asInt());
    assertTrue(json.get("optimal").asBoolean());
    assertEquals(0, json.get("assignment").get("sched").asInt());
    assertEquals(1, json.get("assignment").get("netstack").asInt());
    assertEquals(List.of("asan", "cfi", "sp"), strings(json.get("hardening").get("app")));
    assertEquals(166, json.get("cost_breakdown").get("hardening_points").asInt());
    assertEquals(166 + json.get("cost_breakdown").get("gate_cycles").asLong() / 1000.0, json.get("cost").asDouble());
    assertEquals("the code (gcc's static estimate of each call site's frequency)",
        json.get("gate_weights").get("source").asText());
  }

  @Test
  void withoutSourcesTheGatesAreWeighedByTheDeclaredCallsAndTheSummarySaysSo() throws IOException {
    Path application = directory.resolve("metadata-only");
    Files.createDirectories(application.resolve("meta/netstack"));
    for (String file : List.of("sched.meta", "app.meta", "alloc.meta", "netstack/Properties.def")) {
      Files.copy(Path.of(EXAMPLE, "meta", file), application.resolve("meta").resolve(file));
    }
    Files.writeString(application.resolve("flexc.yaml"), """
        name: metadata-only
        backend: ept
        libraries:
          sched: {metadata: meta/sched.meta}
          app: {metadata: meta/app.meta}
          alloc: {metadata: meta/alloc.meta}
          netstack: {metadata: meta/netstack/Properties.def}
        hardening: [asan, cfi, sp]
        constraints:
          isolate: [netstack]
        """);
    FlexcRun run = run("solve", application.toString(), "--backend", "ept");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("\ngates weighed by the declared calls (one per called function)\n"), run.out());
  }

  @Test
  void solveWithoutHardeningOnEptNeedsThreeCompartments() {
    FlexcRun run = run("solve", EXAMPLE, "--backend", "ept", "--hardening", "");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith("seed-scheduler on ept: 3 compartments, proven optimal"), run.out());
  }

  @Test
  void aBudgetsAnswerIsWordedForTheBudgetWithoutTheColouringBounds() {
    FlexcRun run = run("solve", EXAMPLE, "--budget", "100");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith(
        "seed-scheduler on mpk: 4 compartments, proven the safest with a predicted cost of at most 100 points\n"),
        run.out());
  }

  @Test
  void anUnsatisfiablePolicyExitsThreeNamingTheRule() {
    FlexcRun run = run("solve", EXAMPLE, "--backend", "mpk", "--hardening", "none");
    assertEquals(Flexc.EXIT_UNSATISFIABLE, run.exit());
    assertEquals("""
        flexc: the policy is unsatisfiable; these rules cannot all hold (dropping any one of them would make it satisfiable):
          backend mpk trusts the allocator alloc: it must be [Verified] or hardened so that it has neither WA nor XA
        """, run.err());
  }

  @Test
  void aProfileRunNeedsAWorkloadAndExcludesAGivenProfile() {
    FlexcRun without = run("solve", EXAMPLE, "--profile-run");
    assertEquals(Flexc.EXIT_USAGE, without.exit());
    assertTrue(without.err().startsWith("--profile-run needs a workload, and " + Path.of(EXAMPLE, "flexc.yaml")
        + " has no measure: key; give one, or a profile with --profile CSV\n"), without.err());
    FlexcRun both = run("solve", EXAMPLE, "--profile-run", "--profile", "calls.csv");
    assertEquals(Flexc.EXIT_USAGE, both.exit());
    assertTrue(both.err().startsWith("--profile and --profile-run exclude each other\n"), both.err());
  }

  @Test
  void explainSaysWhichHardeningLetsTheApplicationJoinTheScheduler() {
    FlexcRun run = run("explain", EXAMPLE, "sched", "app");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith("sched and app may share a compartment only with hardening\n"), run.out());
    assertTrue(run.out().contains("sched unhardened, app with asan+cfi+sp: compatible"), run.out());
    assertTrue(run.out().contains("sched unhardened, app with asan: incompatible\n  - app may transfer control"), run.out());
  }

  @Test
  void explainRejectsUnknownLibraries() {
    FlexcRun run = run("explain", EXAMPLE, "sched", "nosuch");
    assertEquals(Flexc.EXIT_USAGE, run.exit());
    assertTrue(run.err().startsWith("unknown library 'nosuch'; the application has sched, app, alloc, netstack"), run.err());
  }

  @Test
  void exploreWritesTheWholeHasseDiagram() throws IOException {
    Path json = directory.resolve("space.json");
    Path dot = directory.resolve("space.dot");
    FlexcRun run = run("explore", EXAMPLE, "--json", json.toString(), "--dot", dot.toString(), "--budget", "100");
    assertEquals(0, run.exit(), run.err());
    JsonNode space = Json.MAPPER.readTree(json.toFile());
    int configurations = space.get("configurations").size();
    assertTrue(run.out().startsWith("seed-scheduler on mpk: " + configurations + " valid configurations, "
        + space.get("edges").size() + " edges"), run.out());
    Set<Integer> ids = new HashSet<>();
    space.get("configurations").forEach(c -> ids.add(c.get("id").asInt()));
    space.get("edges").forEach(edge -> {
      assertTrue(ids.contains(edge.get(0).asInt()) && ids.contains(edge.get(1).asInt()));
      assertFalse(edge.get(0).asInt() == edge.get(1).asInt());
    });
    space.get("safest_within_budget").forEach(id ->
        assertTrue(space.get("configurations").get(id.asInt()).get("cost").asDouble() <= 100));
    String graph = Files.readString(dot);
    assertTrue(graph.startsWith("// The safety order of the design space, generated by flexc explore."));
    assertEquals(space.get("edges").size(), graph.lines().filter(line -> line.startsWith("  c") && line.contains(" -> ")).count());
    try (var leftovers = Files.list(directory)) {
      assertEquals(Set.of(json, dot), new HashSet<>(leftovers.toList()), "no partial files remain");
    }
  }

  @Test
  void exploreRefusesPolitelyBeyondTheLimit() {
    FlexcRun run = run("explore", EXAMPLE, "--limit", "10");
    assertEquals(ExploreCommand.EXIT_TOO_LARGE, run.exit());
    assertTrue(run.err().contains("the design space has more than 10 valid configurations (19440 candidates"
        + " before any rule); narrow it with constraints or --hardening, or raise --limit"), run.err());
  }

  @Test
  void aDirectoryWithoutFlexcYamlIsAUsageError() {
    FlexcRun run = run("solve", directory.toString());
    assertEquals(Flexc.EXIT_USAGE, run.exit());
    assertTrue(run.err().startsWith(directory + " is not an application directory: it has no flexc.yaml"), run.err());
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
