package io.flexc.backends;

import io.flexc.model.Gate;
import java.io.IOException;
import java.util.List;

/**
 * Entry gates ({@link Gate#isEntry()}: a function pointer's stub, called from any compartment) on a
 * backend where one cannot exist: ept's compartments are separate images, in which a function's
 * address means nothing to the others. Refused before anything is written, naming the functions.
 */
final class EntryGates {

  private EntryGates() {}

  static void refuse(String backend, List<Gate> gates) throws IOException {
    List<String> functions = gates.stream().filter(Gate::isEntry).map(Gate::function).toList();
    if (!functions.isEmpty()) {
      throw new IOException(backend + ": " + functions.size() + " function(s) whose address may reach another"
          + " compartment need an entry gate callable from any compartment, which " + backend
          + " cannot have (its compartments are separate images): " + String.join(", ", functions) + "; use the proc or fcall backend");
    }
  }
}
