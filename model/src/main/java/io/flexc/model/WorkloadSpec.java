package io.flexc.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How {@code flexc explore --measure} benchmarks a built configuration, from flexc.yaml's
 * {@code measure:} key: a shell command run while the program serves, the environment variable
 * through which the program gets a free loopback port (it is ready once the port accepts
 * connections), and a pattern whose every match in the command's output is one figure (group 1
 * names it, group 2 is its value). A configuration's throughput is the mean of its figures.
 */
public record WorkloadSpec(String command, Optional<String> portVariable, Pattern figures, String unit) {

  public WorkloadSpec {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(portVariable, "portVariable");
    Objects.requireNonNull(figures, "figures");
    Objects.requireNonNull(unit, "unit");
    if (figures.matcher("").groupCount() < 2) {
      throw new IllegalArgumentException("figures needs two groups (name, value): " + figures);
    }
  }
}
