package io.flexc.backends.proc;

import io.flexc.backends.GateSettings;
import io.flexc.backends.GateStubRefusals;
import io.flexc.backends.GeneratedGates;
import io.flexc.backends.IsolationBackend;
import io.flexc.backends.ProcGates;
import io.flexc.model.Backend;
import io.flexc.model.Gate;
import io.flexc.transformer.TransformReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One Linux process per compartment, the ept call protocol over shared memory and futexes; every
 * compartment carries its own scheduler and allocator. It runs anywhere, and its gates count every
 * crossing (what {@code --profile-run} records).
 *
 * <p>A crossing is two futex wake-ups and context switches: {@code bench/gate-latency.sh} measures
 * 46k to 114k cycles on this project's 2-core VM, where wake-ups are slow; 20000 is kept as the
 * figure for a machine with idle cores (the recorded explorations in BENCHMARKS.md use it).
 * {@code --gate-cycles} sets it.
 */
public final class ProcBackend implements IsolationBackend {

  private static final Backend MODEL = new Backend(
      "proc", Optional.empty(), 20000, OptionalInt.empty(), Set.of(), Set.of("scheduler", "allocator"));

  @Override
  public Backend model() {
    return MODEL;
  }

  @Override
  public Optional<String> whyNoRunTimeLibraries() {
    return Optional.of("its run-time library runs in every compartment's process and reads the instrumented"
        + " libraries' globals, which proc unmaps outside their compartment");
  }

  @Override
  public List<String> refusals(List<Gate> gates) {
    return GateStubRefusals.of(gates, label(), true);
  }

  @Override
  public boolean appliesTrust() {
    return true;
  }

  @Override
  public boolean refusesSomeGates() {
    return true;
  }

  @Override
  public GeneratedGates writeGates(TransformReport report, GateSettings settings, Path gates) throws IOException {
    return GeneratedGates.forLinuxProgram(
        ProcGates.write(report.gates(), settings.compartmentNames(), settings.mainCompartment(), settings.channels(),
            settings.trust(), settings.sharing(), settings.resultsOnCrash(), gates), report);
  }
}
