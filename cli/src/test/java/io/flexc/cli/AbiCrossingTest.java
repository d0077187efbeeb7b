package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * src/test/resources/abi-crossing, whose library is C as people write it (a variadic printf-like
 * function, a K&R definition, definitions behind an export macro, more int and double arguments
 * than registers), split in two: the fcall build prints what the program means; each mpk build
 * links, its gates compile without a warning and its PKRU writes are all the gates' checked ones
 * (it runs in QEMU, scripts/mpk-in-qemu.sh).
 */
@Tag("slow")
class AbiCrossingTest {

  private static final Path APPLICATION = Path.of("src", "test", "resources", "abi-crossing");

  @TempDir Path temporary;

  /** {@code flexc build} of the application with the library apart, into {@code output}, which must succeed. */
  private FlexcRun build(Path output, List<String> backend) throws IOException {
    Path config = Files.writeString(temporary.resolve("split.json"), "{\"compartments\": [[\"app\"], [\"fmt\"]]}");
    List<String> arguments = new ArrayList<>(List.of("build", APPLICATION.toString(), "--config", config.toString(),
        "-o", output.toString()));
    arguments.addAll(backend);
    FlexcRun run = FlexcRun.run(arguments.toArray(String[]::new));
    assertEquals(0, run.exit(), run.err());
    return run;
  }

  @Test
  void theFcallBuildPrintsWhatTheProgramMeans() throws Exception {
    Path output = temporary.resolve("fcall");
    build(output, List.of("--backend", "fcall"));
    String printed = Program.succeed(temporary, List.of(output.resolve("bin/abi").toString()));
    assertEquals("""
        int 42, double 2.500, string pointer, char x
        1 2 3 4 5 6 7 8 0.5 1.5 2.5 3.5 4.5 5.5 6.5 7.5 8.5 9.5 on the stack 1234567890123
        sum3: 40000000001
        scale: 4.50
        mix: 647.5
        """, printed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"shared", "dss"})
  void mpkGatesEveryCallAndPassesThePkruScan(String stacks) throws Exception {
    Path output = temporary.resolve("mpk-" + stacks);
    FlexcRun run = build(output, List.of("--backend", "mpk", "--mpk-stacks", stacks));
    assertTrue(run.out().contains("abi on mpk: 2 compartments, 4 gates"), run.out());
    // 4 gates, two checked switches each, and start-up's switch into main's compartment.
    assertTrue(run.out().contains("PKRU writes:    9, every one a gate's checked switch"), run.out());
    String gates = Files.readString(output.resolve("gates/mpk_gates_fmt.c"));
    for (String function : List.of("fmt_format", "fmt_mix", "fmt_scale", "fmt_sum3")) {
      assertTrue(gates.contains("FLEXC_MPK_GATE(flexc_gate_c0_" + function + ", " + function + ", 0, 1, "), gates);
    }
    assertTrue(Files.isExecutable(output.resolve("bin/abi")));
  }
}
