package io.flexc.solver;

import io.flexc.model.Backend;
import io.flexc.model.BackendCatalog;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The backends as the backends module's registry (IsolationBackends) describes them, for tests of a
 * module that comes before it in the pipeline and cannot depend on it.
 */
final class TestBackends {

  static final Backend FCALL = new Backend("fcall", Optional.of("fcalls"), 2, OptionalInt.empty(), Set.of(), Set.of());
  static final Backend MPK = new Backend("mpk", Optional.of("intel-pku"), 62, OptionalInt.of(15),
      Set.of("scheduler", "allocator"), Set.of());
  static final Backend EPT = new Backend("ept", Optional.of("vmept"), 462, OptionalInt.empty(), Set.of(),
      Set.of("scheduler", "allocator"));
  static final Backend PROC = new Backend("proc", Optional.empty(), 20000, OptionalInt.empty(), Set.of(),
      Set.of("scheduler", "allocator"));

  static final BackendCatalog CATALOG = new BackendCatalog(List.of(FCALL, MPK, EPT, PROC), PROC);

  private TestBackends() {}
}
