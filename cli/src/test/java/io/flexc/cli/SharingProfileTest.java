package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measured source of sharing on proc (issue 17, after PKRU-Safe): a build with {@code
 * --profile-sharing} records, instead of faulting, the accesses to another compartment's heap
 * and globals into OUT/sharing-profile.txt, merged across runs; a build with {@code --sharing
 * FILE} allocates the profile's sites from the shared heap and shares its globals, and what the
 * profile does not list still faults with the located report. {@code private-memory}'s allocator
 * mode is the {@code lua_newstate(l_alloc)} pattern, its global mode {@code lua_tolstring}'s.
 */
@Tag("slow")
class SharingProfileTest {

  private static final Path PROGRAM = Path.of("src", "test", "resources", "private-memory");
  private static final String STATE = "n=42 name=\"state\"\n";
  private static final String HEAP_LINE =
      "lib app heap flexc_rpc_abi_invoke+0x…<flexc_serve+0x…<flexc_rpc_call+0x… 3";

  @TempDir Path temporary;

  private record Outcome(int exit, String output) {}

  @Test
  void aProfileRecordedByOneRunSharesWhatItListsAndNothingElse() throws Exception {
    Path profiling = build("profiling", "--profile-sharing");
    Path profile = profiling.resolve("sharing-profile.txt");
    // The library writes a block of the program's heap: recorded, and the access proceeds on the owner's bytes.
    assertEquals(new Outcome(0, STATE), run(profiling, "allocator"));
    assertEquals(List.of(HEAP_LINE), lines(profile));

    Path allocatorOnly = Files.copy(profile, temporary.resolve("allocator.txt"));
    Path shared = build("allocator", "--sharing", allocatorOnly.toString());
    assertEquals(new Outcome(0, STATE), run(shared, "allocator"));
    // The global is not in that profile: it faults as without one.
    assertEquals(new Outcome(139, "flexc: compartment 0 (app), code at 0x… in main, touched 0x…, memory of"
        + " compartment 1 (lib): the global hits\n"), run(shared, "global"));

    // Two more runs merge into the same profile.
    assertEquals(new Outcome(0, "hits 8\n"), run(profiling, "global"));
    assertEquals(new Outcome(0, "hits 8\n"), run(profiling, "global"));
    assertEquals(List.of("app lib global hits 2", HEAP_LINE), lines(profile));

    Path both = build("both", "--sharing", profile.toString());
    assertEquals(new Outcome(0, "hits 8\n"), run(both, "global"));
    assertEquals(new Outcome(0, STATE), run(both, "allocator"));
    JsonNode sharing = new ObjectMapper().readTree(both.resolve("report.json").toFile()).get("sharing");
    assertEquals("measured", sharing.get("source").asText());
    assertEquals(2, sharing.get("entries").size());
    assertTrue(Files.readString(both.resolve("summary.txt")).contains("sharing:        measured, " + profile
        + ": 1 heap sites, 1 globals, 0 stack functions (not shared)\n"));
  }

  @Test
  void aProfileItCannotReadOrABackendWithoutProfilesIsRefusedBeforeTheBuild() throws Exception {
    Path config = Files.writeString(temporary.resolve("split.json"), "{\"compartments\": [[\"app\"], [\"lib\"]]}");
    Path broken = Files.writeString(temporary.resolve("broken.txt"), "# a comment\napp lib heap main 1\n");
    FlexcRun run = FlexcRun.run("build", PROGRAM.toString(), "--backend", "proc", "--config", config.toString(),
        "-o", temporary.resolve("out").toString(), "--quiet", "--sharing", broken.toString());
    assertEquals(1, run.exit(), run.err());
    assertEquals("flexc: " + broken + ":2:14: not a site (function+0xOFFSET<...): main\n", run.err());
    run = FlexcRun.run("build", PROGRAM.toString(), "--backend", "fcall", "--config", config.toString(),
        "-o", temporary.resolve("out").toString(), "--quiet", "--profile-sharing");
    assertEquals("flexc: --profile-sharing needs --backend proc (only proc records and uses sharing profiles), not"
        + " fcall\n", run.err());
  }

  /** The program with the library in a compartment of its own, on proc, with {@code options}. */
  private Path build(String name, String... options) throws IOException {
    Path config = Files.writeString(temporary.resolve("split.json"), "{\"compartments\": [[\"app\"], [\"lib\"]]}");
    Path output = temporary.resolve(name);
    List<String> arguments = new java.util.ArrayList<>(List.of("build", PROGRAM.toString(), "--backend", "proc",
        "--config", config.toString(), "-o", output.toString(), "--quiet"));
    arguments.addAll(List.of(options));
    FlexcRun build = FlexcRun.run(arguments.toArray(String[]::new));
    assertEquals(0, build.exit(), build.err() + build.out());
    return output;
  }

  /** The profile's lines but comments, offsets and counts of frames read {@code 0x…}. */
  private static List<String> lines(Path profile) throws IOException {
    return Files.readAllLines(profile).stream().filter(line -> !line.startsWith("#"))
        .map(line -> line.replaceAll("0x[0-9a-f]+", "0x…")).toList();
  }

  private static Outcome run(Path build, String mode) throws IOException, InterruptedException {
    Program.Outcome outcome = Program.run(build, List.of(build.resolve("bin/memory").toString(), mode), 30);
    return new Outcome(outcome.exit(), outcome.output().replaceAll("0x[0-9a-f]+", "0x…"));
  }
}
