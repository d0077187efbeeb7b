package io.flexc.measure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.build.AtomicFile;
import io.flexc.build.Counted;
import io.flexc.build.Json;
import io.flexc.build.TextTable;
import io.flexc.model.Configuration;
import io.flexc.solver.DesignSpace;
import io.flexc.solver.PlacementProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a measured exploration shows: the throughput plot ({@code throughput.svg}), the measured
 * safety order coloured by throughput ({@code poset.dot}, rendered to {@code poset.svg} when
 * Graphviz is installed) and a summary ({@code summary.txt}, also printed) with the fastest
 * configurations and the safest ones that meet the throughput budget, each of which is also
 * written as a configuration to build ({@code picks/ID.json}).
 */
public final class MeasuredReport {

  public static final String PLOT = "throughput.svg";
  public static final String POSET_DOT = "poset.dot";
  public static final String POSET_SVG = "poset.svg";
  public static final String SUMMARY = "summary.txt";
  /** The budget's picks, each as a configuration flexc build --config takes. */
  public static final String PICKS = "picks";

  private static final int SHOWN = 10;

  /** A throughput budget: an absolute figure, or a share of the fastest measured configuration. */
  public record Budget(double value, boolean share) {
    public static Budget parse(String text) {
      String trimmed = text.strip();
      boolean share = trimmed.endsWith("%");
      double value = Double.parseDouble(share ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
      if (value < 0 || Double.isNaN(value)) {
        throw new IllegalArgumentException("a budget is not negative: " + text);
      }
      return new Budget(share ? value / 100 : value, share);
    }

    public double against(double fastest) {
      return share ? value * fastest : value;
    }
  }

  private MeasuredReport() {}

  public static void write(PlacementProblem problem, DesignSpace space, List<MeasurementLog.Measurement> measurements,
      Budget budget, String unit, Path output, PrintWriter out) throws IOException, InterruptedException {
    Map<Integer, Configuration> configurations = space.points().stream()
        .collect(Collectors.toMap(point -> point.id(), point -> point.configuration()));
    double fastest = measurements.stream().filter(MeasurementLog.Measurement::succeeded)
        .mapToDouble(m -> m.throughput().getAsDouble()).max().orElse(0);
    double threshold = budget.against(fastest);
    String title = problem.application().name() + " on " + problem.backend().label() + ": "
        + Counted.of(measurements.size(), "configuration") + " measured";

    List<ThroughputPlot.Bar> bars = measurements.stream()
        .map(m -> new ThroughputPlot.Bar(m.id(), configurations.get(m.id()), throughput(m))).toList();
    AtomicFile.write(output.resolve(PLOT),
        writer -> ThroughputPlot.writeSvg(writer, bars, problem.libraries(), threshold, unit, title));
    MeasuredPoset poset = new MeasuredPoset(measurements.stream()
        .map(m -> new MeasuredPoset.Node(m.id(), configurations.get(m.id()), throughput(m))).toList());
    AtomicFile.write(output.resolve(POSET_DOT), writer -> poset.writeDot(writer, threshold, unit, title));
    String rendered = render(output.resolve(POSET_DOT), output.resolve(POSET_SVG));

    Map<Integer, MeasurementLog.Measurement> byId =
        measurements.stream().collect(Collectors.toMap(MeasurementLog.Measurement::id, Function.identity()));
    StringBuilder summary = new StringBuilder();
    summary.append(title).append('\n');
    List<MeasurementLog.Measurement> failed = measurements.stream().filter(m -> !m.succeeded()).toList();
    if (!failed.isEmpty()) {
      summary.append(failed.size()).append(" failed:\n");
      failed.forEach(m -> summary.append("  #").append(m.id()).append(' ').append(m.configuration()).append(": ")
          .append(m.status()).append('\n'));
    }
    summary.append("Fastest:\n");
    summary.append(table(measurements.stream().filter(MeasurementLog.Measurement::succeeded)
        .sorted(Comparator.comparingDouble((MeasurementLog.Measurement m) -> m.throughput().getAsDouble()).reversed())
        .limit(SHOWN).toList(), unit));
    summary.append(String.format("Safest at %.0f %s or more (%s):%n", threshold, unit,
        budget.share() ? String.format("%.0f%% of the fastest", budget.value() * 100) : "the budget"));
    List<MeasuredPoset.Node> picks = poset.safestMeeting(threshold);
    summary.append(table(picks.stream().map(node -> byId.get(node.id())).toList(), unit));
    for (MeasuredPoset.Node pick : picks) {
      summary.append("build #").append(pick.id()).append(": ./flexc build ").append(problem.application().spec().directory())
          .append(" --backend ").append(problem.backend().label()).append(" --config ").append(writePick(pick, output))
          .append('\n');
    }
    summary.append("plot:   ").append(output.resolve(PLOT)).append('\n');
    summary.append("poset:  ").append(rendered).append('\n');
    summary.append("table:  ").append(output.resolve(MeasuredExploration.CSV)).append('\n');
    AtomicFile.write(output.resolve(SUMMARY), writer -> writer.write(summary.toString()));
    out.print(summary);
  }

  /** {@code picks/ID.json}: the pick as a configuration flexc build --config takes; returns the file. */
  private static Path writePick(MeasuredPoset.Node pick, Path output) throws IOException {
    Path file = output.resolve(PICKS).resolve(pick.id() + ".json");
    ObjectNode json = Json.MAPPER.createObjectNode();
    Json.putConfiguration(json, pick.configuration());
    AtomicFile.write(file, writer -> writer.write(Json.write(json) + "\n"));
    return file;
  }

  private static double throughput(MeasurementLog.Measurement measurement) {
    return measurement.throughput().orElse(Double.NaN);
  }

  private static String table(List<MeasurementLog.Measurement> rows, String unit) {
    TextTable table = new TextTable("ID", unit.toUpperCase(), "COMPARTMENTS", "HARDENED", "CONFIGURATION");
    for (MeasurementLog.Measurement m : rows) {
      table.row(Integer.toString(m.id()), String.format("%.0f", m.throughput().getAsDouble()),
          Integer.toString(m.compartments()), Integer.toString(m.hardenedLibraries()), m.configuration());
    }
    StringWriter text = new StringWriter();
    PrintWriter writer = new PrintWriter(text);
    table.print(writer);
    writer.flush();
    return text.toString();
  }

  /** Renders the DOT file with Graphviz; says what to do when it is not installed. */
  private static String render(Path dot, Path svg) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("dot", "-Tsvg", "-o", svg.toString(), dot.toString())
          .redirectErrorStream(true).start();
    } catch (IOException noGraphviz) {
      return dot + " (install graphviz to render it: dot -Tsvg " + dot + ")";
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      Files.deleteIfExists(svg);
      return dot + " (Graphviz could not render it: " + output.strip() + ")";
    }
    return svg + " (from " + dot + ")";
  }
}
