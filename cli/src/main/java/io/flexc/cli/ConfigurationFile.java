package io.flexc.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.flexc.model.Application;
import io.flexc.model.Configuration;
import io.flexc.model.Diagnostic;
import io.flexc.model.DiagnosticKind;
import io.flexc.model.Outcome;
import io.flexc.model.SourcePosition;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A configuration given in a file ({@code --config}): {@code flexc solve --json}'s {@code
 * "assignment"} (library to compartment, a whole number) or {@code "compartments"}, a list of
 * library lists, every library placed once; optionally {@code "hardening"}, library to the list of
 * mechanisms applied to it. Other keys of solve's output are ignored. The JSON is read strictly
 * (no duplicate keys, nothing after the value) and every problem is said at its line and column.
 */
final class ConfigurationFile {

  private static final JsonPointer ASSIGNMENT = JsonPointer.compile("/assignment");
  private static final JsonPointer COMPARTMENTS = JsonPointer.compile("/compartments");
  private static final JsonPointer HARDENING = JsonPointer.compile("/hardening");

  private final Path file;
  private final Application application;
  private final LocatedJson json;
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  private ConfigurationFile(Path file, Application application, LocatedJson json) {
    this.file = file;
    this.application = application;
    this.json = json;
  }

  /** The configuration in {@code file}, or empty after printing what is wrong with it. */
  static Optional<Configuration> read(Path file, Application application, PrintWriter err) {
    return Diagnostics.report(parse(file, application), err);
  }

