package io.flexc.measure;

import io.flexc.build.BuildTarget;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The directory a measured exploration writes in place (so that it can resume): one the caller
 * has already claimed, as the command line decides what may be replaced.
 */
public interface ExplorationOutput {

  /** Where the directory is, symbolic links resolved. */
  Path path();

  /** Empties the directory and marks it as flexc's. */
  void recreate() throws IOException;

  /** A directory inside this one, to build a configuration in, owned as this one is. */
  BuildTarget inside(Path relative, String command, String application);
}
