package io.flexc.cli;

import io.flexc.backends.IsolationBackend;
import io.flexc.model.Constraint;
import io.flexc.model.Gate;
import io.flexc.model.SourcePosition;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.PolicyRule;
import io.flexc.transformer.CrossLibraryCalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the solver must know of the backend before it chooses: a call between two libraries that
 * the backend cannot gate (as it would refuse the gate, from the callee's prototype alone) keeps
 * the two libraries in one compartment, a {@code together} rule placed at the first file making the
 * call, with a note saying which call and why.
 */
final class CallsKeptTogether {

  /** The problem with one rule per library pair the backend cannot separate, and a note for each. */
  record Result(PlacementProblem problem, List<String> notes) {

    Result {
      notes = List.copyOf(notes);
    }
  }

  private CallsKeptTogether() {}

  static Result apply(PlacementProblem problem, IsolationBackend backend, List<CrossLibraryCalls.Call> calls) {
    Map<Set<String>, List<String>> reasons = new LinkedHashMap<>();
    Map<Set<String>, CrossLibraryCalls.Call> first = new LinkedHashMap<>();
    for (CrossLibraryCalls.Call call : calls) {
      // Named after the function alone: which compartment calls it is what the solver decides.
      Gate probe = new Gate(call.function(), 0, 1, call.calleeLibrary(), call.function(), call.prototype());
      List<String> refusals = backend.refusals(List.of(probe));
      if (!refusals.isEmpty()) {
        Set<String> pair = new TreeSet<>(List.of(call.callerLibrary(), call.calleeLibrary()));
        reasons.computeIfAbsent(pair, p -> new ArrayList<>()).addAll(refusals);
        first.putIfAbsent(pair, call);
      }
    }
    PlacementProblem kept = problem;
    List<String> notes = new ArrayList<>();
    for (Map.Entry<Set<String>, List<String>> entry : reasons.entrySet()) {
      CrossLibraryCalls.Call call = first.get(entry.getKey());
      Path where = call.callers().getFirst();
      kept = kept.with(new PolicyRule.UserConstraint(new Constraint.Together(
          List.of(call.callerLibrary(), call.calleeLibrary()), SourcePosition.startOf(where.toString()))));
      int more = entry.getValue().size() - 1;
      notes.add(call.callerLibrary() + " and " + call.calleeLibrary() + " are kept in one compartment: "
          + entry.getValue().getFirst() + " (called from " + where + ")"
          + (more > 0 ? "; and " + more + " more call" + (more == 1 ? "" : "s") + " between them" : ""));
    }
    return new Result(kept, notes);
  }
}
