package io.flexc.build;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The stages of a build, in the order they run. {@code flexc transform} runs the first five;
 * {@code flexc build} all of them, linking and checking only for backends that make one program.
 * {@link #CHECK_GATES} runs within the transform, once the sources compiled as given show which
 * gates the configuration needs and before any file is rewritten.
 */
public enum Stage {
  CHECK_GATES("check gates"),
  TRANSFORM("transform"),
  GENERATE_GATES("generate gates"),
  COMPILE_GATES("compile gates"),
  WRITE_LINKER_SCRIPTS("write linker scripts"),
  LINK("link"),
  CHECK_PROGRAM("check program"),
  WRITE_REPORTS("write reports");

  /** A stage's work, which may fail with an {@link IOException}. */
  interface Work<T> {
    T run() throws IOException, InterruptedException;
  }

  private final String label;

  Stage(String label) {
    this.label = label;
  }

  /** How diagnostics name the stage. */
  public String label() {
    return label;
  }

  /**
   * Runs {@code work} as this stage on {@code file}: any {@link IOException} it throws becomes a
   * {@link StageFailure} naming the stage and the file (one a deeper stage threw is kept as it is).
   */
  <T> T run(Path file, Work<T> work) throws StageFailure, InterruptedException {
    try {
      return work.run();
    } catch (StageFailure failure) {
      throw failure;
    } catch (IOException e) {
      throw new StageFailure(this, file, e.getMessage());
    }
  }
}
