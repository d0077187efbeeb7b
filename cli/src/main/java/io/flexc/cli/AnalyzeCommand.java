package io.flexc.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.backends.IsolationBackends;
import io.flexc.build.AtomicFile;
import io.flexc.build.Json;
import io.flexc.build.TextTable;
import io.flexc.build.TransformReportWriter;
import io.flexc.model.Application;
import io.flexc.model.GateSite;
import io.flexc.model.SharedData;
import io.flexc.transformer.ScratchDirectory;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.Transformer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code flexc analyze APP_DIR}: every cross-library reference, found in the sources and checked
 * against the compiled objects. It is the transform of the finest split (each library alone), so
 * what it reports is exactly what any configuration's rewrite builds on.
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Find every cross-library reference of an application, in its sources and its objects.",
      "Calls, address uses and data references, and where the sources and the compiled objects disagree (what the"
          + " source rewrite missed, which objcopy then redirects). Compiles every file twice (as given, and rewritten"
          + " with each library alone); writes nothing but the optional JSON file (an earlier one is replaced; an"
          + " input, a file in the application's directory and a directory are refused).",
      "Exit 0, 1 on invalid input or sources that do not compile, 2 on usage errors."
    })
final class AnalyzeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "APP_DIR", description = "The application directory (with flexc.yaml).")
  private Path application;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the full analysis as JSON.")
  private Path jsonFile;

  @Option(names = "--jobs", paramLabel = "N", description = "Compilers run at once (default: the number of cores).")
  private int jobs = Runtime.getRuntime().availableProcessors();

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ProblemOptions.requireApplicationDirectory(application, spec.commandLine());
    PrintWriter err = spec.commandLine().getErr();
    Optional<Application> loaded = Diagnostics.report(io.flexc.metadata.config.ApplicationLoader.load(application, IsolationBackends.catalog()), err);
    if (loaded.isEmpty()) {
      return Flexc.EXIT_INVALID_INPUT;
    }
    if (!OutputFile.mayWrite(List.of(new OutputFile.Named("--json", jsonFile)), loaded.get(), List.of(),
        Optional.empty(), err)) {
      return Flexc.EXIT_USAGE;
    }
    Map<String, Integer> eachAlone = new HashMap<>();
    List<String> libraries = loaded.get().libraryNames();
    for (int i = 0; i < libraries.size(); i++) {
      eachAlone.put(libraries.get(i), i);
    }
    TransformReport report;
    try (ScratchDirectory scratch = ScratchDirectory.createTemporary("flexc-analyze")) {
      report = Transformer.transform(loaded.get(), eachAlone,
          new Transformer.Options(SharedData.Placement.DSS, true, jobs), scratch.path());
    } catch (IOException e) {
      err.println("flexc: " + e.getMessage());
      return Flexc.EXIT_INVALID_INPUT;
    }
    PrintWriter out = spec.commandLine().getOut();
    printCrossLibrary(report, out);
    TransformReportWriter.summary(report, out);
    List<String> missed = report.objectCheck().map(TransformReport.ObjectCheck::missedFunctions).orElse(List.of());
    if (!missed.isEmpty()) {
      out.printf("functions the objects define but the sources do not show (%d):%n", missed.size());
      missed.stream().limit(20).forEach(function -> out.println("  " + function));
    }
    if (jsonFile != null) {
      ObjectNode json = TransformReportWriter.json(report, Optional.empty());
      AtomicFile.write(jsonFile, writer -> writer.write(Json.write(json) + "\n"));
    }
    out.flush();
    return 0;
  }

  private static void printCrossLibrary(TransformReport report, PrintWriter out) {
    Map<String, int[]> pairs = new TreeMap<>();
    for (GateSite site : report.sites()) {
      if (site.kind() == GateSite.Kind.CALLBACK) {
        continue;
      }
      int[] counts = pairs.computeIfAbsent(site.callerLibrary() + " -> " + site.calleeLibrary(), k -> new int[4]);
      if (site.level() == GateSite.Level.OBJECT) {
        counts[2] += site.count();
      } else if (site.kind() == GateSite.Kind.ADDRESS) {
        counts[1]++;
      } else {
        counts[0]++;
      }
    }
    TextTable table = new TextTable("CALLER -> CALLEE", "CALL SITES", "ADDRESS USES", "OBJECT-LEVEL ONLY");
    pairs.forEach((pair, counts) -> table.row(pair, Integer.toString(counts[0]), Integer.toString(counts[1]),
        Integer.toString(counts[2])));
    table.print(out);
    long globals = report.shared().stream().filter(SharedData.Global.class::isInstance).count();
    out.printf("globals referenced from another library: %d%n", globals);
  }
}
