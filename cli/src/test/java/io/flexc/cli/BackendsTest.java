package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/vault built for each backend that runs on this machine (fcall, proc; mpk runs under
 * QEMU in scripts/mpk-in-qemu.sh, and here it must at least build): the same output as the
 * original program, and isolation violations that fault under proc.
 */
class BackendsTest {

  private static final Path VAULT = Path.of("..", "examples", "vault");

  @TempDir Path temporary;
  private Path config;

  /** What a run printed (stdout and stderr together) and how it ended. */
  private record Outcome(int exit, String output) {}

  @BeforeEach
  void writeConfig() throws IOException {
    config = Files.writeString(temporary.resolve("split.json"), "{\"compartments\": [[\"app\"], [\"vault\"]]}");
  }

  private static Outcome run(Path directory, List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Outcome(process.waitFor(), output);
  }

  private static String succeed(Path directory, List<String> command) throws IOException, InterruptedException {
    Outcome outcome = run(directory, command);
    assertEquals(0, outcome.exit(), () -> String.join(" ", command) + ":\n" + outcome.output());
    return outcome.output();
  }

  /** The vault transformed for {@code backend} and linked as OUT/vault; returns OUT. */
  private Path build(String backend, String... linkOptions) throws IOException, InterruptedException {
    Path output = temporary.resolve(backend);
    FlexcRun transform = FlexcRun.run("transform", VAULT.toString(), "--backend", backend, "--config",
        config.toString(), "-o", output.toString());
    assertEquals(0, transform.exit(), transform.err());
    List<String> link = new ArrayList<>(List.of("gcc"));
    link.addAll(List.of(linkOptions));
    link.addAll(List.of("-T", "link/linux.ld", "-o", "vault"));
    try (Stream<Path> walk = Files.walk(output.resolve("objects"))) {
      walk.map(p -> output.relativize(p).toString()).filter(p -> p.endsWith(".o")).sorted().forEach(link::add);
    }
    try (Stream<Path> scripts = Files.list(output.resolve("gates"))) {
      scripts.map(p -> output.relativize(p).toString()).filter(p -> p.endsWith(".ld")).forEach(link::add);
    }
    succeed(output, link);
    return output;
  }

  private String original(String... arguments) throws IOException, InterruptedException {
    Path binary = temporary.resolve("original");
    succeed(VAULT, List.of("gcc", "-O2", "-o", binary.toString(), "app/main.c", "vault/vault.c"));
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(arguments));
    return succeed(VAULT, command);
  }

  @Test
  void fcallAndProcPrintWhatTheOriginalPrints() throws Exception {
    String expected = original();
    assertTrue(expected.contains("missing -> -1 (errno ENOENT)"), expected);
    for (String backend : List.of("fcall", "proc")) {
      Path output = build(backend);
      assertEquals(expected, succeed(output, List.of("./vault")), backend);
    }
  }

  @Test
  void withoutIsolationViolationsGoThrough() throws Exception {
    Path output = build("fcall");
    assertTrue(succeed(output, List.of("./vault", "violate")).contains("the write went through: no isolation"));
    assertTrue(succeed(output, List.of("./vault", "smuggle")).contains("no isolation"));
  }

  @Test
  void procFaultsOnAWriteIntoAnotherCompartment() throws Exception {
    Path output = build("proc");
    Outcome violate = run(output, List.of("./vault", "violate"));
    assertEquals(128 + 11, violate.exit(), violate.output());
    assertTrue(violate.output().contains("flexc: compartment 0 (app)"), violate.output());
    assertTrue(violate.output().contains("memory of compartment 1 (vault)"), violate.output());

    Outcome smuggle = run(output, List.of("./vault", "smuggle"));
    assertEquals(125, smuggle.exit(), smuggle.output());
    assertTrue(smuggle.output().contains("memory of compartment 0 (app)"), smuggle.output());
    assertTrue(smuggle.output().contains("flexc: compartment 1 (vault) died of signal 11 (Segmentation fault)"),
        smuggle.output());
  }

  @Test
  void mpkBuildsStaticallyWithCheckedGates() throws Exception {
    Path output = build("mpk", "-static");
    String stubs = Files.readString(output.resolve("gates/mpk_gates_vault.c"));
    assertTrue(stubs.contains("long flexc_gate_c0_vault_lookup(const char *name)\n{\n"
        + "\tFLEXC_MPK_ENTER(FLEXC_PKRU_C1);\n\tlong flexc_result = vault_lookup(name);\n"
        + "\tFLEXC_MPK_CLEAR_SCRATCH();\n\tFLEXC_MPK_ENTER(FLEXC_PKRU_C0);\n\treturn flexc_result;\n}"), stubs);
    String disassembly = succeed(output, List.of("objdump", "-d", "--no-show-raw-insn", "vault"));
    String gate = disassembly.substring(disassembly.indexOf("<flexc_gate_c0_vault_lookup>:"));
    gate = gate.substring(0, gate.indexOf("\n\n"));
    assertTrue(gate.matches("(?s).*wrpkru\\s*\\n[^\\n]*cmp\\s+\\$0xc,%eax\\s*\\n[^\\n]*jne.*"), gate);
  }

  @Test
  void aVariadicCalleeCannotBeForwardedByACGate() throws IOException {
    Path gates = Path.of("..", "transformer", "src", "test", "resources", "gates");
    Files.writeString(config, "{\"compartments\": [[\"a\"], [\"b\"]]}");
    FlexcRun run = FlexcRun.run("transform", gates.toString(), "--backend", "proc", "--config", config.toString(),
        "-o", temporary.resolve("variadic").toString());
    assertEquals(Flexc.EXIT_INVALID_INPUT, run.exit());
    assertTrue(run.err().contains("proc: gate flexc_gate_c0_b_sum would have to forward the variable arguments of"
        + " int b_sum(int count, ...)"), run.err());
  }
}
