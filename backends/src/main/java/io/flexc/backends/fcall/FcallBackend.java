package io.flexc.backends.fcall;

import io.flexc.backends.FcallGates;
import io.flexc.backends.GateSettings;
import io.flexc.backends.GeneratedGates;
import io.flexc.backends.IsolationBackend;
import io.flexc.model.Backend;
import io.flexc.transformer.TransformReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * No isolation: gates are plain function calls, aliases in a linker script (the baseline). A
 * crossing costs a call, 2 cycles (FlexOS, ASPLOS'22, artifact figures).
 */
public final class FcallBackend implements IsolationBackend {

  private static final Backend MODEL =
      new Backend("fcall", Optional.of("fcalls"), 2, OptionalInt.empty(), Set.of(), Set.of());

  @Override
  public Backend model() {
    return MODEL;
  }

  @Override
  public GeneratedGates writeGates(TransformReport report, GateSettings settings, Path gates) throws IOException {
    return GeneratedGates.forLinuxProgram(FcallGates.write(report.gates(), gates), report);
  }
}
