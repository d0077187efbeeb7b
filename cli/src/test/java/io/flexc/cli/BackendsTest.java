package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/vault built for each backend that runs on this machine (fcall, proc; mpk runs under
 * QEMU in scripts/mpk-in-qemu.sh, and here it must at least build): the same output as the
 * original program, and isolation violations that fault under proc.
 */
@Tag("slow")
class BackendsTest {

  private static final Path VAULT = Path.of("..", "examples", "vault");

  @TempDir Path temporary;
  private Path config;

  @BeforeEach
  void writeConfig() throws IOException {
    config = Files.writeString(temporary.resolve("split.json"), "{\"compartments\": [[\"app\"], [\"vault\"]]}");
  }

  /** The vault transformed for {@code backend} and linked as OUT/vault; returns OUT. */
  private Path build(String backend, String... linkOptions) throws IOException, InterruptedException {
    return build(backend, List.of(), linkOptions);
  }

  /**
   * {@code flexc build} of the application in {@code application} for {@code backend}, with the
   * test's split, into {@code output}.
   */
  private FlexcRun flexcBuild(Path application, String backend, Path output) {
    return FlexcRun.run("build", application.toString(), "--backend", backend, "--config", config.toString(), "-o",
        output.toString(), "--quiet");
  }

  /** The same, with {@code options} for flexc transform; link/flags, if written, is linked with. */
  private Path build(String backend, List<String> options, String... linkOptions)
      throws IOException, InterruptedException {
    Path output = temporary.resolve(backend + String.join("", options));
    List<String> arguments = new ArrayList<>(List.of("transform", VAULT.toString(), "--backend", backend, "--config",
        config.toString(), "-o", output.toString()));
    arguments.addAll(options);
    FlexcRun transform = FlexcRun.run(arguments.toArray(String[]::new));
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
    if (Files.exists(output.resolve("link/flags"))) {
      link.addAll(List.of(Files.readString(output.resolve("link/flags")).strip().split(" ")));
    }
    Program.succeed(output, link);
    return output;
  }

