package io.flexc.transformer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Text edits on one file, applied in one go: replacements may not overlap (a later overlapping
 * one is refused, and the caller leaves that place to the object-level pass); insertions at the
 * same offset keep the order they were made in.
 */
final class Edits {

  private record Edit(int offset, int length, String replacement, int order) {}

  private final List<Edit> edits = new ArrayList<>();

  /** Replaces {@code [offset, offset + length)}; false when it overlaps an earlier replacement. */
  boolean replace(int offset, int length, String replacement) {
    for (Edit edit : edits) {
      if (edit.length() > 0 && offset < edit.offset() + edit.length() && edit.offset() < offset + length) {
        return false;
      }
    }
    edits.add(new Edit(offset, length, replacement, edits.size()));
    return true;
  }

  /**
   * Replaces {@code [offset, offset + length)}, superseding earlier replacements that lie wholly
   * inside it (the new text already accounts for them); false when one overlaps it only in part.
   */
  boolean replaceCovering(int offset, int length, String replacement) {
    List<Edit> inside = new ArrayList<>();
    for (Edit edit : edits) {
      boolean overlaps = edit.length() > 0 && offset < edit.offset() + edit.length() && edit.offset() < offset + length;
      boolean within = edit.offset() >= offset && edit.offset() + edit.length() <= offset + length;
      if (overlaps && !within) {
        return false;
      }
      if (overlaps) {
        inside.add(edit);
      }
    }
    edits.removeAll(inside);
    edits.add(new Edit(offset, length, replacement, edits.size()));
    return true;
  }

  void insert(int offset, String text) {
    edits.add(new Edit(offset, 0, text, edits.size()));
  }

  boolean isEmpty() {
    return edits.isEmpty();
  }

  String applyTo(String text) {
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::offset)
        .thenComparing(edit -> edit.length() > 0)
        .thenComparingInt(Edit::order));
    StringBuilder out = new StringBuilder(text.length() + 256 * sorted.size());
    int copied = 0;
    for (Edit edit : sorted) {
      out.append(text, copied, edit.offset());
      out.append(edit.replacement());
      copied = edit.offset() + edit.length();
    }
    out.append(text, copied, text.length());
    return out.toString();
  }
}
