package io.flexc.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three images linked with gcc from their generated scripts, as ordinary non-PIE Linux executables,
 * and read back with readelf and nm: {@code .data_shared} at the same address in each, each image
 * holding its own compartment's functions and no other's, and each one running.
 */
class ImageLinkerScriptTest {

  private static final long SHARED = 0x40000000L;
  private static final long AREA = 0x41000000L;
  private static final long TEXT = 0x3f000000L;

  @TempDir Path directory;

  private Toolchain toolchain;

  @BeforeEach
  void toolchainInTheTemporaryDirectory() {
    toolchain = new Toolchain(directory);
  }

  /** The images are linked at fixed addresses: their code is not position-independent. */
  private Path compile(String name, String source) throws IOException, InterruptedException {
    return toolchain.compile(name, source, "-fno-pie");
  }

  /** The address of a section, from readelf -SW. */
  private long sectionAddress(String binary, String section) throws IOException, InterruptedException {
    for (String line : toolchain.run("readelf", "-SW", binary).split("\n")) {
      if (line.contains("] " + section + " ")) {
        return Long.parseLong(line.substring(line.indexOf(']') + 1).trim().split("\\s+")[2], 16);
      }
    }
    throw new AssertionError(binary + " has no section " + section);
  }

  @Test
  void theSharedSectionIsAtTheSameAddressInEveryImageAndEachHoldsOnlyItsCompartment() throws Exception {
    List<String> functions = List.of("app_main_loop", "store_put", "script_eval");
    Path stubs = compile("stubs", "int flexc_gate_c1_f(int x) { return x + 1; }\nint flexc_gate_c0_g(int x) { return x - 1; }\n");
    Map<String, Long> firstImage = null;
    for (int k = 0; k < 3; k++) {
      String function = functions.get(k);
      Path code = compile("c" + k, """
          #include <stdio.h>
          int c%1$d_shared_counter = %1$d;
          static int c%1$d_private[64];
          int %2$s(int x) { c%1$d_private[x %% 64] = x; c%1$d_shared_counter += x; return c%1$d_private[x %% 64]; }
          """.formatted(k, function));
      Path start = compile("start" + k, """
          #include <stdio.h>
          int %1$s(int x);
          extern int c%2$d_shared_counter;
          int flexc_gate_c0_g(int x);
          int main(void) { printf("image %2$d: %%d %%p\\n", %1$s(1), (void *)&c%2$d_shared_counter); return flexc_gate_c0_g(1); }
          """.formatted(function, k));
      String script = ImageLinkerScript.generate(new CompartmentObjects(k, List.of(code, start)),
          List.of(new SharedSymbol(code, "c" + k + "_shared_counter")), SHARED, AREA,
          new ImageLinkerScript.SharedText(TEXT, List.of(stubs)), "ImageLinkerScriptTest");
      Files.writeString(directory.resolve("image_c" + k + ".ld"), script);
      String image = "image_c" + k;
      toolchain.run("gcc", "-no-pie", "-o", image, "-T", image + ".ld", code.toString(), start.toString(), stubs.toString());

      assertEquals(SHARED, sectionAddress(image, ".data_shared"), image);
      assertEquals("image " + k + ": 1 0x40000000\n", toolchain.run("./" + image));
      Map<String, Long> symbols = toolchain.symbols(image);
      long textStart = symbols.get("__flexc_c" + k + "_text_start");
      long textEnd = symbols.get("__flexc_c" + k + "_text_end");
      assertEquals(0, textStart % 4096, image);
      assertTrue(symbols.get(function) >= textStart && symbols.get(function) < textEnd, function + " in " + image);
      assertTrue(symbols.get("main") >= textStart && symbols.get("main") < textEnd, "main in " + image);
      for (String other : functions) {
        assertEquals(other.equals(function), symbols.containsKey(other), other + " in " + image);
      }
      assertEquals(SHARED, symbols.get("__flexc_shared_start"), image);
      assertEquals(TEXT, sectionAddress(image, ".text_shared"), image);
      for (String stub : List.of("flexc_gate_c1_f", "flexc_gate_c0_g")) {
        assertTrue(symbols.get(stub) >= TEXT && symbols.get(stub) < SHARED, stub + " in .text_shared of " + image);
        if (firstImage != null) {
          assertEquals(firstImage.get(stub), symbols.get(stub), stub + " at the same address in every image");
        }
      }
      firstImage = firstImage == null ? symbols : firstImage;
      assertTrue(symbols.get("__flexc_shared_end") <= AREA, image);
      assertTrue(symbols.get("__flexc_c" + k + "_bss_end") <= SHARED, "the image's own data and bss stay below, " + image);
    }
  }

  @Test
  void sharedGlobalsThatReachTheProtocolsAreaFailTheLink() throws Exception {
    Path code = compile("big", "char big_shared[32 << 20] = { 1 };\nint main(void) { return big_shared[0] - 1; }\n");
    Files.writeString(directory.resolve("big.ld"), ImageLinkerScript.generate(new CompartmentObjects(0, List.of(code)),
        List.of(new SharedSymbol(code, "big_shared")), SHARED, AREA, new ImageLinkerScript.SharedText(TEXT, List.of()),
        "ImageLinkerScriptTest"));
    Process link = new ProcessBuilder("gcc", "-no-pie", "-o", "big", "-T", "big.ld", code.toString())
        .directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(link.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, link.waitFor(), output);
    assertTrue(output.contains("flexc: the shared globals overlap the call protocol's area"), output);
  }
}
