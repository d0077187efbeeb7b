package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.build.Json;
import io.flexc.build.ProgramBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A configuration given by hand ({@code --config}, or a kraft.yaml's pins) is held to the policy
 * the solver obeys: refused with exit 3 naming every rule it breaks, or built with {@code
 * --allow-policy-violations}, each violation a warning and listed in summary.txt and build.json.
 */
class PolicyViolationsTest {

  private static final String SEED = FlexcRun.EXAMPLE;
  private static final String REFUSED =
      "flexc: refused; --allow-policy-violations builds it anyway, with these as warnings\n";
  private static final String ISOLATE_NETSTACK =
      "isolate: netstack (" + Path.of(SEED, "flexc.yaml") + ":22:13)";
  private static final String KVSTORE = Path.of("..", "examples", "kvstore").toString();
  private static final String ISOLATE_SCRIPT = "isolate: script (" + Path.of(KVSTORE, "flexc.yaml") + ":37:13)";
  private static final String TWO = "{\"compartments\": [[\"app\", \"net\", \"resp\", \"script\"], [\"store\", \"alloc\"]]}";
  private static final String ALL_IN_ONE = "{\"compartments\": [[\"sched\", \"app\", \"alloc\", \"netstack\"]]}";

  @TempDir Path temporary;

  @Test
  void seedSchedulerAllInOneIsRefusedNamingEveryRuleItBreaks() throws IOException {
    Path config = Files.writeString(temporary.resolve("all.json"), ALL_IN_ONE);
    FlexcRun build = FlexcRun.run("build", SEED, "--backend", "fcall", "--config", config.toString(), "--quiet",
        "-o", temporary.resolve("all").toString());
    assertEquals(Flexc.EXIT_UNSATISFIABLE, build.exit(), build.err());
    String meta = Path.of(SEED, "meta").toAbsolutePath().normalize() + "/";
    String sched = "(" + meta + "sched.meta:10:1)";
    assertEquals("flexc: " + config + " breaks the policy on fcall:\n"
        + "  sched unhardened, app unhardened: incompatible: app writes any memory of its compartment (WA) (" + meta
        + "app.meta:4:25), but the [Requires] of sched " + sched + " does not allow W (write its memory)\n"
        + "  sched unhardened, app unhardened: incompatible: app may transfer control anywhere in its compartment (XA) ("
        + meta + "app.meta:5:12), but the [Requires] of sched " + sched
        + " does not allow X (enter its code anywhere, not only through its API)\n"
        + "  sched unhardened, alloc unhardened: incompatible: alloc writes any memory of its compartment (WA) (" + meta
        + "alloc.meta:3:25), but the [Requires] of sched " + sched + " does not allow W (write its memory)\n"
        + "  sched unhardened, alloc unhardened: incompatible: alloc may transfer control anywhere in its compartment"
        + " (XA) (" + meta + "alloc.meta:4:12), but the [Requires] of sched " + sched
        + " does not allow X (enter its code anywhere, not only through its API)\n"
        + "  sched unhardened, netstack unhardened: incompatible: netstack writes any memory of its compartment (WA) ("
        + meta + "netstack/Properties.def:3:20), but the [Requires] of sched " + sched
        + " does not allow W (write its memory)\n"
        + "  sched unhardened, netstack unhardened: incompatible: netstack may transfer control anywhere in its"
        + " compartment (XA) (" + meta + "netstack/Properties.def:4:8), but the [Requires] of sched " + sched
        + " does not allow X (enter its code anywhere, not only through its API)\n"
        + "  " + ISOLATE_NETSTACK + "\n"
        + REFUSED, build.err());
    assertFalse(Files.exists(temporary.resolve("all")), "nothing is written");
  }

  @Test
  void allowedViolationsAreBuiltWarnedAndListed() throws IOException {
    Path config = Files.writeString(temporary.resolve("all.json"), ALL_IN_ONE);
    Path output = temporary.resolve("all");
    FlexcRun build = FlexcRun.run("build", SEED, "--backend", "fcall", "--config", config.toString(), "--quiet",
        "--allow-policy-violations", "-o", output.toString());
    assertEquals(0, build.exit(), build.err());
    assertTrue(build.err().endsWith("flexc: warning: policy violation: " + ISOLATE_NETSTACK + "\n"), build.err());
    assertEquals(7, build.err().lines().filter(line -> line.startsWith("flexc: warning: policy violation: ")).count(),
        build.err());
    String summary = Files.readString(output.resolve(ProgramBuild.SUMMARY));
    assertTrue(summary.contains("policy violations (built with --allow-policy-violations):\n"), summary);
    assertTrue(summary.contains("\n  " + ISOLATE_NETSTACK + "\n"), summary);
    assertEquals(build.out(), summary, "the summary printed is the one written");
    String manifest = Files.readString(output.resolve(ProgramBuild.MANIFEST));
    assertEquals(ISOLATE_NETSTACK,
        Json.MAPPER.readTree(manifest).get("policyViolations").get(6).asText(), manifest);
  }

  @Test
  void anAllowedTransformListsItsViolationsInItsReport() throws IOException {
    Path config = Files.writeString(temporary.resolve("two.json"), TWO);
    Path output = temporary.resolve("two");
    FlexcRun transform = FlexcRun.run("transform", KVSTORE, "--config", config.toString(), "--source-only",
        "--allow-policy-violations", "-o", output.toString());
    assertEquals(0, transform.exit(), transform.err());
    assertEquals("flexc: warning: policy violation: " + ISOLATE_SCRIPT + "\n", transform.err());
    assertTrue(Files.readString(output.resolve("report.txt"))
        .endsWith("policy violations (built with --allow-policy-violations):\n  " + ISOLATE_SCRIPT + "\n"));
    assertEquals("[\"" + ISOLATE_SCRIPT + "\"]",
        Json.MAPPER.readTree(output.resolve("report.json").toFile()).get("policyViolations").toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      kvstore two.json breaks isolate   | kvstore        | proc  | {"compartments": [["app", "net", "resp", "script"], ["store", "alloc"]]} | isolate: script (../examples/kvstore/flexc.yaml:37:13)
      cfi without sp                    | seed-scheduler | fcall | {"compartments": [["sched"], ["app", "alloc"], ["netstack"]], "hardening": {"app": ["cfi"]}} | app is hardened with cfi, which needs sp for its effect
      mpk trusts the allocator          | seed-scheduler | mpk   | {"compartments": [["sched"], ["app", "alloc"], ["netstack"]]} | backend mpk trusts the allocator alloc: it must be [Verified] or hardened so that it has neither WA nor XA
      vault apart                       | vault          | fcall | {"compartments": [["app", "vault"]]} | apart: [app, vault] (../examples/vault/flexc.yaml:21:11)
      """)
  void aConfigurationBreakingARuleIsRefused(String what, String example, String backend, String json, String rule)
      throws IOException {
    Path config = Files.writeString(temporary.resolve("config.json"), json);
    FlexcRun transform = FlexcRun.run("transform", Path.of("..", "examples", example).toString(), "--backend", backend,
        "--config", config.toString(), "--source-only", "-o", temporary.resolve("out").toString());
    assertEquals(Flexc.EXIT_UNSATISFIABLE, transform.exit(), transform.err());
    assertTrue(transform.err().startsWith("flexc: " + config + " breaks the policy on " + backend + ":\n"),
        transform.err());
    assertTrue(transform.err().contains("\n  " + rule + "\n"), transform.err());
    assertTrue(transform.err().endsWith(REFUSED), transform.err());
    assertFalse(Files.exists(temporary.resolve("out")), "nothing is written");
  }

  @Test
  void aKraftPinBreakingThePolicyIsRefusedWithTheConflict() throws IOException {
    // alloc and sched, which it does not list, go to its default compartment.
    Path kraft = Files.writeString(temporary.resolve("kraft.yaml"), """
        specification: '0.6'
        name: seed-scheduler
        compartments:
          - name: comp1
            mechanism:
              driver: intel-pku
            default: true
        libraries:
          app:
            compartment: comp1
          netstack:
            compartment: comp1
        """);
    FlexcRun build = FlexcRun.run("build", SEED, "--backend", "fcall", "--from-kraft", kraft.toString(), "--quiet",
        "-o", temporary.resolve("kraft").toString());
    assertEquals(Flexc.EXIT_UNSATISFIABLE, build.exit(), build.err());
    assertEquals("flexc: the policy is unsatisfiable; these rules cannot all hold (dropping any one of them would"
        + " make it satisfiable):\n"
        + "  " + ISOLATE_NETSTACK + "\n"
        + "  pin: netstack in compartment 0 (" + kraft + ":1:1)\n"
        + "  pin: alloc in compartment 0 (" + kraft + ":1:1)\n"
        + "flexc: no configuration to build: run flexc solve " + SEED + " for the reason\n", build.err());
  }
}
