package io.flexc.backends;

import io.flexc.layout.Layout;
import io.flexc.layout.Templates;
import io.flexc.model.Gate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code proc} backend: one Linux process per compartment, the call protocol of {@link
 * RpcProtocol} (the one ept uses) over a memfd and futexes. The program starts as the compartment
 * of {@code main}; before main, the transport maps a memfd at the same fixed address in every
 * process (the shared area: a channel per logical thread, the shared heap and each channel's data
 * shadow stack), reserves every compartment's heap and stack area at addresses of its own, forks
 * one process per other compartment, and in each process makes the other compartments' data, bss,
 * code, heaps and stacks inaccessible ({@value #MEMORY}: the program's malloc is its compartment's
 * heap; a fault names the function, the owner and the memory). A longjmp that leaves gate
 * crossings is told to the protocol ({@value #UNWIND}), whose messages carry their depth so that
 * the other compartments' abandoned frames give way. Every process has a dispatcher (the main process on a
 * thread of its own) that starts a server thread per channel which calls it. Gates send calls by
 * function index with their registers and stack as the ABI lays them out, which the callee checks
 * with the result's shape before calling the function at that index. A compartment that dies is
 * reported by name and ends the program, or with {@code FLEXC_PROC_ON_CRASH=fail-calls} fails the
 * calls into it. Globals in {@code .data_shared} are remapped onto shared memory before the fork, and so are
 * the data, bss and heap of a compartment that flexc.yaml's {@code trust:} lets another read (readable, or
 * writable, in that one's process only); at exit, the other compartments are asked to finish and are waited
 * for. A process of any compartment may fork: the child calls the same compartments' processes on channels
 * of its own, taken again when it ends however it ends (flexc_rpc.c). The area holds as many channels as
 * flexc.yaml's {@code build: {channels: N}} says, its size and the stack areas following.
 */
public final class ProcGates {

  public static final String TRANSPORT = "flexc_proc_transport.c";
  public static final String MEMORY = "flexc_proc_memory.c";
  /** The measured source of sharing, appended to {@value #MEMORY} in the builds that profile or use a profile. */
  static final String SHARING = "flexc_proc_sharing.c";
  static final String MEMORY_HEADER = "flexc_proc_memory.h";
  /** The C library's longjmp family, interposed so that the protocol forgets the gate crossings a jump leaves. */
  public static final String UNWIND = "flexc_proc_unwind.c";

  /** Where the memfd is mapped in every process: high in user space, far from anything ld.so places. */
  static final long AREA_ADDRESS = 0x7e0000000000L;
  /**
   * The compartments' stack areas lie between 0x580000000000 and the heaps at 0x600000000000, 8
   * MiB a stack (flexc_proc_memory.c): compartments times (channels + 64) stacks at most.
   */
  private static final long STACK_SLOTS = 1L << 16;

  private ProcGates() {}

  /**
   * Writes the protocol for {@code channels} logical threads, its tables, the proc transport, the
   * memory runtime (applying {@code trust}, and {@link #SHARING} when {@code sharing} profiles —
   * every access to another compartment's heap or global recorded, not a fault — or uses a profile,
   * its heap sites allocated from the shared heap) and one file of gates per callee library into
   * {@code directory}, calls to a crashed compartment answering {@code resultsOnCrash} (by function,
   * else zero) under FLEXC_PROC_ON_CRASH=fail-calls; returns the files to compile.
   */
  public static List<GeneratedSource> write(List<Gate> gates, List<String> compartmentNames, int mainCompartment,
      int channels, List<CompartmentTrust> trust, Sharing sharing, Map<String, Long> resultsOnCrash, Path directory)
      throws IOException {
    int compartments = compartmentNames.size();
    if ((long) compartments * (channels + 64) > STACK_SLOTS) {
      throw new IOException("proc: " + compartments + " compartments with " + channels + " channels each need more"
          + " server threads' stacks than proc has room for (compartments × (channels + 64) at most " + STACK_SLOTS
          + "); lower build: {channels: N} in flexc.yaml");
    }
    Map<Integer, List<Gate>> served = RpcProtocol.servedFunctions(gates);
    List<GeneratedSource> written = new ArrayList<>();
    written.addAll(RpcProtocol.writeProtocol(new RpcProtocol.Area("proc", compartments, AREA_ADDRESS, channels),
        directory));
    written.add(RpcProtocol.writeTables("proc", compartmentNames, served, k -> true, resultsOnCrash, directory));
    Path transport = directory.resolve(TRANSPORT);
    Files.writeString(transport, transport(compartments, mainCompartment), StandardCharsets.UTF_8);
    written.add(new GeneratedSource(transport, Optional.empty()));
    Files.writeString(directory.resolve(MEMORY_HEADER), Templates.text(ProcGates.class, "proc/" + MEMORY_HEADER),
        StandardCharsets.UTF_8);
    Path memory = directory.resolve(MEMORY);
    boolean profile = sharing.source() == Sharing.Source.PROFILING;
    List<String> sites = sharing.profile().map(p -> p.of(SharingProfile.Kind.HEAP)).orElse(List.of());
    Files.writeString(memory, Templates.group(ProcGates.class, "proc/proc.stg").render("memory", "compartments",
        compartments, "main", mainCompartment, "layout", Layout.of(compartments),
        "allocator", Templates.text(ProcGates.class, "heaps/flexc_heap.c"),
        "runtime", Templates.text(ProcGates.class, "proc/" + MEMORY), "trust", trust,
        "profile", profile, "sites", sites,
        "sharing", profile || !sites.isEmpty() ? Templates.text(ProcGates.class, "proc/" + SHARING) : ""),
        StandardCharsets.UTF_8);
    written.add(new GeneratedSource(memory, Optional.empty()));
    Path unwind = directory.resolve(UNWIND);
    Files.writeString(unwind, Templates.text(ProcGates.class, "proc/" + UNWIND), StandardCharsets.UTF_8);
    written.add(new GeneratedSource(unwind, Optional.empty()));

    Map<String, List<Gate>> byLibrary = new LinkedHashMap<>();
    gates.forEach(gate -> byLibrary.computeIfAbsent(gate.calleeLibrary(), l -> new ArrayList<>()).add(gate));
    for (Map.Entry<String, List<Gate>> library : byLibrary.entrySet()) {
      written.add(RpcProtocol.writeGates("proc", library.getKey(), library.getValue(), served,
          directory.resolve("proc_gates_" + library.getKey() + ".c")));
    }
    return written;
  }

  private static String transport(int compartments, int mainCompartment) {
    return Templates.group(ProcGates.class, "proc/proc.stg").render("transport", "compartments", compartments,
        "main", mainCompartment, "layout", Layout.of(compartments));
  }
}
