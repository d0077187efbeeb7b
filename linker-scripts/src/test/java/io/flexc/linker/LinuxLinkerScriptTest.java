package io.flexc.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Links a real program with the generated script and reads the layout back. */
class LinuxLinkerScriptTest {

  @TempDir Path directory;

  private Toolchain toolchain;

  @BeforeEach
  void toolchainInTheTemporaryDirectory() {
    toolchain = new Toolchain(directory);
  }

  @Test
  void eachCompartmentGetsItsOwnPagesAndSharedGlobalsTheirs() throws Exception {
    Path main = toolchain.compile("main", """
        #include <stdio.h>
        extern int counter;
        int service(int);
        static const char greeting[] = "calls";
        int main_state = 1;
        int main(void) { int r = service(41); printf("%s %d %d\\n", greeting, r, counter + main_state); return 0; }
        """);
    Path service = toolchain.compile("service", """
        int counter;
        int secret = 42;
        static int scratch[16];
        int service(int x) { counter++; scratch[x % 16] = x; return x + secret - 41; }
        """);
    String script = LinuxLinkerScript.generate(
        List.of(new CompartmentObjects(0, List.of(main)), new CompartmentObjects(1, List.of(service))),
        List.of(new SharedSymbol(service, "counter")), "LinuxLinkerScriptTest");
    Files.writeString(directory.resolve("layout.ld"), script);
    toolchain.run("gcc", "-o", "program", "-T", "layout.ld", "main.o", "service.o");
    assertEquals("calls 42 2\n", toolchain.run("./program"));

    Map<String, Long> symbols = toolchain.symbols("program");
    for (int compartment = 0; compartment < 2; compartment++) {
      for (String kind : List.of("text", "rodata", "data", "bss")) {
        long start = symbols.get("__flexc_c" + compartment + "_" + kind + "_start");
        long end = symbols.get("__flexc_c" + compartment + "_" + kind + "_end");
        assertEquals(0, start % 4096, kind + " of compartment " + compartment + " starts on a page");
        assertEquals(0, end % 4096, kind + " of compartment " + compartment + " ends on a page");
      }
    }
    assertWithin(symbols, "main", "c0_text");
    assertWithin(symbols, "service", "c1_text");
    assertWithin(symbols, "main_state", "c0_data");
    assertWithin(symbols, "secret", "c1_data");
    long counter = symbols.get("counter");
    assertTrue(counter >= symbols.get("__flexc_shared_start") && counter < symbols.get("__flexc_shared_end"),
        "the shared global is in .data_shared");

    List<String> sections = new ArrayList<>();
    for (String line : toolchain.run("readelf", "-SW", "program").split("\n")) {
      if (line.contains(".flexc_c") || line.contains(".data_shared")) {
        String[] fields = line.substring(line.indexOf(']') + 1).trim().split("\\s+");
        sections.add(fields[0]);
        assertEquals(0, Long.parseLong(fields[2], 16) % 4096, line);
      }
    }
    assertEquals(List.of(".flexc_c0_text", ".flexc_c1_text", ".flexc_c0_rodata", ".flexc_c1_rodata",
        ".data_shared", ".flexc_c0_data", ".flexc_c1_data", ".flexc_c0_bss", ".flexc_c1_bss"), sections);
  }

  private static void assertWithin(Map<String, Long> symbols, String symbol, String range) {
    long address = symbols.get(symbol);
    assertTrue(address >= symbols.get("__flexc_" + range + "_start") && address < symbols.get("__flexc_" + range + "_end"),
        symbol + " lies in " + range);
  }
}
