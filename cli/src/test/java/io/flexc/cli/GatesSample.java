package io.flexc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The transformer's sample of every rewrite kind (program a, library b), copied for a test to use. */
final class GatesSample {

  static final Path SAMPLE = Path.of("..", "transformer", "src", "test", "resources", "gates");

  private GatesSample() {}

  /** Copies the sample to {@code application}, which must not exist yet; returns it. */
  static Path copyTo(Path application) throws IOException {
    return copy(SAMPLE, application);
  }

  /** Copies the application {@code sample} to {@code application}, which must not exist yet; returns it. */
  static Path copy(Path sample, Path application) throws IOException {
    try (Stream<Path> walk = Files.walk(sample)) {
      for (Path path : walk.toList()) {
        Path target = application.resolve(sample.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
    return application;
  }

  /**
   * Adds to a copy of the sample a call of b's whose structure argument takes 264 bytes of stack,
   * more than an ABI-level gate forwards: what proc, ept and mpk refuse.
   */
  static void addBigArgument(Path application) throws IOException {
    Path resources = Path.of("src", "test", "resources", "big-argument");
    Files.copy(resources.resolve("a_big.c"), application.resolve("a/a_big.c"));
    Files.copy(resources.resolve("b_big.c"), application.resolve("b/b_big.c"));
  }
}
