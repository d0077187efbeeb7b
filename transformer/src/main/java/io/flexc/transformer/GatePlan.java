package io.flexc.transformer;

import io.flexc.model.Gate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The call gates a configuration needs, known before any file is rewritten: one per (caller
 * compartment, function of another compartment) that the sources compiled as given refer to, with
 * the callee's prototype, and the files referring to each (by gate name, in the order compiled).
 * The rewrite makes these gates and possibly more (callbacks), never fewer.
 */
public record GatePlan(List<Gate> gates, Map<String, List<Path>> callers) {

  public GatePlan {
    gates = List.copyOf(gates);
    callers = Map.copyOf(callers);
  }

  /**
   * What decides, from the plan, whether the transform goes on: it throws (with the reason) to stop
   * it before the rewrite, the transform's longest stage.
   */
  @FunctionalInterface
  public interface Check {
    Check NONE = plan -> {};

    void check(GatePlan plan) throws IOException;
  }
}
