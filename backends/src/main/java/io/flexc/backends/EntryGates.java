package io.flexc.backends;

import io.flexc.model.Gate;
import java.io.IOException;
import java.util.List;

/**
 * Entry gates ({@link Gate#isEntry()}: a function pointer's stub, called from any compartment) on a
 * backend whose stubs cannot yet be entered from any compartment: refused before anything is
 * written, naming the functions, rather than generated as a gate from one compartment, which a
 * pointer called from another would enter wrongly.
 */
final class EntryGates {

  private EntryGates() {}

  static void refuse(String backend, List<Gate> gates) throws IOException {
    List<String> functions = gates.stream().filter(Gate::isEntry).map(Gate::function).toList();
    if (!functions.isEmpty()) {
      throw new IOException(backend + ": " + functions.size() + " function(s) whose address may reach another"
          + " compartment need an entry gate callable from any compartment, which " + backend
          + " does not generate yet: " + String.join(", ", functions) + "; use the proc or fcall backend");
    }
  }
}
