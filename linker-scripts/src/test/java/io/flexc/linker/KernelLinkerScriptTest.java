package io.flexc.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One kernel image of two compartments and a platform, linked freestanding with ld from the
 * generated script and read back with nm and readelf: the boot header first, at the base address;
 * each compartment's code, data and bss in its own page-aligned ranges; the shared global in
 * .data_shared; the platform in none of the compartments' ranges; the platform's entry point.
 */
class KernelLinkerScriptTest {

  private static final long BASE = 0x100000L;

  @TempDir Path directory;

  @Test
  void everyCompartmentHasItsOwnPageAlignedRangesAndThePlatformIsShared() throws Exception {
    Toolchain toolchain = new Toolchain(directory);
    String[] kernel = {"-ffreestanding", "-fno-pic", "-mno-red-zone"};
    Path app = toolchain.compile("app", """
        int app_counter = 1;
        int app_table[32];
        int app_shared = 5;
        int app_run(int x) { app_table[x & 31] = x; return app_counter += x; }
        """, kernel);
    Path store = toolchain.compile("store", """
        char store_key[16] = "secret";
        long store_hits;
        char store_get(int i) { store_hits++; return store_key[i & 15]; }
        """, kernel);
    Path platform = toolchain.compile("platform", """
        __attribute__((section(".boot"), used)) static const unsigned int header[3] = { 0x1badb002, 0, -0x1badb002 };
        int platform_ticks;
        void _start(void) { platform_ticks++; for (;;) __asm__ volatile("hlt"); }
        """, kernel);
    Files.writeString(directory.resolve("kernel.ld"), KernelLinkerScript.generate(
        List.of(new CompartmentObjects(0, List.of(app)), new CompartmentObjects(1, List.of(store))),
        List.of(new SharedSymbol(app, "app_shared")), BASE, "_start", "KernelLinkerScriptTest"));
    toolchain.run("ld", "-nostdlib", "-static", "-z", "max-page-size=0x1000", "-T", "kernel.ld", "-o", "kernel",
        app.toString(), store.toString(), platform.toString());

    Map<String, Long> symbols = toolchain.symbols("kernel");
    assertEquals(BASE, symbols.get("header"));
    assertTrue(toolchain.run("readelf", "-h", "kernel").contains("Entry point address:               0x"
        + Long.toHexString(symbols.get("_start"))));
    assertIn(symbols, "app_run", 0, "text");
    assertIn(symbols, "app_counter", 0, "data");
    assertIn(symbols, "app_table", 0, "bss");
    assertIn(symbols, "store_get", 1, "text");
    assertIn(symbols, "store_key", 1, "data");
    assertIn(symbols, "store_hits", 1, "bss");
    long shared = symbols.get("app_shared");
    assertTrue(shared >= symbols.get("__flexc_shared_start") && shared < symbols.get("__flexc_shared_end"));
    for (String platformSymbol : List.of("_start", "platform_ticks", "app_shared")) {
      for (int k = 0; k < 2; k++) {
        for (String kind : List.of("text", "rodata", "data", "bss")) {
          long address = symbols.get(platformSymbol);
          assertTrue(address < symbols.get("__flexc_c" + k + "_" + kind + "_start")
              || address >= symbols.get("__flexc_c" + k + "_" + kind + "_end"), platformSymbol + " in c" + k + " " + kind);
        }
      }
    }
  }

  private static void assertIn(Map<String, Long> symbols, String symbol, int compartment, String kind) {
    long start = symbols.get("__flexc_c" + compartment + "_" + kind + "_start");
    long end = symbols.get("__flexc_c" + compartment + "_" + kind + "_end");
    assertEquals(0, start % 4096, kind + " of compartment " + compartment);
    assertEquals(0, end % 4096, kind + " of compartment " + compartment);
    assertTrue(symbols.get(symbol) >= start && symbols.get(symbol) < end, symbol + " in compartment " + compartment);
  }
}
