package io.flexc.metadata.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.Application;
import io.flexc.model.CallTarget;
import io.flexc.model.Constraint;
import io.flexc.model.ImportedConfiguration;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.Outcome;
import io.flexc.model.Permission;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** examples/seed-scheduler says what the design's scenario needs (Maven runs tests in the module). */
class SeedSchedulerExampleTest {

  private static final Path EXAMPLE = Path.of("..", "examples", "seed-scheduler");

  private static Application application;

  @BeforeAll
  static void load() {
    Outcome<Application> outcome = ApplicationLoader.load(EXAMPLE, TestBackends.CATALOG);
    assertEquals(List.of(), outcome.diagnostics());
    application = outcome.get();
  }

  @Test
  void theApplication() {
    assertEquals("seed-scheduler", application.name());
    assertEquals(TestBackends.MPK, application.spec().backend());
    assertEquals(List.of("sched", "app", "alloc", "netstack"), application.libraryNames());
    assertEquals(List.of("asan", "cfi", "sp"), application.spec().hardening());
    assertEquals(List.of("isolate: netstack"),
        application.spec().constraints().stream().map(Constraint::describe).toList());
    assertTrue(application.spec().constraints().get(0) instanceof Constraint.Isolate isolate
        && isolate.library().equals("netstack"));
  }

  @Test
  void theSchedulerIsVerifiedAndOnlyCallsTheAllocator() {
    LibraryMetadata sched = application.library("sched");
    assertEquals(Optional.of("Dafny"), sched.verifiedWith());
    assertEquals(Set.of(Permission.R), sched.requires());
    assertFalse(sched.call().anywhere());
    assertEquals(List.of(new CallTarget("alloc", "uk_malloc"), new CallTarget("alloc", "uk_free")), sched.call().targets());
    assertEquals(Set.of(), sched.behaviours());
    assertEquals(Optional.of("scheduler"), sched.role());
  }

  @Test
  void theAllocatorIsUnverifiedC() {
    LibraryMetadata alloc = application.library("alloc");
    assertEquals(Optional.of("allocator"), alloc.role());
    assertFalse(alloc.isVerified());
    assertEquals(LibraryMetadata.unverifiedC("alloc").behaviours(), alloc.behaviours());
    assertEquals(Optional.of("void *uk_malloc(unsigned long size)"), alloc.apiFunction("uk_malloc").get().prototype());
  }

  @Test
  void theNetworkStackIsReadFromItsPropertiesDef() {
    LibraryMetadata netstack = application.library("netstack");
    assertEquals(Optional.of("netstack"), netstack.role());
    assertEquals(Set.of(Permission.R, Permission.W, Permission.X), netstack.requires());
    assertTrue(application.libraries().get("netstack").source().file().endsWith("Properties.def"));
  }

  @Test
  void itsKraftYamlUsesThreeMpkCompartments() {
    Outcome<ImportedConfiguration> kraft = KraftImporter.readFor(EXAMPLE.resolve("kraft.yaml"), application, TestBackends.CATALOG);
    assertEquals(List.of(), kraft.diagnostics());
    assertEquals(TestBackends.MPK, kraft.get().backend());
    assertEquals(List.of("comp1", "comp2", "comp3"), kraft.get().compartmentNames());
    assertEquals(Map.of("sched", 0, "app", 1, "alloc", 1, "netstack", 2), kraft.get().configuration().compartmentOf());
  }
}
