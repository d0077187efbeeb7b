package io.flexc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexc.model.Application;
import io.flexc.model.Configuration;
import io.flexc.model.InputFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A configuration given in a file ({@code --config}): {@code flexc solve --json}'s {@code
 * "assignment"} (library to compartment) or {@code "compartments"}, a list of library lists, every
 * library placed once; optionally {@code "hardening"}, library to the mechanisms applied to it.
 */
final class ConfigurationFile {

  private ConfigurationFile() {}

  /** The configuration in {@code file}, or empty after printing what is wrong with it. */
  static Optional<Configuration> read(Path file, Application application, PrintWriter err) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(InputFiles.readOrThrow(file));
    } catch (IOException e) {
      err.println(file + ": error: not a readable JSON file: " + e.getMessage());
      return Optional.empty();
    }
    Optional<Map<String, Integer>> compartments = compartments(file, root, application.libraryNames(), err);
    if (compartments.isEmpty()) {
      return Optional.empty();
    }
    Optional<Map<String, Set<String>>> hardening = hardening(file, root, application, compartments.get(), err);
    if (hardening.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Integer> ordered = new LinkedHashMap<>();
    application.libraryNames().forEach(library -> ordered.put(library, compartments.get().get(library)));
    return Optional.of(Configuration.numberedInOrder(ordered, hardening.get()));
  }

  private static Optional<Map<String, Integer>> compartments(Path file, JsonNode root, List<String> libraries,
      PrintWriter err) {
    Map<String, Integer> compartmentOf = new HashMap<>();
    if (root != null && root.has("assignment")) {
      root.get("assignment").properties().forEach(e -> compartmentOf.put(e.getKey(), e.getValue().asInt(-1)));
    } else if (root != null && root.has("compartments") && root.get("compartments").isArray()) {
      int index = 0;
      for (JsonNode compartment : root.get("compartments")) {
        for (JsonNode library : compartment) {
          if (compartmentOf.put(library.asText(), index) != null) {
            err.println(file + ": error: library '" + library.asText() + "' is placed twice");
            return Optional.empty();
          }
        }
        index++;
      }
    } else {
      err.println(file + ": error: expected an \"assignment\" object or a \"compartments\" list");
      return Optional.empty();
    }
    for (String library : libraries) {
      if (!compartmentOf.containsKey(library) || compartmentOf.get(library) < 0) {
        err.println(file + ": error: library '" + library + "' is not placed in any compartment");
        return Optional.empty();
      }
    }
    for (String placed : compartmentOf.keySet()) {
      if (!libraries.contains(placed)) {
        err.println(file + ": error: '" + placed + "' is not a library of this application");
        return Optional.empty();
      }
    }
    return Optional.of(compartmentOf);
  }

  private static Optional<Map<String, Set<String>>> hardening(Path file, JsonNode root, Application application,
      Map<String, Integer> compartments, PrintWriter err) {
    Map<String, Set<String>> chosen = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : root.path("hardening").properties()) {
      Set<String> names = new TreeSet<>();
      entry.getValue().forEach(name -> names.add(name.asText()));
      for (String name : names) {
        if (!application.mechanisms().containsKey(name)) {
          err.println(file + ": error: unknown hardening mechanism '" + name + "' for library '" + entry.getKey()
              + "' (known: " + String.join(", ", application.mechanisms().keySet()) + ")");
          return Optional.empty();
        }
      }
      if (!compartments.containsKey(entry.getKey())) {
        err.println(file + ": error: hardening for '" + entry.getKey() + "', which is not a library of this application");
        return Optional.empty();
      }
      chosen.put(entry.getKey(), names);
    }
    return Optional.of(chosen);
  }
}
