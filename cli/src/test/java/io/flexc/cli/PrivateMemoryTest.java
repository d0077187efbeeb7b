package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On proc, a pointer into another compartment's private memory faults with a located report,
 * never reads the caller's own bytes at that address (issue 17): {@code private-memory} is a
 * program whose library hands its caller pointers the way real C libraries do, each mode one way.
 * Plain (fcall) every mode prints the right result; on proc each prints the report instead, and
 * the report names the function that touched the memory, its owner and what it is. Addresses
 * vary from run to run: they are compared as {@code 0x…}.
 */
@Tag("slow")
class PrivateMemoryTest {

  private static final Path PROGRAM = Path.of("src", "test", "resources", "private-memory");

  @TempDir Path temporary;

  private record Outcome(int exit, String output) {}

  @Test
  void everyPointerIntoAnotherCompartmentFaultsWhereItIsUsed() throws Exception {
    Path plain = build("fcall");
    assertEquals(new Outcome(0, "total 36\n"), run(plain, "callback"));
    assertEquals(new Outcome(0, "request total 60\n"), run(plain, "callback-request"));
    assertEquals(new Outcome(0, "request total 10\n"), run(plain, "stack"));
    assertEquals(new Outcome(0, "thread's request total 26\n"), run(plain, "thread"));
    assertEquals(new Outcome(0, "n=42 name=\"state\"\n"), run(plain, "allocator"));
    assertEquals(new Outcome(0, "hits 8\n"), run(plain, "global"));
    assertEquals(new Outcome(0, "hello app\n"), run(plain, "greeting"));
    assertEquals(new Outcome(0, "hits 8\n"), run(plain, "handled"));
    assertEquals(new Outcome(0, "twice 21 is 42\n"), run(plain, "call"));
    assertEquals(new Outcome(0, "triple 14 is 42\n"), run(plain, "lookup"));

    Path proc = build("proc");
    // The library's local buffer handed to a callback through a function pointer is on the shared stack.
    assertEquals(new Outcome(0, "total 36\n"), run(proc, "callback"));
    // A pointer to the library's stack inside what it hands over is not: the callback faults reading it.
    assertEquals(new Outcome(139, "flexc: compartment 0 (app), code at 0x… in add_up_request, touched 0x…, memory"
        + " of compartment 1 (lib): the stack of one of its threads\n"), run(proc, "callback-request"));
    // The library reads, through a shared request, an array on the program's main stack.
    assertEquals(new Outcome(125, "flexc: compartment 1 (lib), code at 0x… in sum_request, touched 0x…, memory of"
        + " compartment 0 (app): its main thread's stack\n"
        + "flexc: compartment 1 (lib) died of signal 11 (Segmentation fault)\n"), run(proc, "stack"));
    // The same from a thread the program started: its stack is in the band of addresses where the kernel maps for app.
    assertEquals(new Outcome(125, "flexc: compartment 1 (lib), code at 0x… in sum_request, touched 0x…, memory of"
        + " compartment 0 (app): memory the kernel mapped for it (a thread's stack, a file, a library)\n"
        + "flexc: compartment 1 (lib) died of signal 11 (Segmentation fault)\n"), run(proc, "thread"));
    // lua_newstate(l_alloc): the block comes from the program's heap, the library writes it.
    assertEquals(new Outcome(125, "flexc: compartment 1 (lib), code at 0x… in new_state, touched 0x…, memory of"
        + " compartment 0 (app): a heap block of 32 bytes at 0x…, allocated by a function called through a gate (its"
        + " last act a call to the allocator)\n"
        + "flexc: compartment 1 (lib) died of signal 11 (Segmentation fault)\n"), run(proc, "allocator"));
    // lua_tolstring: a pointer into the library's global.
    assertEquals(new Outcome(139, "flexc: compartment 0 (app), code at 0x… in main, touched 0x…, memory of"
        + " compartment 1 (lib): the global hits\n"), run(proc, "global"));
    // A program's own SIGSEGV handler runs after the report.
    assertEquals(new Outcome(70, "flexc: compartment 0 (app), code at 0x… in main, touched 0x…, memory of"
        + " compartment 1 (lib): the global hits\napp: its own SIGSEGV handler ran\n"), run(proc, "handled"));
    // With calls failing instead of the program ending, a call into the dead library answers what lib.meta declares.
    assertEquals(new Outcome(0, "flexc: compartment 1 (lib), code at 0x… in sum_request, touched 0x…, memory of"
        + " compartment 0 (app): its main thread's stack\n"
        + "flexc: compartment 1 (lib) died of signal 11 (Segmentation fault)\n"
        + "flexc: calls into compartment 1 (lib) fail from now on\n"
        + "request total -1, ENOTRECOVERABLE\nhit count at (nil)\n"), run(proc, "survive", "fail-calls"));
    // The buffer the library allocates into a global the program reads is on the shared heap.
    assertEquals(new Outcome(0, "hello app\n"), run(proc, "greeting"));
    // A returned function pointer goes to its entry gate; one looked up by name has none.
    assertEquals(new Outcome(0, "twice 21 is 42\n"), run(proc, "call"));
    assertEquals(new Outcome(139, "flexc: compartment 0 (app) called compartment 1 (lib)'s function lib_triple"
        + " directly (an ungated function pointer), from main\n"), run(proc, "lookup"));
  }

  /** The program with the library in a compartment of its own. */
  private Path build(String backend) throws IOException {
    Path config = Files.writeString(temporary.resolve("split.json"), "{\"compartments\": [[\"app\"], [\"lib\"]]}");
    Path output = temporary.resolve(backend);
    FlexcRun build = FlexcRun.run("build", PROGRAM.toString(), "--backend", backend, "--config", config.toString(),
        "-o", output.toString(), "--quiet");
    assertEquals(0, build.exit(), build.err() + build.out());
    return output;
  }

  /** Runs the program in {@code mode}; addresses vary from run to run and read {@code 0x…}. */
  private static Outcome run(Path build, String mode) throws IOException, InterruptedException {
    return run(build, mode, "");
  }

  /** The same with FLEXC_PROC_ON_CRASH set to {@code onCrash} (unless empty). */
  private static Outcome run(Path build, String mode, String onCrash) throws IOException, InterruptedException {
    List<String> command = List.of("env", "FLEXC_PROC_ON_CRASH=" + onCrash, build.resolve("bin/memory").toString(), mode);
    Program.Outcome outcome = Program.run(build, onCrash.isEmpty() ? command.subList(2, 4) : command, 30);
    return new Outcome(outcome.exit(), outcome.output().replaceAll("0x[0-9a-f]+", "0x…"));
  }
}
