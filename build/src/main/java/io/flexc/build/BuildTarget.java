package io.flexc.build;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a build is written: a directory the caller has already claimed (the command line decides
 * what it may replace), written completely or not at all.
 */
public interface BuildTarget {

  /** The directory as the user named it, for messages and the summary. */
  Path given();

  /** Writes the directory completely or not at all; what was there before is replaced. */
  void replace(AtomicDirectory.Content content) throws IOException, InterruptedException;
}
