package io.flexc.backends;

import io.flexc.layout.Templates;
import io.flexc.model.CallShape;
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
import java.util.function.Predicate;

/**
 * The call protocol the {@code ept} and {@code proc} backends share, written once. Each logical
 * thread (a thread of control crossing compartments synchronously) has a <em>channel</em> in the
 * shared area: a message, a bell per compartment and a data shadow stack. A gate forwards a call
 * at the level of the System V x86-64 ABI ({@value #ABI_SOURCE}): it puts the callee's function
 * <em>index</em>, the shape of the result it expects, the argument registers and a bounded block
 * of the caller's stack into its channel's message, rings the callee and waits; the callee checks
 * index and shape against its table of exported functions, which holds each function's address,
 * before calling, and refuses otherwise, so no address crosses as code. No stub depends on how a
 * prototype was spelled: a call's {@link CallShape}, when the compiler gave it, adds only a result
 * returned in memory or on the x87 stack and the check that the fixed stack arguments fit. Waiting
 * for a reply, a thread serves the calls its channel brings to its compartment (A→B→A nests); a
 * compartment's dispatcher starts a server thread for a channel at its first call there. Calls
 * carry their depth on the channel, so that a {@code longjmp} in one compartment (Lua's error
 * raised in a callback, caught by {@code lua_pcall}) makes the frames the other compartments
 * still wait in give way to the next message: the reply of an outer call, or a new call. The
 * protocol ({@value #SOURCE}) reaches the other compartments only through the transport
 * interface ({@value #TRANSPORT_HEADER}: map the shared area, notify, wait, is a compartment
 * alive), which each backend implements; its text is the same for every backend.
 */
final class RpcProtocol {

  static final String HEADER = "flexc_rpc.h";
  static final String TRANSPORT_HEADER = "flexc_transport.h";
  static final String SOURCE = "flexc_rpc.c";
  static final String ABI_SOURCE = "flexc_rpc_abi.c";
  static final String HEAP_SOURCE = "flexc_shared_heap.c";

  static final int STACK_ARGUMENT_BYTES = GateStubRefusals.STACK_ARGUMENT_BYTES;
  static final int RESULT_IN_MEMORY_BYTES = GateStubRefusals.RESULT_IN_MEMORY_BYTES;
  /** The bit of a result shape that says the result comes back on the x87 stack (FLEXC_RESULT_X87). */
  static final int RESULT_X87 = 0x10000;
  static final String TABLES = "flexc_rpc_tables.c";

  /** The shared heap's bytes in the area, besides the channels. */
  static final long SHARED_HEAP_BYTES = 48L << 20;
  /** A channel's bytes in the area: its data shadow stack (FLEXC_DSS_BYTES) and room for its control block. */
  static final long CHANNEL_BYTES = (256L << 10) + (4L << 10);

  /** The shared area's bytes for {@code channels} logical threads: the shared heap and the channels, in whole MiB. */
  static long areaSize(int channels) {
    long bytes = SHARED_HEAP_BYTES + channels * CHANNEL_BYTES;
    return (bytes + (1L << 20) - 1) & -(1L << 20);
  }

  /**
   * Where a backend puts the shared area, the same in every compartment, and how many channels it
   * holds, which sets its size.
   */
  record Area(String backend, int compartments, long address, int channels) {
    Area {
      if (compartments < 1 || address % 4096 != 0 || channels < 1) {
        throw new IllegalArgumentException("shared area: " + compartments + " compartments at 0x"
            + Long.toHexString(address) + ", " + channels + " channels");
      }
    }

    long size() {
      return areaSize(channels);
    }
  }

  private RpcProtocol() {}

  /** The functions each compartment serves, in index order (sorted, so indexes are stable). */
  static Map<Integer, List<Gate>> servedFunctions(List<Gate> gates) {
    Map<Integer, Map<String, Gate>> served = new TreeMap<>();
    for (Gate gate : gates) {
      served.computeIfAbsent(gate.calleeCompartment(), k -> new TreeMap<>()).putIfAbsent(gate.function(), gate);
    }
    Map<Integer, List<Gate>> lists = new TreeMap<>();
    served.forEach((k, functions) -> lists.put(k, List.copyOf(functions.values())));
    return lists;
  }

  /** The index of {@code function} in its compartment's table. */
  static int indexOf(List<Gate> served, String function) {
    for (int i = 0; i < served.size(); i++) {
      if (served.get(i).function().equals(function)) {
        return i;
      }
    }
    throw new IllegalStateException(function + " is not served");
  }

  /**
   * Writes the protocol's header, the transport interface, the protocol, its ABI layer and the shared heap;
   * returns the last three.
   */
  static List<GeneratedSource> writeProtocol(Area area, Path directory) throws IOException {
    Files.createDirectories(directory);
    String size = area.size() % (1L << 20) == 0 ? "(" + (area.size() >> 20) + "UL << 20)" : area.size() + "UL";
    Files.writeString(directory.resolve(HEADER), templates().render("header",
        "area", new HeaderModel(area.backend(), area.compartments(), Long.toHexString(area.address()), size,
            area.channels(), STACK_ARGUMENT_BYTES, RESULT_IN_MEMORY_BYTES, "0x" + Integer.toHexString(RESULT_X87))),
        StandardCharsets.UTF_8);
    Files.writeString(directory.resolve(TRANSPORT_HEADER), Templates.text(RpcProtocol.class, "rpc/" + TRANSPORT_HEADER),
        StandardCharsets.UTF_8);
    List<GeneratedSource> sources = new ArrayList<>();
    for (String name : List.of(SOURCE, ABI_SOURCE, HEAP_SOURCE)) {
      Path source = directory.resolve(name);
      Files.writeString(source, Templates.text(RpcProtocol.class, "rpc/" + name), StandardCharsets.UTF_8);
      sources.add(new GeneratedSource(source, Optional.empty()));
    }
    return sources;
  }

