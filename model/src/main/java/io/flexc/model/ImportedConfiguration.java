package io.flexc.model;

import java.util.List;
import java.util.Objects;

/**
 * A fixed configuration read from FlexOS's kraft.yaml: the backend its compartments' driver names,
 * the compartment names in declaration order (compartment {@code i} of the configuration is {@code
 * compartmentNames.get(i)}), and the placement and hardening of each library.
 */
public record ImportedConfiguration(
    String name, Backend backend, List<String> compartmentNames, Configuration configuration) {

  public ImportedConfiguration {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(backend, "backend");
    compartmentNames = List.copyOf(compartmentNames);
    Objects.requireNonNull(configuration, "configuration");
    if (configuration.compartmentCount() > compartmentNames.size()) {
      throw new IllegalArgumentException("more compartments used than declared");
    }
  }
}
