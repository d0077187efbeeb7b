package io.flexc.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects diagnostics, keeping at most {@link #MAX_PER_FILE} of each file and counting the rest,
 * which {@link #toList()} sums up in one {@code … N more diagnostics} note per file. A huge broken
 * input thus costs neither unbounded memory nor a screen-flooding report; the first problems are
 * the ones worth fixing first.
 */
public final class BoundedDiagnostics {

  /** The most diagnostics reported for one file. */
  public static final int MAX_PER_FILE = 50;

  private final List<Diagnostic> kept = new ArrayList<>();
  private final Map<String, Integer> keptPerFile = new HashMap<>();
  private final Map<String, Omitted> omitted = new LinkedHashMap<>();
  private boolean errors;

  /** Where the first diagnostic left out of a file was, and how many were. */
  private record Omitted(SourcePosition first, int count) {}

  /** Keeps {@code diagnostic}, or counts it when its file already has its share. */
  public void add(Diagnostic diagnostic) {
    // A summary from an earlier limit passes through uncounted, so limiting twice changes nothing.
    if (diagnostic.kind() == DiagnosticKind.MORE_DIAGNOSTICS) {
      kept.add(diagnostic);
      return;
    }
    errors |= diagnostic.isError();
    if (isFull(diagnostic.position().file())) {
      omit(diagnostic.position());
    } else {
      keptPerFile.merge(diagnostic.position().file(), 1, Integer::sum);
      kept.add(diagnostic);
    }
  }

  /** Whether any diagnostic added, kept or not, is an error. */
  public boolean hasErrors() {
    return errors;
  }

  /** Whether {@code file} has its share, so that a caller may skip composing more messages. */
  public boolean isFull(String file) {
    return keptPerFile.getOrDefault(file, 0) >= MAX_PER_FILE;
  }

  /** Counts a diagnostic at {@code position} that is left out. */
  public void omit(SourcePosition position) {
    omitted.merge(position.file(), new Omitted(position, 1), (a, b) -> new Omitted(a.first(), a.count() + 1));
  }

  /** The kept diagnostics in the order added, then one summary per file that had too many. */
  public List<Diagnostic> toList() {
    List<Diagnostic> all = new ArrayList<>(kept);
    omitted.values().forEach(o -> all.add(Diagnostic.of(DiagnosticKind.MORE_DIAGNOSTICS, o.first(), o.count())));
    return all;
  }

  /** {@code diagnostics} limited to {@link #MAX_PER_FILE} per file. */
  public static List<Diagnostic> limit(List<Diagnostic> diagnostics) {
    BoundedDiagnostics bounded = new BoundedDiagnostics();
    diagnostics.forEach(bounded::add);
    return bounded.toList();
  }
}
