package io.flexc.cli;

import io.flexc.transformer.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a directory completely or not at all: everything goes into a hidden directory beside the
 * target, which replaces the target only once it is complete; on any failure it is removed and the
 * previous target, if any, is left as it was.
 */
final class AtomicDirectory {

  /** What fills the directory. */
  interface Content {
    void writeInto(Path directory) throws IOException, InterruptedException;
  }

  private AtomicDirectory() {}

  static void write(Path target, Content content) throws IOException, InterruptedException {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    Path partial = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".partial");
    try {
      content.writeInto(partial);
      Path previous = null;
      if (Files.exists(absolute)) {
        previous = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".old");
        Files.move(absolute, previous.resolve("content"), StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
      if (previous != null) {
        Directories.delete(previous);
      }
    } finally {
      Directories.delete(partial);
    }
  }
}
