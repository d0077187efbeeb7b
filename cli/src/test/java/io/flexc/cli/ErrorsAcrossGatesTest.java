package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors that unwind across gates on proc (issue 17): a library's error longjmps, in the
 * library's process, to its protected call, out of frames that wait for a callback into the
 * program, while the program's process still waits inside that callback. The program must go
 * on as the plain build does: same output, exit 0.
 */
@Tag("slow")
class ErrorsAcrossGatesTest {

  private static final Path RESOURCES = Path.of("src", "test", "resources");

  @TempDir Path temporary;

  /**
   * {@code unwind}: protected calls whose callbacks raise the library's error at 1, 2 and 3
   * callback frames, inside another protected call, with a retry after the error (from a deeper
   * stack), and the program jumping out of a callback itself; 1000 times each on the main thread,
   * then on two threads at once.
   */
  @Test
  void aLibrarysErrorThroughCallbacksUnwindsBothProcesses() throws Exception {
    String expected = "main -3034500, thread 1 -3034500, thread 2 -3034500\n";
    assertEquals(expected, Program.succeed(temporary, List.of(build(RESOURCES.resolve("unwind"), "fcall", "app", "prot")
        .resolve("bin/unwind").toString())));
    assertEquals(expected, Program.succeed(temporary, List.of(build(RESOURCES.resolve("unwind"), "proc", "app", "prot")
        .resolve("bin/unwind").toString())));
  }

  /**
   * Lua 5.1 as Redis 7.0.15 bundles it, alone in a compartment: the host's C functions raise Lua
   * errors (luaL_error, lua_error, and errors of Lua functions they call back, up to three host
   * frames down), caught by pcall in a script and by lua_pcall in C. Lua's sources are Debian's
   * (bench/fetch-real-sources.sh puts them in FLEXC_REAL_DIR, by default target/real), never
   * committed: without them the test is skipped.
   */
  @Test
  void luasErrorsRaisedByTheHostUnwindBothProcesses() throws Exception {
    String real = System.getenv().getOrDefault("FLEXC_REAL_DIR", Path.of("..", "target", "real").toString());
    Path lua = Path.of(real, "redis-7.0.15", "deps", "lua", "src");
    assumeTrue(Files.isRegularFile(lua.resolve("ldo.c")), "Lua's sources are not in " + lua
        + ": bench/fetch-real-sources.sh fetches them (FLEXC_REAL_DIR says where)");
    Path application = temporary.resolve("luahost");
    copyFiles(RESOURCES.resolve("lua-unwind"), application);
    copyFiles(lua, application.resolve("lua"));
    String expected = """
        run 0: caught 800, total 80400
        run 1: caught 800, total 80400
        run 2: caught 800, total 80400
        run 3: caught 800, total 80400
        run 4: caught 800, total 80400
        5 runs, 1000 errors caught by lua_pcall
        """;
    assertEquals(expected, Program.succeed(temporary, List.of(build(application, "fcall", "host", "lua")
        .resolve("bin/luahost").toString())));
    assertEquals(expected, Program.succeed(temporary, List.of(build(application, "proc", "host", "lua")
        .resolve("bin/luahost").toString())));
  }

  /** The program, {@code main}'s library and {@code library} in compartments of their own. */
  private Path build(Path program, String backend, String main, String library) throws IOException {
    Path config = Files.writeString(temporary.resolve("split-" + library + ".json"),
        "{\"compartments\": [[\"" + main + "\"], [\"" + library + "\"]]}");
    Path output = temporary.resolve(library + "-" + backend);
    FlexcRun build = FlexcRun.run("build", program.toString(), "--backend", backend, "--config", config.toString(),
        "-o", output.toString(), "--quiet");
    assertEquals(0, build.exit(), build.err() + build.out());
    return output;
  }

  /** Copies the C sources, headers, metadata and flexc.yaml of {@code from} into {@code to}. */
  private static void copyFiles(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(c|h|meta|yaml)$"))
          .toList()) {
        Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
