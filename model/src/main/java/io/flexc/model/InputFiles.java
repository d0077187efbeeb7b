package io.flexc.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one way flexc reads an input file (metadata, mechanism definitions, flexc.yaml, kraft.yaml,
 * JSON and CSV inputs): only a regular file, and only up to {@link #MAX_BYTES}, so that no input —
 * {@code /dev/zero}, a FIFO nobody writes to, a huge file — makes flexc block or run out of memory.
 *
 * <p>The regular-file check comes before opening on purpose: opening a FIFO for reading blocks
 * until a writer appears.
 */
public final class InputFiles {

  /** The largest input file flexc reads: 4 MiB, far above any real metadata or configuration. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  /**
   * The deepest nesting flexc accepts in any input (metadata tuples, YAML and JSON collections);
   * real files nest two or three levels, and the limit keeps recursive readers far from the end of
   * their stack.
   */
  public static final int MAX_NESTING = 64;

  private InputFiles() {}

  /**
   * The text of {@code file} as UTF-8, malformed bytes replaced by U+FFFD; or an {@code io-error}
   * diagnostic at the start of the file saying why it was not read.
   */
  public static Outcome<String> read(Path file) {
    try {
      return Outcome.of(readOrThrow(file), List.of());
    } catch (IOException e) {
      return Outcome.failure(
          List.of(Diagnostic.of(DiagnosticKind.IO_ERROR, SourcePosition.startOf(file.toString()), file, e.getMessage())));
    }
  }

  /**
   * The text of {@code file} as {@link #read} gives it, for callers that report I/O failures
   * themselves; the exception's message is the reason alone, e.g. {@code not a regular file}.
   */
  public static String readOrThrow(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(Files.exists(file) ? "not a regular file" : "no such file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException | SecurityException e) {
      throw new IOException("not a readable file", e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new IOException("larger than " + MAX_BYTES / (1024 * 1024) + " MiB, the limit for input files");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
