package io.flexc.backends;

import io.flexc.backends.ept.EptBackend;
import io.flexc.backends.fcall.FcallBackend;
import io.flexc.backends.mpk.MpkBackend;
import io.flexc.backends.proc.ProcBackend;
import io.flexc.model.Backend;
import io.flexc.model.BackendCatalog;
import java.util.List;
import java.util.Optional;

/**
 * The closed list of isolation backends, in the order help texts name them: {@link
 * IsolationBackend} is not sealed (flexc runs on the class path, where a sealed interface cannot
 * permit classes in other packages), so this list is where the set of backends is fixed. Adding a
 * backend is its package plus one line here.
 */
public final class IsolationBackends {

  private static final IsolationBackend PROC = new ProcBackend();

  private static final List<IsolationBackend> ALL =
      List.of(new FcallBackend(), new MpkBackend(), new EptBackend(), PROC);

  private IsolationBackends() {}

  public static List<IsolationBackend> all() {
    return ALL;
  }

  /**
   * The backend of an application whose flexc.yaml names none: proc, the one that runs anywhere;
   * its gates count every crossing, so {@code --profile-run} builds on it too.
   */
  public static IsolationBackend byDefault() {
    return PROC;
  }

  public static Optional<IsolationBackend> byLabel(String label) {
    return ALL.stream().filter(backend -> backend.label().equals(label)).findFirst();
  }

  /** The implementation of the backend the solver and the metadata know as {@code model}. */
  public static IsolationBackend of(Backend model) {
    return ALL.stream().filter(backend -> backend.model().equals(model)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no isolation backend " + model.label()));
  }

  /** What the metadata reader resolves flexc.yaml's backend: and kraft.yaml's drivers through. */
  public static BackendCatalog catalog() {
    return new BackendCatalog(ALL.stream().map(IsolationBackend::model).toList(), PROC.model());
  }

  /** The labels for help and error texts: "fcall, mpk, ept or proc". */
  public static String labels() {
    return catalog().labels();
  }

  /** The labels of the backends {@code explore --measure} can measure. */
  public static String measurableLabels() {
    return BackendCatalog.orList(ALL.stream().filter(IsolationBackend::measurable).map(IsolationBackend::label).toList());
  }
}
