package io.flexc.cli;

import io.flexc.backends.MpkGates;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The backends' own options, shared by the commands that generate gates (transform, build). */
final class BackendOptions {

  @Option(names = "--mpk-stacks", paramLabel = "MODE", defaultValue = "dss", description = "mpk: shared (one stack"
      + " per thread), private (one per thread and compartment; locals that cross live on the shared heap) or dss"
      + " (private, those locals on a data shadow stack) (default: ${DEFAULT-VALUE}).")
  private String mpkStacks;

  MpkGates.StackMode mpkStacks(CommandLine commandLine) {
    return MpkGates.StackMode.fromLabel(mpkStacks).orElseThrow(() -> new CommandLine.ParameterException(commandLine,
        "--mpk-stacks must be shared, private or dss, not '" + mpkStacks + "'"));
  }
}
