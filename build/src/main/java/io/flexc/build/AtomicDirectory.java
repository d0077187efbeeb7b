package io.flexc.build;

import io.flexc.transformer.Directories;
import io.flexc.transformer.ScratchDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a directory completely or not at all: everything goes into a hidden directory beside the
 * target ({@code .NAME.partialN}), which replaces the target only once it is complete; on any
 * failure it is removed and the previous target, if any, is left as it was. The previous target is
 * moved aside ({@code .NAME.oldN}) and removed once replaced. Both are removed when flexc is stopped;
 * what a run killed outright leaves, the next run on the same target removes. Whether the target
 * may be replaced at all is {@link OutputDirectory}'s decision.
 */
public final class AtomicDirectory {

  /** What fills the directory. */
  public interface Content {
    void writeInto(Path directory) throws IOException, InterruptedException;
  }

  private AtomicDirectory() {}

  public static void write(Path target, Content content) throws IOException, InterruptedException {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    String name = absolute.getFileName().toString();
    Files.createDirectories(parent);
    removeLeftovers(parent, name);
    try (ScratchDirectory partial = ScratchDirectory.create(parent, "." + name + ".partial")) {
      content.writeInto(partial.path());
      if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(partial.path(), absolute, StandardCopyOption.ATOMIC_MOVE);
        return;
      }
      try (ScratchDirectory previous = ScratchDirectory.create(parent, "." + name + ".old")) {
        Path aside = previous.path().resolve("content");
        Files.move(absolute, aside, StandardCopyOption.ATOMIC_MOVE);
        try {
          Files.move(partial.path(), absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          Files.move(aside, absolute, StandardCopyOption.ATOMIC_MOVE);
          throw e;
        }
      }
    }
  }

  /** The partial and previous directories of runs on {@code name} that were killed before removing them. */
  private static void removeLeftovers(Path parent, String name) throws IOException {
    Pattern leftover = Pattern.compile(Pattern.quote("." + name) + "\\.(partial|old)\\d+");
    List<Path> found;
    try (Stream<Path> entries = Files.list(parent)) {
      found = entries.filter(entry -> leftover.matcher(entry.getFileName().toString()).matches())
          .filter(entry -> Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    for (Path directory : found) {
      Directories.delete(directory);
    }
  }
}
