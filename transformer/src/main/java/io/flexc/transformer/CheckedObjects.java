package io.flexc.transformer;

import io.flexc.model.GateSite;
import io.flexc.model.SharedData;
import io.flexc.transformer.TransformReport.ObjectCheck;
import java.util.List;

/**
 * What the object-level pass found and did: its counts, the gate sites it redirected with objcopy,
 * and the globals that code in another compartment references, which must be shared.
 */
record CheckedObjects(ObjectCheck check, List<GateSite> sites, List<SharedData> globals) {

  CheckedObjects {
    sites = List.copyOf(sites);
    globals = List.copyOf(globals);
  }
}