  /** The configuration in {@code file} for {@code application}, or every problem with it. */
  static Outcome<Configuration> parse(Path file, Application application) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      return Outcome.failure(List.of(
          Diagnostic.of(DiagnosticKind.IO_ERROR, SourcePosition.startOf(file.toString()), file, e.getMessage())));
    }
    try {
      return new ConfigurationFile(file, application, LocatedJson.parse(text)).configuration().sortedByPosition();
    } catch (JsonProcessingException e) {
      return Outcome.failure(List.of(
          Diagnostic.of(DiagnosticKind.SYNTAX_ERROR, position(file, e.getLocation()), e.getOriginalMessage())));
    } catch (IOException e) {
      return Outcome.failure(List.of(
          Diagnostic.of(DiagnosticKind.IO_ERROR, SourcePosition.startOf(file.toString()), file, e.getMessage())));
    }
  }

  private Outcome<Configuration> configuration() {
    if (!json.root().isObject()) {
      error(json.valueAt(JsonPointer.empty()), "expected an object with \"assignment\" or \"compartments\"");
      return Outcome.failure(diagnostics);
    }
    Map<String, Integer> compartments = json.root().has("assignment") ? assignment() : compartments();
    Map<String, Set<String>> hardening = hardening();
    if (!diagnostics.isEmpty()) {
      return Outcome.failure(diagnostics);
    }
    Map<String, Integer> ordered = new LinkedHashMap<>();
    application.libraryNames().forEach(library -> ordered.put(library, compartments.get(library)));
    return Outcome.of(Configuration.numberedInOrder(ordered, hardening), diagnostics);
  }

  private Map<String, Integer> assignment() {
    JsonNode assignment = json.root().get("assignment");
    Map<String, Integer> compartmentOf = new LinkedHashMap<>();
    if (!assignment.isObject()) {
      error(json.valueAt(ASSIGNMENT), "\"assignment\" must be an object, library to compartment number");
      return compartmentOf;
    }
    for (Map.Entry<String, JsonNode> entry : assignment.properties()) {
      JsonPointer member = ASSIGNMENT.appendProperty(entry.getKey());
      JsonNode number = entry.getValue();
      if (!number.isIntegralNumber() || !number.canConvertToInt() || number.intValue() < 0) {
        error(json.valueAt(member), "the compartment of '" + entry.getKey() + "' must be a whole number from 0, not "
            + number);
      } else if (library(entry.getKey(), json.keyAt(member))) {
        compartmentOf.put(entry.getKey(), number.intValue());
      }
    }
    unplaced(assignment.propertyStream().map(Map.Entry::getKey).toList(), json.valueAt(ASSIGNMENT));
    return compartmentOf;
  }

  private Map<String, Integer> compartments() {
    JsonNode compartments = json.root().path("compartments");
    Map<String, Integer> compartmentOf = new LinkedHashMap<>();
    if (!compartments.isArray()) {
      error(json.valueAt(compartments.isMissingNode() ? JsonPointer.empty() : COMPARTMENTS),
          "expected an \"assignment\" object or a \"compartments\" list of library lists");
      return compartmentOf;
    }
    for (int index = 0; index < compartments.size(); index++) {
      JsonPointer compartment = COMPARTMENTS.appendIndex(index);
      if (!compartments.get(index).isArray()) {
        error(json.valueAt(compartment), "compartment " + index + " must be a list of library names, not "
            + compartments.get(index));
        continue;
      }
      for (int member = 0; member < compartments.get(index).size(); member++) {
        JsonNode library = compartments.get(index).get(member);
        JsonLocation at = json.valueAt(compartment.appendIndex(member));
        if (!library.isTextual()) {
          error(at, "a library name must be a string, not " + library);
        } else if (compartmentOf.containsKey(library.textValue())) {
          error(at, "library '" + library.textValue() + "' is placed twice");
        } else if (library(library.textValue(), at)) {
          compartmentOf.put(library.textValue(), index);
        }
      }
    }
    List<String> named = new ArrayList<>();
    compartments.forEach(compartment -> compartment.forEach(library -> named.add(library.asText())));
    unplaced(named, json.valueAt(COMPARTMENTS));
    return compartmentOf;
  }

  /** An error at {@code at} for each library that {@code named} does not mention. */
  private void unplaced(List<String> named, JsonLocation at) {
    for (String library : application.libraryNames()) {
      if (!named.contains(library)) {
        error(at, "library '" + library + "' is not placed in any compartment");
      }
    }
  }

  private Map<String, Set<String>> hardening() {
    JsonNode hardening = json.root().path("hardening");
    Map<String, Set<String>> chosen = new TreeMap<>();
    if (hardening.isMissingNode()) {
      return chosen;
    }
    if (!hardening.isObject()) {
      error(json.valueAt(HARDENING), "\"hardening\" must be an object, library to a list of mechanisms");
      return chosen;
    }
    for (Map.Entry<String, JsonNode> entry : hardening.properties()) {
      JsonPointer member = HARDENING.appendProperty(entry.getKey());
      if (!library(entry.getKey(), json.keyAt(member))) {
        continue;
      }
      if (!entry.getValue().isArray()) {
        error(json.valueAt(member), "the hardening of '" + entry.getKey() + "' must be a list of mechanisms, not "
            + entry.getValue());
        continue;
      }
      Set<String> names = new TreeSet<>();
      for (int index = 0; index < entry.getValue().size(); index++) {
        JsonNode name = entry.getValue().get(index);
        JsonLocation at = json.valueAt(member.appendIndex(index));
        if (!name.isTextual()) {
          error(at, "a mechanism name must be a string, not " + name);
        } else if (!application.mechanisms().containsKey(name.textValue())) {
          diagnostics.add(Diagnostic.of(DiagnosticKind.UNKNOWN_MECHANISM, position(file, at), name.textValue(),
              String.join(", ", application.mechanisms().keySet())));
        } else {
          names.add(name.textValue());
        }
      }
      chosen.put(entry.getKey(), names);
    }
    return chosen;
  }

  /** Whether {@code name} is a library of the application; an error at {@code at} when not. */
  private boolean library(String name, JsonLocation at) {
    if (application.libraryNames().contains(name)) {
      return true;
    }
    diagnostics.add(Diagnostic.of(DiagnosticKind.UNKNOWN_LIBRARY, position(file, at), name,
        String.join(", ", application.libraryNames())));
    return false;
  }

  private void error(JsonLocation at, String message) {
    diagnostics.add(Diagnostic.of(DiagnosticKind.BAD_CONFIG_VALUE, position(file, at), message));
  }

  private static SourcePosition position(Path file, JsonLocation at) {
    if (at == null || at.getLineNr() < 1 || at.getColumnNr() < 1) {
      return SourcePosition.startOf(file.toString());
    }
    return new SourcePosition(file.toString(), at.getLineNr(), at.getColumnNr());
  }
}
