package io.flexc.metadata;

import io.flexc.model.Diagnostic;
import io.flexc.model.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small helpers the metadata and configuration tests share. */
public final class TestSupport {

  private TestSupport() {}

  /** Every diagnostic of {@code outcome} as users see it. */
  public static List<String> formatted(Outcome<?> outcome) {
    return outcome.diagnostics().stream().map(Diagnostic::format).toList();
  }

  /** Every diagnostic of {@code outcome}, with {@code directory/} left out of file names and paths. */
  public static List<String> formattedRelativeTo(Path directory, Outcome<?> outcome) {
    return formatted(outcome).stream().map(text -> text.replace(directory + "/", "")).toList();
  }

  /** Writes {@code text} to {@code directory/name}, creating parent directories; returns the file. */
  public static Path write(Path directory, String name, String text) {
    Path file = directory.resolve(name);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
