package io.flexc.model;

import java.util.Objects;

/**
 * A place in an input file, 1-based line and column as compilers print them.
 *
 * <p>{@link #format()} gives the {@code file:line:col} prefix that every flexc diagnostic and
 * explanation starts with.
 */
public record SourcePosition(String file, int line, int column) implements Comparable<SourcePosition> {

  public SourcePosition {
    Objects.requireNonNull(file, "file");
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  /** A position that names only the file, for problems that concern a file as a whole. */
  public static SourcePosition startOf(String file) {
    return new SourcePosition(file, 1, 1);
  }

  /** {@code line:col}, for pointing at another place in the same file. */
  public String lineAndColumn() {
    return line + ":" + column;
  }

  /** {@code file:line:col}, controls in the file name escaped ({@link Printable}). */
  public String format() {
    return Printable.escape(file) + ":" + line + ":" + column;
  }

  @Override
  public int compareTo(SourcePosition other) {
    int byFile = file.compareTo(other.file);
    if (byFile != 0) {
      return byFile;
    }
    int byLine = Integer.compare(line, other.line);
    return byLine != 0 ? byLine : Integer.compare(column, other.column);
  }

  @Override
  public String toString() {
    return format();
  }
}
