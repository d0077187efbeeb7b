package io.flexc.transformer;

import io.flexc.model.AddressSite;
import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.model.SharedData;
import io.flexc.transformer.objects.CompileCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a rewrite did: the configuration it followed, every gate site (source and object
 * level), the gates the backends must generate (entry gates among them, {@link Gate#isEntry()}),
 * the gates left out because no compiled object references them, every place the objects take a
 * function's address, shared data, the entry points reachable from other compartments, what
 * happened to each file, notes on what flexc left to the object level, and the library that
 * defines {@code main}, where a program starts. {@code editedObjects} are the objects the object
 * level edited after compiling them, each with {@code X.o.compiled} and {@code X.o.edited} beside it.
 */
public record TransformReport(
    String application,
    Map<String, Integer> compartmentOf,
    List<GateSite> sites,
    List<Gate> gates,
    List<PrunedGate> prunedGates,
    List<AddressSite> addressSites,
    List<SharedData> shared,
    List<String> entryPoints,
    List<FileOutcome> files,
    List<Path> editedObjects,
    List<String> notes,
    Optional<ObjectCheck> objectCheck,
    Optional<String> mainLibrary) {

  public TransformReport {
    compartmentOf = Map.copyOf(compartmentOf);
    sites = List.copyOf(sites);
    gates = List.copyOf(gates);
    prunedGates = List.copyOf(prunedGates);
    addressSites = List.copyOf(addressSites);
    shared = List.copyOf(shared);
    entryPoints = List.copyOf(entryPoints);
    files = List.copyOf(files);
    editedObjects = List.copyOf(editedObjects);
    notes = List.copyOf(notes);
  }

  /**
   * A gate the source rewrite made that no compiled object references, so none is generated:
   * {@code reason} says why, {@code sites} are the rewritten places that named it.
   */
  public record PrunedGate(Gate gate, String reason, List<GateSite> sites) {

    public PrunedGate {
      sites = List.copyOf(sites);
    }
  }

  /**
   * One source file: where its output went, whether the source rewrite was kept, and how it
   * compiles (gates into its functions compile the same way).
   */
  public record FileOutcome(
      String library,
      Path original,
      Path rewritten,
      Optional<Path> object,
      Status status,
      String detail,
      CompileCommand command) {}

  public enum Status {
    /** Nothing in the file crosses a boundary: copied verbatim. */
    UNCHANGED,
    REWRITTEN,
    /** The rewritten text did not compile; the original is used and redirected at object level. */
    FELL_BACK
  }

  /**
   * The compiler's view: cross-compartment references to functions in the original objects, how
   * many the source rewrite turned into gate references, how many were redirected with objcopy,
   * and how many remain (zero, or the output would not be complete); function definitions found in
   * the sources versus defined in the objects, with the ones the sources missed.
   */
  public record ObjectCheck(
      int crossReferences,
      int handledAtSource,
      int redirected,
      int remaining,
      int objectFunctions,
      int foundFunctions,
      List<String> missedFunctions) {}
}
