package io.flexc.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexc.backends.IsolationBackends;
import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.model.Application;
import io.flexc.model.Outcome;
import io.flexc.model.SharedData;
import io.flexc.transformer.Directories;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.Transformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The source rewrite's time in a warm JVM (as in a build server, or the many rewrites of a design
 * space exploration), without the JVM's start-up that the command-line figure includes: warm-up
 * runs, then the best of the measured ones. Usage: {@code TransformBenchmark APP_DIR CONFIG.json
 * [RUNS]}, CONFIG as {@code {"compartments": [[...], ...]}}; prints milliseconds and site count.
 */
public final class TransformBenchmark {

  private static final int WARM_UP = 5;

  private TransformBenchmark() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 2) {
      System.err.println("usage: TransformBenchmark APP_DIR CONFIG.json [RUNS]");
      System.exit(2);
    }
    Outcome<Application> loaded = ApplicationLoader.load(Path.of(args[0]), IsolationBackends.catalog());
    if (!loaded.succeeded()) {
      loaded.diagnostics().forEach(d -> System.err.println(d.format()));
      System.exit(1);
    }
    Map<String, Integer> compartmentOf = compartments(Path.of(args[1]));
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    Transformer.Options options = new Transformer.Options(SharedData.Placement.DSS, false, 2);
    long best = Long.MAX_VALUE;
    int sites = 0;
    for (int run = 0; run < WARM_UP + runs; run++) {
      Path output = Files.createTempDirectory("flexc-transform-bench");
      try {
        long start = System.nanoTime();
        TransformReport report = Transformer.transform(loaded.get(), compartmentOf, options, output);
        long elapsed = System.nanoTime() - start;
        sites = report.sites().size();
        if (run >= WARM_UP) {
          best = Math.min(best, elapsed);
        }
      } finally {
        Directories.delete(output);
      }
    }
    System.out.printf(Locale.ROOT, "%.1f ms, %d sites%n", best / 1e6, sites);
  }

  /** {@code {"compartments": [["a", "b"], ["c"]]}}: library to compartment. */
  private static Map<String, Integer> compartments(Path file) throws IOException {
    Map<String, Integer> compartmentOf = new HashMap<>();
    int compartment = 0;
    for (JsonNode libraries : new ObjectMapper().readTree(file.toFile()).path("compartments")) {
      for (JsonNode library : libraries) {
        compartmentOf.put(library.asText(), compartment);
      }
      compartment++;
    }
    return compartmentOf;
  }
}
