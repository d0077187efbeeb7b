package io.flexc.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.model.AddressSite;
import io.flexc.model.Application;
import io.flexc.model.Gate;
import io.flexc.model.Outcome;
import io.flexc.model.SharedData.Placement;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pointers} sample (test resources): function addresses taken in a static table, through
 * a macro and as a return value go to entry gates; gates named only in #if branches that are not
 * compiled are pruned.
 */
class FunctionPointersTest {

  private static final Map<String, Integer> SPLIT = Map.of("app", 0, "a", 1, "b", 2);

  @TempDir Path temporary;
  private Path application;

  @BeforeEach
  void copySample() throws IOException, URISyntaxException {
    Path sample = Path.of(FunctionPointersTest.class.getResource("/pointers/flexc.yaml").toURI()).getParent();
    application = temporary.resolve("pointers");
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
  }

  private TransformReport transform(Map<String, Integer> split) throws IOException, InterruptedException {
    Outcome<Application> loaded = ApplicationLoader.load(application, TestBackends.CATALOG);
    assertTrue(loaded.succeeded(), () -> loaded.diagnostics().toString());
    Path output = Files.createDirectories(temporary.resolve("out"));
    return Transformer.transform(loaded.get(), split, new Transformer.Options(Placement.DSS, true, 2), output);
  }

  @Test
  void dump() throws Exception {
    TransformReport report = transform(SPLIT);
    report.gates().forEach(System.out::println);
    report.prunedGates().forEach(System.out::println);
    report.addressSites().forEach(System.out::println);
    report.notes().forEach(System.out::println);
  }
}
