package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transformer's {@code pointers} sample built in three compartments (app, a, b) and run: b
 * calls a's functions through a's table, a calls app back through a pointer registered by a macro,
 * app calls b's function through the pointer b returned, each through an entry gate; the call to a
 * Windows-only function in an #ifdef makes no gate, so the fcall link does not fail on its alias.
 */
@Tag("slow")
class FunctionPointersTest {

  private static final Path SAMPLE = Path.of("..", "transformer", "src", "test", "resources", "pointers");

  @TempDir Path temporary;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fcall", "proc"})
  void functionPointersCrossThroughEntryGates(String backend) throws Exception {
    Path application = GatesSample.copy(SAMPLE, temporary.resolve("pointers"));
    Path config = Files.writeString(temporary.resolve("three.json"), "{\"compartments\": [[\"app\"], [\"a\"], [\"b\"]]}");
    Path output = temporary.resolve("out");
    FlexcRun run = FlexcRun.run("build", application.toString(), "--backend", backend, "--config", config.toString(),
        "-o", output.toString(), "--quiet");
    assertEquals(0, run.exit(), run.err() + run.out());
    String printed = Program.succeed(temporary, List.of(output.resolve("bin/pointers").toString()));
    assertEquals("double 42 square 25\nevent 101\ndirect 10\nhalf 4\ntimer 6\n", printed);

    JsonNode report = new ObjectMapper().readTree(output.resolve("report.json").toFile());
    List<String> sites = new ArrayList<>();
    for (JsonNode site : report.get("addressSites")) {
      sites.add(Path.of(site.get("file").asText()).getFileName() + ":" + site.get("line").asInt() + " "
          + site.get("referrer").asText() + " takes " + site.get("function").asText() + " (" + site.get("kind").asText()
          + ") -> " + site.get("entryGate").asText());
    }
    assertEquals(List.of(
            "main.c:27 main takes on_event (macro argument) -> flexc_entry_flexc_static_app_main_on_event",
            "main.c:38 main takes on_timer (struct field) -> flexc_entry_flexc_static_app_main_on_timer",
            "a.c:16 a_commands takes a_double (data) -> flexc_entry_flexc_static_a_a_a_double",
            "a.c:17 a_commands takes a_square (data) -> flexc_entry_a_square",
            "b.c:22 b_pick takes b_half (return value) -> flexc_entry_flexc_static_b_b_b_half"),
        sites);
    JsonNode pruned = report.get("prunedGates");
    assertEquals(1, pruned.size(), pruned.toString());
    assertEquals("flexc_gate_c0_b_windows_only", pruned.get(0).get("name").asText());
    String summary = Files.readString(output.resolve("summary.txt"));
    assertTrue(summary.contains("function addresses taken: 5 sites, 5 routed to 5 entry gates\n"), summary);
    assertTrue(summary.contains("gates pruned (no compiled object references them): 1\n"
        + "  flexc_gate_c0_b_windows_only: no compiled object references it: its uses are in code the compiler did"
        + " not compile (an #if branch not taken)\n"), summary);
  }
}
