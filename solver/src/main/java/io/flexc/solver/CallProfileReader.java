package io.flexc.solver;

import io.flexc.model.Diagnostic;
import io.flexc.model.DiagnosticKind;
import io.flexc.model.InputFiles;
import io.flexc.model.Outcome;
import io.flexc.model.SourcePosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a call-count profile: one {@code caller,callee,count} row per line, where caller and
 * callee are library names or {@code library::function} (the function is ignored: gates are
 * counted per pair of libraries). An optional header row, blank lines and {@code #} comments are
 * allowed.
 */
public final class CallProfileReader {

  private static final String HEADER = "caller,callee,count";

  private CallProfileReader() {}

  public static Outcome<CallProfile> read(Path file, Set<String> libraries) {
    String name = file.toString();
    if (!Files.exists(file)) {
      return Outcome.failure(
          List.of(Diagnostic.of(DiagnosticKind.MISSING_FILE, SourcePosition.startOf(name), "profile", name)));
    }
    Outcome<String> text = InputFiles.read(file);
    if (!text.succeeded()) {
      return Outcome.failure(text.diagnostics());
    }
    List<String> lines = text.get().lines().toList();
    List<CallProfile.CallCount> counts = new ArrayList<>();
    List<Diagnostic> diagnostics = new ArrayList<>();
    for (int index = 0; index < lines.size(); index++) {
      String line = lines.get(index);
      String content = line.strip();
      if (content.isEmpty() || content.startsWith("#")
          || (counts.isEmpty() && content.replace(" ", "").equalsIgnoreCase(HEADER))) {
        continue;
      }
      SourcePosition position = new SourcePosition(name, index + 1, 1 + line.indexOf(content.charAt(0)));
      String[] fields = content.split(",", -1);
      if (fields.length != 3) {
        diagnostics.add(malformed(position, "expected caller,callee,count but found " + fields.length + " fields"));
        continue;
      }
      String caller = library(fields[0]);
      String callee = library(fields[1]);
      for (String library : List.of(caller, callee)) {
        if (!libraries.contains(library)) {
          diagnostics.add(
              Diagnostic.of(DiagnosticKind.UNKNOWN_LIBRARY, position, library, String.join(", ", libraries)));
        }
      }
      long count;
      try {
        count = Long.parseLong(fields[2].strip());
      } catch (NumberFormatException e) {
        count = -1;
      }
      if (count < 0) {
        diagnostics.add(malformed(position, "call count '" + fields[2].strip() + "' is not a non-negative integer"));
        continue;
      }
      counts.add(new CallProfile.CallCount(caller, callee, count, position));
    }
    return Outcome.of(new CallProfile(counts), diagnostics);
  }

  private static String library(String field) {
    String trimmed = field.strip();
    int scope = trimmed.indexOf("::");
    return scope < 0 ? trimmed : trimmed.substring(0, scope);
  }

  private static Diagnostic malformed(SourcePosition position, String message) {
    return Diagnostic.of(DiagnosticKind.MALFORMED_VALUE, position, message);
  }
}
