package io.flexc.build;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A stage of a build that failed: which stage, on which file (relative to the output directory
 * for what the build generates), and why. Its message is the diagnostic {@code STAGE: FILE:
 * message}. It is an {@link IOException} so that the output directory being written is removed as
 * for any other failure to write it ({@link AtomicDirectory}).
 */
public final class StageFailure extends IOException {

  private final Stage stage;
  private final Path file;
  private final String detail;

  public StageFailure(Stage stage, Path file, String detail) {
    super(stage.label() + ": " + file + ": " + detail);
    this.stage = stage;
    this.file = file;
    this.detail = detail;
  }

  public Stage stage() {
    return stage;
  }

  public Path file() {
    return file;
  }

  /** Why the stage failed, without the stage and the file. */
  public String detail() {
    return detail;
  }
}
