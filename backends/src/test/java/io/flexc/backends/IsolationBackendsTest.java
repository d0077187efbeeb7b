package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.Backend;
import io.flexc.model.BackendCatalog;
import io.flexc.model.Behaviour;
import io.flexc.model.HardeningMechanism;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry, and what every backend in it must answer. */
class IsolationBackendsTest {

  private static final HardeningMechanism WITH_RUNTIME = new HardeningMechanism("asan", "",
      Set.of(Behaviour.WRITE_ANY), Set.of(), 1, 1, List.of("-fsanitize=address"), List.of("-fsanitize=address"));
  private static final HardeningMechanism WITHOUT_RUNTIME = new HardeningMechanism("sp", "",
      Set.of(Behaviour.WRITE_ANY), Set.of(), 1, 1, List.of("-fstack-protector-strong"), List.of());
  /** A mechanism whose link flags name an ordinary library, linked like the program's own. */
  private static final HardeningMechanism WITH_LIBRARY = new HardeningMechanism("checked-math", "",
      Set.of(Behaviour.WRITE_ANY), Set.of(), 1, 1, List.of(), List.of("-lm"));

  @Test
  void theRegistryListsTheBackendsInHelpOrder() {
    assertEquals("fcall, mpk, ept or proc", IsolationBackends.labels());
    assertEquals("fcalls, intel-pku or vmept", IsolationBackends.catalog().kraftDrivers());
    assertEquals("fcall or proc", IsolationBackends.measurableLabels());
    assertEquals("proc", IsolationBackends.byDefault().label());
  }

  @Test
  void eachBackendIsFoundByItsLabelItsModelAndItsKraftDriver() {
    BackendCatalog catalog = IsolationBackends.catalog();
    for (IsolationBackend backend : IsolationBackends.all()) {
      Backend model = backend.model();
      assertEquals(Optional.of(backend), IsolationBackends.byLabel(model.label()));
      assertEquals(backend, IsolationBackends.of(model));
      assertEquals(Optional.of(model), catalog.byLabel(model.label()));
      model.kraftDriver().ifPresent(driver -> assertEquals(Optional.of(model), catalog.byKraftDriver(driver)));
    }
    assertEquals(Optional.empty(), IsolationBackends.byLabel("sgx"));
  }

  @Test
  void aMeasurableBackendRunsItsProgramsHere() {
    for (IsolationBackend backend : IsolationBackends.all()) {
      if (backend.measurable()) {
        assertInstanceOf(IsolationBackend.Running.Natively.class, backend.running("bin/app"), backend.label());
      }
    }
  }

  @Test
  void aBackendWithImagesLinksNoProgramAndCannotRunThem() {
    for (IsolationBackend backend : IsolationBackends.all()) {
      if (backend.images().isPresent()) {
        assertInstanceOf(IsolationBackend.Running.NotHere.class, backend.running("bin/app"), backend.label());
        assertTrue(!backend.linksStatically() && backend.programCheck().isEmpty(), backend.label());
      }
    }
  }

  @Test
  void onlyARunTimeLibraryCanBeRefused() {
    for (IsolationBackend backend : IsolationBackends.all()) {
      assertEquals(Optional.empty(), backend.whyCannotLink(WITHOUT_RUNTIME), backend.label());
      assertEquals(Optional.empty(), backend.whyCannotLink(WITH_LIBRARY), backend.label());
    }
    assertEquals(List.of("mpk", "proc"), IsolationBackends.all().stream()
        .filter(backend -> backend.whyCannotLink(WITH_RUNTIME).isPresent()).map(IsolationBackend::label).toList());
  }
}