  /**
   * Writes the compartments' names and the tables of exported functions, each with what a call
   * answers when its compartment has crashed ({@code resultsOnCrash}, else zero); a compartment
   * that {@code present} excludes (its code is in another image) gets an empty table.
   */
  static GeneratedSource writeTables(String backend, List<String> names, Map<Integer, List<Gate>> served,
      Predicate<Integer> present, Map<String, Long> resultsOnCrash, Path directory) throws IOException {
    Files.createDirectories(directory);
    List<Table> tables = new ArrayList<>();
    List<Table> nonEmpty = new ArrayList<>();
    List<Entry> exported = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      List<Gate> functions = present.test(k) ? served.getOrDefault(k, List.of()) : List.of();
      List<Entry> entries = new ArrayList<>();
      for (Gate gate : functions) {
        entries.add(new Entry(gate.function(), gate.calleeLibrary(), GateWords.of(gate, backend).result(),
            resultsOnCrash.getOrDefault(gate.function(), 0L)));
      }
      exported.addAll(entries);
      tables.add(new Table(k, entries));
      if (!entries.isEmpty()) {
        nonEmpty.add(new Table(k, entries));
      }
    }
    Path file = directory.resolve(TABLES);
    Files.writeString(file, templates().render("tables", "backend", backend, "names", names, "tables", tables,
        "served", nonEmpty, "exported", exported), StandardCharsets.UTF_8);
    return new GeneratedSource(file, Optional.empty());
  }

  /**
   * Writes one file of gates into {@code library}: an entry in assembly per gate of {@code stubs},
   * which sends the call by index with its registers and stack as the ABI laid them out.
   */
  static GeneratedSource writeGates(String backend, String library, List<Gate> stubs,
      Map<Integer, List<Gate>> served, Path file) throws IOException {
    List<Stub> written = new ArrayList<>();
    for (Gate gate : stubs) {
      GateWords words = GateWords.of(gate, backend);
      written.add(new Stub(gate.name(), gate.function(), gate.calleeCompartment(),
          indexOf(served.get(gate.calleeCompartment()), gate.function()), words.result(), words.stackBytes(),
          words.note().orElse(null)));
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, templates().render("gates", "backend", backend, "library", library, "stubs", written),
        StandardCharsets.UTF_8);
    return new GeneratedSource(file, Optional.empty());
  }

  /**
   * What the gate for {@code gate} puts in its registers besides the call: the result's shape
   * (the bytes of a result returned in memory, or {@link #RESULT_X87}) and how many bytes of the
   * caller's stack it forwards; and, when the compiler has not given the call's shape, the note
   * that says what the gate assumed. A call that does not fit the bounds is refused.
   */
  record GateWords(int result, int stackBytes, Optional<String> note) {

    static GateWords of(Gate gate, String backend) throws IOException {
      Optional<CallShape> known = gate.prototype().flatMap(Prototype::shape);
      if (known.isEmpty()) {
        return new GateWords(0, STACK_ARGUMENT_BYTES, Optional.of("call shape not known: the result taken to come"
            + " back in registers, and at most " + STACK_ARGUMENT_BYTES + " bytes of stack arguments forwarded"));
      }
      GateStubRefusals.check(gate, backend, true);
      CallShape shape = known.get();
      int result = shape.resultInMemoryBytes() | (shape.resultOnX87() ? RESULT_X87 : 0);
      // A variadic call's stack arguments are as many as its caller passed: all that the bound allows.
      return new GateWords(result, shape.variadic() ? STACK_ARGUMENT_BYTES : shape.fixedStackBytes(),
          Optional.empty());
    }
  }

  private static Templates templates() {
    return Templates.group(RpcProtocol.class, "rpc/rpc.stg");
  }

  /**
   * flexc_rpc.h's holes: the area's address in hexadecimal, its size as a C expression, its
   * channels, and the gates' bounds.
   */
  record HeaderModel(String backend, int compartments, String address, String size, int channels, int stackBytes,
      int memoryBytes, String x87) {}

  /**
   * A function a compartment exports, the shape of its result (as {@link GateWords#result}) and
   * what a call answers when the compartment has crashed.
   */
  record Entry(String function, String library, int result, long resultOnCrash) {}

  /** A compartment's table of exported functions; empty if it exports none (here). */
  record Table(int compartment, List<Entry> entries) {}

  /**
   * A gate: its name, the function it calls, where (compartment, index in its table), its
   * {@link GateWords}; note, or null, what it assumed.
   */
  record Stub(String name, String function, int callee, int index, int result, int stackBytes, String note) {}
}
