package io.flexc.backends;

import io.flexc.layout.Templates;
import io.flexc.model.Gate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The call protocol the {@code ept} and {@code proc} backends share, written once. Each logical
 * thread (a thread of control crossing compartments synchronously) has a <em>channel</em> in the
 * shared area: a message, a bell per compartment and a data shadow stack. A gate puts the callee's
 * function <em>index</em>, the argument count and the arguments into its channel's message, rings
 * the callee and waits; the callee checks index and count against its table of exported functions
 * before calling, and refuses otherwise, so no address crosses as code. Waiting for a reply, a
 * thread serves the calls its channel brings to its compartment (A→B→A nests); a compartment's
 * dispatcher starts a server thread for a channel at its first call there. The protocol ({@value #SOURCE}) reaches the other compartments only through the
 * transport interface ({@value #TRANSPORT_HEADER}: map the shared area, notify, wait, is a
 * compartment alive), which each backend implements; its text is the same for every backend.
 */
final class RpcProtocol {

  static final String HEADER = "flexc_rpc.h";
  static final String TRANSPORT_HEADER = "flexc_transport.h";
  static final String SOURCE = "flexc_rpc.c";
  static final String TABLES = "flexc_rpc_tables.c";

  /** Where a backend puts the shared area and how large it is: the same in every compartment. */
  record Area(String backend, int compartments, long address, long size) {
    Area {
      if (compartments < 1 || address % 4096 != 0 || size % 4096 != 0) {
        throw new IllegalArgumentException("shared area: " + compartments + " compartments at 0x"
            + Long.toHexString(address) + ", " + size + " bytes");
      }
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

  /** Writes the protocol's header, the transport interface and the protocol itself; returns the protocol. */
  static GeneratedSource writeProtocol(Area area, Path directory) throws IOException {
    Files.createDirectories(directory);
    String size = area.size() % (1L << 20) == 0 ? "(" + (area.size() >> 20) + "UL << 20)" : area.size() + "UL";
    Files.writeString(directory.resolve(HEADER), templates().render("header",
        "area", new HeaderModel(area.backend(), area.compartments(), Long.toHexString(area.address()), size)),
        StandardCharsets.UTF_8);
    Files.writeString(directory.resolve(TRANSPORT_HEADER), Templates.text(RpcProtocol.class, "rpc/" + TRANSPORT_HEADER),
        StandardCharsets.UTF_8);
    Path source = directory.resolve(SOURCE);
    Files.writeString(source, Templates.text(RpcProtocol.class, "rpc/" + SOURCE), StandardCharsets.UTF_8);
    return new GeneratedSource(source, Optional.empty());
  }

  /**
   * Writes the compartments' names and the tables of exported functions; a compartment that
   * {@code present} excludes (its code is in another image) gets an empty table.
   */
  static GeneratedSource writeTables(String backend, List<String> names, Map<Integer, List<Gate>> served,
      Predicate<Integer> present, Path directory) throws IOException {
    Files.createDirectories(directory);
    List<Table> tables = new ArrayList<>();
    List<Table> nonEmpty = new ArrayList<>();
    List<Entry> exported = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      List<Gate> functions = present.test(k) ? served.getOrDefault(k, List.of()) : List.of();
      List<Entry> entries = new ArrayList<>();
      for (Gate gate : functions) {
        int arguments = gate.prototype().map(p -> StubSignature.parameterNames(p.parameters()).size()).orElse(0);
        entries.add(new Entry(gate.function(), gate.calleeLibrary(), arguments));
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
   * Writes one file of gates into {@code library}: the stubs of {@code stubs} (sending calls by
   * index) and the dispatchers of the functions in {@code dispatched} (running calls that arrived).
   * The preprocessor lines of the callees' files come first, for their types.
   */
  static GeneratedSource writeGates(String backend, String library, List<Gate> stubs, List<Gate> dispatched,
      Map<Integer, List<Gate>> served, Path file) throws IOException {
    Set<String> preambles = new LinkedHashSet<>();
    Map<String, StubSignature> signatures = new LinkedHashMap<>();
    List<Gate> all = new ArrayList<>(stubs);
    all.addAll(dispatched);
    for (Gate gate : all) {
      if (!signatures.containsKey(gate.function())) {
        StubSignature signature = StubSignature.of(gate, backend);
        signatures.put(gate.function(), signature);
        preambles.add(signature.preamble());
      }
    }
    List<Section> sections = new ArrayList<>();
    Set<String> written = new LinkedHashSet<>();
    for (Gate gate : stubs) {
      int index = indexOf(served.get(gate.calleeCompartment()), gate.function());
      sections.add(new Section(stub(gate, signatures.get(gate.function()), index), null));
      if (dispatched.contains(gate) && written.add(gate.function())) {
        sections.add(new Section(null, dispatcher(gate, signatures.get(gate.function()))));
      }
    }
    for (Gate gate : dispatched) {
      if (written.add(gate.function())) {
        sections.add(new Section(null, dispatcher(gate, signatures.get(gate.function()))));
      }
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, templates().render("gates", "backend", backend, "library", library,
        "stubs", !stubs.isEmpty(), "dispatchers", !dispatched.isEmpty(), "preambles", String.join("", preambles),
        "sections", sections), StandardCharsets.ISO_8859_1);
    return new GeneratedSource(file, Optional.of(signatures.values().iterator().next().prototype().definedIn()));
  }

  private static Stub stub(Gate gate, StubSignature signature, int index) {
    // An entry gate is called through a function pointer from any compartment, its own included,
    // where it must call the function directly: the protocol cannot send a call to itself.
    Direct direct = gate.isEntry()
        ? new Direct(signature.declaration(gate.function()), gate.function(), signature.call()) : null;
    return new Stub(gate.isEntry() ? "any compartment" : "compartment " + gate.callerCompartment(),
        gate.calleeCompartment(), index, signature.declaration(gate.name()),
        signature.returnsValue() ? signature.resultVariable() : null, signature.parameterNames(), direct);
  }

  private static Dispatcher dispatcher(Gate gate, StubSignature signature) {
    return new Dispatcher(gate.function(), signature.declaration(gate.function()), signature.parameterDeclarations(),
        signature.parameterNames(), signature.returnsValue() ? signature.resultVariable() : null, signature.call());
  }

  private static Templates templates() {
    return Templates.group(RpcProtocol.class, "rpc/rpc.stg");
  }

  /** flexc_rpc.h's holes: the area's address in hexadecimal and its size as a C expression. */
  record HeaderModel(String backend, int compartments, String address, String size) {}

  /** A function a compartment exports, and how many arguments a call to it carries. */
  record Entry(String function, String library, int arguments) {}

  /** A compartment's table of exported functions; empty if it exports none (here). */
  record Table(int compartment, List<Entry> entries) {}

  /** One part of a gates file: a stub or a dispatcher (the other is null). */
  record Section(Stub stub, Dispatcher dispatcher) {}

  /**
   * A gate that sends a call by index; result is the declaration of flexc_result, or null for void;
   * direct, for an entry gate, the direct call made when the caller is the callee's compartment.
   */
  record Stub(String caller, int callee, int index, String declaration, String result, List<String> arguments,
      Direct direct) {}

  /** An entry gate's direct call: the callee's declaration, name and the arguments passed on. */
  record Direct(String declaration, String function, String call) {}

  /** The dispatcher that runs a call which arrived; result as in {@link Stub}. */
  record Dispatcher(String function, String declaration, List<String> parameters, List<String> arguments,
      String result, String call) {}
}
