package io.flexc.transformer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A directory that lives only as long as the work done in it: removed on {@link #close}, and by a
 * shutdown hook when flexc is stopped (Ctrl-C, SIGTERM) before that, so no scratch space or partial
 * output outlives the run. A JVM killed outright runs no hook; callers name their directories so
 * that the next run can recognise and remove what such a run left.
 */
public final class ScratchDirectory implements AutoCloseable {

  /** Removal attempts when stopping: the interrupted work may still be writing into the directory. */
  private static final int ATTEMPTS = 5;

  private final Path path;
  private final Thread remover;

  private ScratchDirectory(Path path) {
    this.path = path;
    this.remover = new Thread(() -> removeWhileStopping(path));
  }

  /** A new directory in {@code parent}, named {@code prefix} and a random number. */
  public static ScratchDirectory create(Path parent, String prefix) throws IOException {
    return register(Files.createTempDirectory(parent, prefix));
  }

  /** A new directory in the system's temporary directory, for work that has no output directory. */
  public static ScratchDirectory createTemporary(String prefix) throws IOException {
    return register(Files.createTempDirectory(prefix));
  }

  private static ScratchDirectory register(Path path) throws IOException {
    ScratchDirectory scratch = new ScratchDirectory(path);
    try {
      Runtime.getRuntime().addShutdownHook(scratch.remover);
    } catch (IllegalStateException shuttingDown) {
      Directories.delete(path);
      throw new IOException("flexc is stopping; not starting work in " + path, shuttingDown);
    }
    return scratch;
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    try {
      Runtime.getRuntime().removeShutdownHook(remover);
    } catch (IllegalStateException shuttingDown) {
      // The hook removes the directory too, but the work may have gone on writing into it after: now
      // it has given up, remove what it wrote.
      removeWhileStopping(path);
      return;
    }
    Directories.delete(path);
  }

  private static void removeWhileStopping(Path path) {
    for (int attempt = 0; attempt < ATTEMPTS && Files.exists(path, LinkOption.NOFOLLOW_LINKS); attempt++) {
      try {
        Directories.delete(path);
      } catch (IOException racing) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
