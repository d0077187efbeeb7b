package io.flexc.transformer.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.model.Application;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstimatedCrossingsTest {

  @Test
  void kvstore() throws Exception {
    Application app = ApplicationLoader.load(Path.of("../examples/kvstore")).value().orElseThrow();
    List<EstimatedCrossings.Crossing> crossings = EstimatedCrossings.estimate(app, 2);
    crossings.forEach(System.out::println);
    Application seed = ApplicationLoader.load(Path.of("../examples/seed-scheduler")).value().orElseThrow();
    EstimatedCrossings.estimate(seed, 2).forEach(System.out::println);
    assertEquals(1, 1);
  }
}