  private String original(String... arguments) throws IOException, InterruptedException {
    Path binary = temporary.resolve("original");
    Program.succeed(VAULT, List.of("gcc", "-O2", "-o", binary.toString(), "app/main.c", "vault/vault.c", "-lpthread"));
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(arguments));
    return Program.succeed(VAULT, command);
  }

  @Test
  void fcallAndProcPrintWhatTheOriginalPrints() throws Exception {
    String expected = original();
    assertTrue(expected.contains("missing -> -1 (errno ENOENT)"), expected);
    for (String backend : List.of("fcall", "proc")) {
      Path output = build(backend);
      assertEquals(expected, Program.succeed(output, List.of("./vault")), backend);
    }
  }

  /**
   * Four threads of the program call the vault 1000 times each at once, and have it call back into
   * them: every thread is a logical thread of its own (a channel in the shared area), served in the
   * vault's process by a thread of its own, and its callbacks run on the thread itself (a
   * thread-local sum), so the sums are the original program's. A deadlock fails after 60 s.
   */
  @Test
  void procRunsCallsFromSeveralThreadsAtOnce() throws Exception {
    String expected = original("threads");
    assertTrue(expected.contains("thread 3: key4 summed to 400000, the vault's entries to 150000"), expected);
    Path output = build("proc");
    long start = System.nanoTime();
    Program.Outcome threads = Program.run(output, List.of("./vault", "threads"), 60);
    long milliseconds = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, threads.exit(), threads.output());
    assertEquals(expected, threads.output());
    System.out.println("vault threads under proc: " + milliseconds + " ms");
  }

  @Test
  void withoutIsolationViolationsGoThrough() throws Exception {
    Path output = build("fcall");
    assertTrue(Program.succeed(output, List.of("./vault", "violate")).contains("the write went through: no isolation"));
    assertTrue(Program.succeed(output, List.of("./vault", "smuggle")).contains("no isolation"));
  }

  @Test
  void procFaultsOnAWriteIntoAnotherCompartment() throws Exception {
    Path output = build("proc");
    Program.Outcome violate = Program.run(output, List.of("./vault", "violate"));
    assertEquals(128 + 11, violate.exit(), violate.output());
    assertTrue(violate.output().contains("flexc: compartment 0 (app)"), violate.output());
    assertTrue(violate.output().contains("memory of compartment 1 (vault)"), violate.output());

    Program.Outcome smuggle = Program.run(output, List.of("./vault", "smuggle"));
    assertEquals(125, smuggle.exit(), smuggle.output());
    assertTrue(smuggle.output().contains("memory of compartment 0 (app)"), smuggle.output());
    assertTrue(smuggle.output().contains("flexc: compartment 1 (vault) died of signal 11 (Segmentation fault)"),
        smuggle.output());
  }

  @Test
  void mpkBuildsStaticallyWithCheckedGates() throws Exception {
    Path output = build("mpk", List.of("--mpk-stacks", "shared"), "-static");
    String stubs = Files.readString(output.resolve("gates/mpk_gates_vault.c"));
    assertTrue(stubs.contains("/* compartment 0 -> 1 */\nFLEXC_MPK_GATE(flexc_gate_c0_vault_lookup, vault_lookup, 0, 1, "
        + "0, 0);\n"), stubs);
    String disassembly = Program.succeed(output, List.of("objdump", "-d", "--no-show-raw-insn", "vault"));
    String gate = disassembly.substring(disassembly.indexOf("<flexc_gate_c0_vault_lookup>:"));
    gate = gate.substring(0, gate.indexOf("\n\n"));
    assertTrue(gate.matches("(?s).*" + CHECKED_SWITCH.formatted("0x3c", "0xc") + ".*call.*"
        + CHECKED_SWITCH.formatted("0x3c", "0x30") + ".*"), gate);
    // A kernel build's start-up and linker script are written next to Linux's, and left out of its link.
    assertTrue(Files.exists(output.resolve("gates/flexc_mpk_kernel.c")) && Files.exists(output.resolve("link/kernel.ld")));
    assertFalse(disassembly.contains("<flexc_mpk_kernel_start>:"), "flexc_mpk_kernel.c linked into the Linux program");
  }

  /**
   * A checked switch in objdump's words: PKRU read, turned from its caller's value into the callee's
   * by xor (arguments: the two values' xor, then the callee's), written, compared.
   */
  private static final String CHECKED_SWITCH = "rdpkru\\s*\\n[^\\n]*xor\\s+\\$%1$s,%%eax\\s*\\n"
      + "[^\\n]*wrpkru\\s*\\n[^\\n]*cmp\\s+\\$%2$s,%%eax\\s*\\n[^\\n]*jne";

  @Test
  void mpkBuildAcceptsOnlyTheGatesPkruWrites() throws Exception {
    Path built = temporary.resolve("vault-mpk");
    FlexcRun build = flexcBuild(VAULT, "mpk", built);
    assertEquals(0, build.exit(), build.err());
    // 11 call and callback gates and 4 entry gates (each entered from one other compartment), two
    // checked switches each, and start-up's switch into main's compartment.
    assertTrue(build.out().contains("PKRU writes:    31, every one a gate's checked switch"), build.out());

    Path rogue = temporary.resolve("rogue");
    try (Stream<Path> files = Files.walk(VAULT)) {
      for (Path file : files.toList()) {
        Files.copy(file, rogue.resolve(VAULT.relativize(file).toString()));
      }
    }
    Files.writeString(rogue.resolve("vault/vault.c"), """

        void vault_set_rights(unsigned int pkru)
        {
        	__asm__ volatile("wrpkru" : : "a"(pkru), "c"(0), "d"(0));
        }
        """, java.nio.file.StandardOpenOption.APPEND);
    Path refused = temporary.resolve("rogue-mpk");
    FlexcRun refusal = flexcBuild(rogue, "mpk", refused);
    assertEquals(Flexc.EXIT_INVALID_INPUT, refusal.exit(), refusal.err());
    assertTrue(refusal.err().matches("(?s).*mpk: vault writes PKRU outside the gates' checks.*\\(vault_set_rights\\+0x[0-9a-f]+\\): "
        + "a wrpkru not followed by a comparison of eax.*"), refusal.err());
    assertFalse(Files.exists(refused));
  }

  @Test
  void mpkPrivateStacksCrossOnTheCalleesStack() throws Exception {
    Path output = build("mpk", List.of("--mpk-stacks", "dss"), "-static");
    assertEquals("-Wl,--wrap=main -Wl,--wrap=pthread_create\n", Files.readString(output.resolve("link/flags")));
    String stubs = Files.readString(output.resolve("gates/mpk_gates_vault.c"));
    assertTrue(stubs.contains("FLEXC_MPK_GATE(flexc_gate_c0_vault_lookup, vault_lookup, 0, 1, "
        + "0, 0);\n"), stubs);
    String disassembly = Program.succeed(output, List.of("objdump", "-d", "--no-show-raw-insn", "vault"));
    String gate = disassembly.substring(disassembly.indexOf("<flexc_gate_c0_vault_lookup>:"));
    gate = gate.substring(0, gate.indexOf("\n\n"));
    assertTrue(gate.matches("(?s).*" + CHECKED_SWITCH.formatted("0x3c", "0xc")
        + ".*mov\\s+%fs:0x[0-9a-f]+,%rsp.*call\\s+[0-9a-f]+ <vault_lookup>.*"
        + CHECKED_SWITCH.formatted("0x3c", "0x30") + ".*"), gate);
    assertTrue(disassembly.contains("<__wrap_main>:") && disassembly.contains("<__wrap_pthread_create>:"));
    // The gates need nothing of Linux, nor their callees' headers: they compile as a kernel's code (Unikraft's model).
    Program.succeed(output, List.of("gcc", "-c", "-O2", "-ffreestanding", "-fno-pic", "-mcmodel=kernel", "-mno-red-zone",
        "-fno-stack-protector", "-Wall", "-Wextra", "-Werror", "-I", "gates", "-o", "kernel-gates.o",
        "gates/mpk_gates_vault.c"));
  }

  @Test
  void procRefusesACallWithAForgedIndexOrResultShape() throws Exception {
    Path output = build("proc");
    Files.writeString(output.resolve("forge.c"), """
        #include <stdlib.h>

        #include "flexc_rpc.h"

        /* After proc's start (priority 101): a call into the vault by an index or a result shape it does not export. */
        __attribute__((constructor)) static void forge(void)
        {
        	const char *forged = getenv("FORGED");

        	if (forged == NULL)
        		return;
        	flexc_rpc_begin(1, forged[0] == 'i' ? 99 : 0, forged[0] == 'i' ? 0 : 7);
        	flexc_rpc_call(1);
        }
        """);
    List<String> link = new ArrayList<>(List.of("gcc", "-Wall", "-Wextra", "-Werror", "-I", "gates", "-T",
        "link/linux.ld", "-o", "forged", "forge.c"));
    try (Stream<Path> walk = Files.walk(output.resolve("objects"))) {
      walk.map(p -> output.relativize(p).toString()).filter(p -> p.endsWith(".o")).sorted().forEach(link::add);
    }
    Program.succeed(output, link);
    assertEquals(original(), Program.succeed(output, List.of("./forged")), "without FORGED, the program as it was");
    Map<String, String> refusals = Map.of("index", "call 99 with result shape 0 and 0 bytes of stack arguments",
        "shape", "call 0 with result shape 7 and 0 bytes of stack arguments");
    for (Map.Entry<String, String> forged : refusals.entrySet()) {
      Program.Outcome outcome = Program.run(output, List.of("env", "FORGED=" + forged.getKey(), "./forged"));
      assertEquals(128 + 6, outcome.exit(), outcome.output());
      assertTrue(outcome.output().contains("flexc: compartment 1 (vault) refused " + forged.getValue()
          + " from compartment 0\nflexc: compartment 1 (vault) refused a call from compartment 0\n"), outcome.output());
    }
  }

  @Test
  void eptBuildsOneImagePerCompartmentWhichRunSaysItCannotRun() throws Exception {
    Path output = temporary.resolve("vault-ept");
    FlexcRun build = flexcBuild(VAULT, "ept", output);
    assertEquals(0, build.exit(), build.err());
    assertTrue(build.out().contains("vault on ept: 2 compartments"), build.out());
    assertTrue(build.out().contains("run it:         not here"), build.out());
    for (String common : List.of("flexc_rpc.c", "flexc_rpc.h", "flexc_transport.h", "flexc_hypervisor.h",
        "flexc_ept_transport.c")) {
      assertTrue(Files.isRegularFile(output.resolve("gates").resolve(common)), common);
    }
    assertTrue(Files.isRegularFile(output.resolve("objects/flexc/image_c1/flexc_rpc_tables.c.o")));
    String app = Files.readString(output.resolve("link/image_c0.ld"));
    String vault = Files.readString(output.resolve("link/image_c1.ld"));
    assertTrue(app.contains("\"objects/flexc/image_c0/flexc_ept_image.c.o\"") && app.contains("app/main.c.o"), app);
    assertTrue(!app.contains("vault/vault.c.o") && !app.contains("image_c1"), app);
    assertTrue(vault.contains("vault/vault.c.o") && !vault.contains("main.c.o"), vault);
    assertTrue(app.contains(".data_shared 0x40000000 :") && vault.contains(".data_shared 0x40000000 :"));
    String stubs = "  .text_shared 0x3f000000 :\n  {\n    __flexc_shared_text_start = .;\n"
        + "    \"objects/flexc/ept_gates_vault.c.o\"(.text .text.*)\n";
    assertTrue(app.contains(stubs) && vault.contains(stubs), app);
    assertTrue(Files.notExists(output.resolve("bin")));

    FlexcRun run = FlexcRun.run("run", output.toString());
    assertEquals(Flexc.EXIT_INVALID_INPUT, run.exit());
    assertTrue(run.err().contains("is an ept build: one unikernel image per compartment"), run.err());
    assertTrue(run.err().contains("flexc build APP_DIR --backend proc"), run.err());
  }

  /**
   * The ept images of the vault, linked as Linux programs with a fake KVM platform (shared file for
   * the ivshmem memory, halts that sleep) and run as two processes: the protocol and the KVM
   * transport at work, callbacks into image 0 included. The one difference with the original is a
   * string literal passed to the vault: a pointer into image 0's own memory means nothing in image 1.
   * The same with four threads calling at once and being called back.
   */
  @Test
  void eptImagesRunAsLinuxProcessesOverAFakeKvm() throws Exception {
    Path output = temporary.resolve("vault-ept");
    FlexcRun build = flexcBuild(VAULT, "ept", output);
    assertEquals(0, build.exit(), build.err());
    for (String platform : List.of("linux_threads.c", "fake_ivshmem.c")) {
      Files.copy(Path.of("src/test/resources/ept").resolve(platform), output.resolve(platform));
    }
    for (int k = 0; k < 2; k++) {
      List<String> link = new ArrayList<>(List.of("gcc", "-no-pie", "-DFLEXC_EPT_KVM", "-I", "gates", "-o",
          "image_c" + k, "-T", "link/image_c" + k + ".ld", "linux_threads.c", "fake_ivshmem.c"));
      java.util.regex.Matcher object = java.util.regex.Pattern.compile("\"(objects/[^\"]+)\"")
          .matcher(Files.readString(output.resolve("link/image_c" + k + ".ld")));
      while (object.find()) {
        if (!link.contains(object.group(1))) {
          link.add(object.group(1));
        }
      }
      Program.succeed(output, link);
    }
    assertEquals(original().replace("key3 -> 300", "key3 -> -1"), runImages(output, "ivshmem"));
    // Threads: each one's channel served by a thread of image 1, its callbacks on itself in image 0;
    // the names it looks up are string literals of image 0, so every lookup finds nothing.
    String threads = original("threads").replace("key3 -> 300", "key3 -> -1")
        .replaceAll("summed to \\d+", "summed to -1000");
    assertTrue(threads.contains("thread 3: key4 summed to -1000, the vault's entries to 150000"), threads);
    assertEquals(threads, runImages(output, "ivshmem-threads", "threads"));
  }

  /** Runs image 1, then image 0 with {@code arguments}, over a fresh fake ivshmem file; image 0's output. */
  private static String runImages(Path output, String ivshmem, String... arguments) throws Exception {
    ProcessBuilder vault = new ProcessBuilder("./image_c1").directory(output.toFile()).redirectErrorStream(true);
    vault.environment().put("FAKE_IVSHMEM", output.resolve(ivshmem).toString());
    vault.environment().put("FAKE_PEER", "1");
    Process served = vault.start();
    List<String> command = new ArrayList<>(List.of("env", "FAKE_IVSHMEM=" + output.resolve(ivshmem), "FAKE_PEER=0",
        "./image_c0"));
    command.addAll(List.of(arguments));
    Program.Outcome app = Program.run(output, command, 60);
    assertTrue(served.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "image 1 stops when image 0 ends");
    assertEquals(0, app.exit(), app.output());
    return app.output();
  }
}
