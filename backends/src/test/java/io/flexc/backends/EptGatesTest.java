package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.Gate;
import io.flexc.model.Prototype;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ept backend for three compartments — a (main) in 0, b in 1, c in 2, with a call back from b
 * into a (A→B→A) — compiled syntax-only for KVM and for Xen, warning-free; every image holds only
 * its own compartment's table (and every gate stub, shared), and the protocol is
 * proc's, byte for byte.
 */
class EptGatesTest {

  private static final List<String> NAMES = List.of("a", "b", "c");

  @TempDir Path temporary;
  private List<Gate> gates;

  private Path source(String library, String text) throws IOException {
    Path file = temporary.resolve("src").resolve(library).resolve(library + ".c");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private static Gate gate(int caller, int callee, String library, String function, String returns, String parameters,
      Path definedIn) {
    return new Gate(Gate.name(caller, function), caller, callee, library, function,
        Optional.of(new Prototype(returns, parameters, false, definedIn)));
  }

  @BeforeEach
  void threeCompartments() throws IOException {
    Path a = source("a", "#include <stdio.h>\n\nint a_visit(int depth) { return depth + 1; }\n");
    Path b = source("b", "#include \"point.h\"\n\nlong b_area(struct point p, int scale) { return p.x * p.y * scale; }\n");
    Files.writeString(b.resolveSibling("point.h"), "struct point { int x, y; };\n");
    Path c = source("c", "#include <stdio.h>\n\nvoid c_log(const char *message) { puts(message); }\n");
    gates = List.of(
        gate(0, 1, "b", "b_area", "long", "struct point p, int scale", b),
        gate(2, 1, "b", "b_area", "long", "struct point p, int scale", b),
        gate(1, 2, "c", "c_log", "void", "const char *message", c),
        gate(0, 2, "c", "c_log", "void", "const char *message", c),
        // A built-in's name with another type: the tables must not declare it with theirs.
        gate(1, 2, "c", "log", "void", "const char *message", c),
        gate(1, 0, "a", "a_visit", "int", "int depth", a));
  }

  @Test
  void everyImageCompilesWarningFreeForKvmAndForXen() throws Exception {
    Path out = temporary.resolve("gates");
    List<EptGates.Image> images = EptGates.write(gates, NAMES, 0, 64, out);
    assertEquals(3, images.size());
    for (EptGates.Image image : images) {
      for (String hypervisor : List.of("-DFLEXC_EPT_KVM", "-DFLEXC_EPT_XEN")) {
        for (GeneratedSource source : image.sources()) {
          List<String> command = new ArrayList<>(List.of("gcc", "-fsyntax-only", "-Wall", "-Wextra", "-Werror",
              "-std=gnu11", hypervisor, "-I", out.toString()));
          source.compileLike().ifPresent(like -> command.addAll(List.of("-iquote", like.getParent().toString())));
          command.add(source.file().toString());
          assertEquals("", Commands.succeed(temporary, command), image.name() + " " + hypervisor + " " + source.file());
        }
      }
    }
  }

  @Test
  void eachImageServesOnlyItsOwnCompartmentsFunctionsAndCallsTheOthersByIndex() throws Exception {
    Path out = temporary.resolve("gates");
    List<EptGates.Image> images = EptGates.write(gates, NAMES, 0, 64, out);
    String stubsIntoB = Files.readString(out.resolve("ept_gates_b.c"));
    assertTrue(stubsIntoB.contains("\n/* b_area: function 0 of compartment 1;\n * call shape not known: the result taken to"
        + " come back in registers, and at most 256 bytes of stack arguments forwarded */\n"
        + "FLEXC_RPC_GATE(flexc_gate_c0_b_area, 1, 0, 0, 256);\n"), stubsIntoB);
    assertTrue(stubsIntoB.contains("FLEXC_RPC_GATE(flexc_gate_c2_b_area, 1, 0, 0, 256);"), stubsIntoB);
    String tables = Files.readString(out.resolve("image_c1/flexc_rpc_tables.c"));
    assertTrue(tables.contains("\nvoid flexc_rpc_function_b_area(void) __asm__(\"b_area\");\n"), tables);
    assertTrue(tables.contains("\t{ \"b_area\", \"b\", flexc_rpc_function_b_area, 0, 0 },\n"), tables);
    assertFalse(tables.contains("a_visit") || tables.contains("c_log"), tables);
    assertTrue(Files.readString(out.resolve("image_c0/flexc_rpc_tables.c"))
        .contains("{ \"a_visit\", \"a\", flexc_rpc_function_a_visit, 0, 0 },"));
    for (EptGates.Image image : images) {
      assertEquals(List.of("ept_gates_b.c", "ept_gates_c.c", "ept_gates_a.c"),
          image.gateStubs().stream().map(source -> source.file().getFileName().toString()).toList());
    }
    assertTrue(Files.readString(out.resolve("image_c0/" + EptGates.START)).contains(
        "\tatexit(flexc_ept_stop_images);\n\tflexc_rpc_dispatch_in_background();\n"));
    assertTrue(Files.readString(out.resolve("image_c2/" + EptGates.START)).contains("flexc_rpc_serve_until_stopped();"));
  }

  @Test
  void theProtocolIsProcsByteForByteAndOnlyThere() throws Exception {
    Path ept = temporary.resolve("ept");
    Path proc = temporary.resolve("proc");
    EptGates.write(gates, NAMES, 0, 64, ept);
    ProcGates.write(gates, NAMES, 0, 64, List.of(), Sharing.STATIC, Map.of(), proc);
    for (String shared : List.of(RpcProtocol.SOURCE, RpcProtocol.ABI_SOURCE, RpcProtocol.TRANSPORT_HEADER)) {
      assertEquals(Files.readString(proc.resolve(shared)), Files.readString(ept.resolve(shared)), shared);
    }
    for (Path directory : List.of(ept, proc)) {
      for (Path file : files(directory).keySet()) {
        boolean protocol = file.getFileName().toString().equals(RpcProtocol.SOURCE);
        assertEquals(protocol, Files.readString(directory.resolve(file)).contains("refused call"), file.toString());
      }
    }
  }

  @Test
  void writingTwiceGivesTheSameFiles() throws Exception {
    EptGates.write(gates, NAMES, 0, 64, temporary.resolve("first"));
    EptGates.write(gates, NAMES, 0, 64, temporary.resolve("second"));
    assertEquals(files(temporary.resolve("first")), files(temporary.resolve("second")));
  }

  private static TreeMap<Path, String> files(Path directory) throws IOException {
    TreeMap<Path, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(directory.relativize(file), Files.readString(file, StandardCharsets.ISO_8859_1));
      }
    }
    return files;
  }
}
