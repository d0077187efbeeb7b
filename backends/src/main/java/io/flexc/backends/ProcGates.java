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
 * heap; a fault names the function, the owner and the memory). Every process has a dispatcher (the main process on a
 * thread of its own) that starts a server thread per channel which calls it. Gates send calls by
 * function index with their registers and stack as the ABI lays them out, which the callee checks
 * with the result's shape before calling the function at that index. A compartment that dies is
 * reported by name and ends the program, or with {@code FLEXC_PROC_ON_CRASH=fail-calls} fails the
 * calls into it. Globals in {@code .data_shared} are remapped onto shared memory before the fork;
 * at exit, the other compartments are asked to finish and are waited for.
 */
public final class ProcGates {

  public static final String TRANSPORT = "flexc_proc_transport.c";
  public static final String MEMORY = "flexc_proc_memory.c";
  /** The measured source of sharing, appended to {@value #MEMORY} in the builds that profile or use a profile. */
  static final String SHARING = "flexc_proc_sharing.c";
  static final String MEMORY_HEADER = "flexc_proc_memory.h";

  /** Where the memfd is mapped in every process: high in user space, far from anything ld.so places. */
  static final long AREA_ADDRESS = 0x7e0000000000L;
  static final long AREA_SIZE = 64L << 20;

  private ProcGates() {}

  /**
   * Writes the protocol, its tables, the proc transport and one file of gates per callee library into {@code directory}; returns the files to compile.
   */
  public static List<GeneratedSource> write(List<Gate> gates, List<String> compartmentNames, int mainCompartment,
      Path directory) throws IOException {
    return write(gates, compartmentNames, mainCompartment, Sharing.STATIC, directory);
  }

  /**
   * {@link #write}, the memory runtime with {@link #SHARING} when {@code sharing} profiles (every
   * access to another compartment's heap or global recorded, not a fault) or uses a profile (its
   * heap sites allocated from the shared heap).
   */
  public static List<GeneratedSource> write(List<Gate> gates, List<String> compartmentNames, int mainCompartment,
      Sharing sharing, Path directory) throws IOException {
    int compartments = compartmentNames.size();
    Map<Integer, List<Gate>> served = RpcProtocol.servedFunctions(gates);
    List<GeneratedSource> written = new ArrayList<>();
    written.addAll(RpcProtocol.writeProtocol(new RpcProtocol.Area("proc", compartments, AREA_ADDRESS, AREA_SIZE),
        directory));
    written.add(RpcProtocol.writeTables("proc", compartmentNames, served, k -> true, directory));
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
        "runtime", Templates.text(ProcGates.class, "proc/" + MEMORY),
        "profile", profile, "sites", sites,
        "sharing", profile || !sites.isEmpty() ? Templates.text(ProcGates.class, "proc/" + SHARING) : ""),
        StandardCharsets.UTF_8);
    written.add(new GeneratedSource(memory, Optional.empty()));

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
