package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.measure.MeasuredExploration;
import io.flexc.measure.MeasuredReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * {@code flexc explore --measure} on examples/kvstore with redis-benchmark: the Pareto front of
 * the unhardened space is built and measured, the CSV, plot and coloured safety order agree with
 * it, an interrupted run resumes with only what is missing, and a different workload is refused on
 * the same output directory.
 */
@Tag("slow")
class MeasuredExplorationTest {

  private static final String KVSTORE = Path.of("..", "examples", "kvstore").toString();
  private static final String WORKLOAD = "redis-benchmark -p $KVSTORE_PORT -q -t get,set -n 2000";

  @TempDir Path temporary;

  private FlexcRun explore(Path output, String workload) {
    return FlexcRun.run("explore", KVSTORE, "--hardening", "none", "--measure", "--front", "--workload", workload,
        "-o", output.toString());
  }

  @Test
  void measuresTheFrontResumesAndKeepsOtherResultsApart() throws Exception {
    Path output = temporary.resolve("measured");
    FlexcRun first = explore(output, WORKLOAD);
    assertEquals(0, first.exit(), first::err);

    List<String> rows = Files.readAllLines(output.resolve(MeasuredExploration.CSV));
    assertEquals(4, rows.size(), () -> String.join("\n", rows));
    assertTrue(rows.get(0).startsWith("id,configuration,compartments,"), rows.get(0));
    Pattern row = Pattern.compile("^(\\d+),\"([^\"]+)\",(\\d),0,\\d+,0,\\d+\\.\\d{3},\"ok\",(\\d+\\.\\d{3}),"
        + "\"GET=\\d+\\.\\d{3};SET=\\d+\\.\\d{3}\",\\d+\\.\\d{3},\\d+\\.\\d{3}$");
    Set<Integer> measured = new TreeSet<>();
    for (String line : rows.subList(1, rows.size())) {
      Matcher matcher = row.matcher(line);
      assertTrue(matcher.matches(), line);
      assertTrue(Double.parseDouble(matcher.group(4)) > 0, line);
      measured.add(Integer.parseInt(matcher.group(1)));
    }
    // By calls estimated from the code, splitting net from app costs less than splitting resp.
    assertEquals(Set.of(1, 4, 6), measured, "the front of kvstore's unhardened space is #1, #4 and #6");

    Document plot = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(output.resolve(MeasuredReport.PLOT).toFile());
    NodeList titles = plot.getElementsByTagName("title");
    long bars = java.util.stream.IntStream.range(0, titles.getLength())
        .filter(i -> titles.item(i).getTextContent().endsWith("requests/s")).count();
    assertEquals(3, bars, "one bar per measured configuration");

    String dot = Files.readString(output.resolve(MeasuredReport.POSET_DOT));
    assertTrue(dot.contains("  c1 -> c4;\n") && dot.contains("  c4 -> c6;\n") && !dot.contains("c1 -> c6"),
        "each split refines the one before, and the diagram keeps only covers:\n" + dot);
    assertTrue(Files.size(output.resolve(MeasuredReport.POSET_SVG)) > 0, "Graphviz renders the order");
    assertTrue(first.out().contains("Safest at ") && first.out().contains("requests/s or more (50% of the fastest)"),
        first.out());
    Matcher pick = Pattern.compile("build #(\\d+): \\./flexc build (\\S+) --backend proc --config (\\S+)")
        .matcher(first.out());
    assertTrue(pick.find(), first.out());
    FlexcRun built = FlexcRun.run("build", pick.group(2), "--config", pick.group(3), "--quiet", "-o",
        temporary.resolve("pick").toString());
    assertEquals(0, built.exit(), built::err);
    assertTrue(Files.isExecutable(temporary.resolve("pick/bin/kvstore")));

    Files.write(output.resolve(MeasuredExploration.CSV), rows.subList(0, 3));
    FlexcRun resumed = explore(output, WORKLOAD);
    assertEquals(0, resumed.exit(), resumed::err);
    assertTrue(resumed.err().contains("resuming: 2 of 3 configurations were measured before"), resumed.err());
    assertEquals(1, resumed.err().lines().filter(line -> line.startsWith("flexc: [")).count(), resumed.err());
    List<String> after = Files.readAllLines(output.resolve(MeasuredExploration.CSV));
    assertEquals(rows.subList(0, 3), after.subList(0, 3), "rows measured before are kept as they were");
    assertEquals(4, after.size());

    FlexcRun other = explore(output, WORKLOAD.replace("2000", "3000"));
    assertEquals(Flexc.EXIT_INVALID_INPUT, other.exit());
    assertTrue(other.err().contains("holds measurements of another exploration (workload was '" + WORKLOAD + "', now '"
        + WORKLOAD.replace("2000", "3000") + "'); choose another --output or remove it"), other.err());
    assertEquals(after, Files.readAllLines(output.resolve(MeasuredExploration.CSV)), "nothing is mixed in");
  }

  @Test
  void aFailingWorkloadIsRecordedWithItsReason() throws IOException {
    Path output = temporary.resolve("failing");
    FlexcRun run = FlexcRun.run("explore", KVSTORE, "--hardening", "none", "--measure", "--front", "--backend", "fcall",
        "--workload", "echo no figures here; exit 3", "-o", output.toString());
    assertEquals(Flexc.EXIT_INVALID_INPUT, run.exit(), "no configuration could be measured");
    String csv = Files.readString(output.resolve(MeasuredExploration.CSV), StandardCharsets.UTF_8);
    assertTrue(csv.contains("run failed: the workload exited with status 3: no figures here"), csv);
    assertTrue(run.out().contains("failed:"), run.out());
  }

  @Test
  void aDirectoryThatIsNoMeasurementIsLeftAlone() throws IOException {
    Path output = Files.createDirectories(temporary.resolve("occupied"));
    Files.writeString(output.resolve("notes.txt"), "mine");
    FlexcRun run = explore(output, WORKLOAD);
    assertEquals(Flexc.EXIT_USAGE, run.exit());
    assertTrue(run.err().endsWith("flexc: will not write to " + output + ": it exists and flexc did not write it (it has"
        + " no .flexc-output); choose a directory that does not exist, or remove this one\n"), run.err());
    assertEquals(List.of(output.resolve("notes.txt")), Files.list(output).toList());
  }

  @Test
  void anApplicationWithoutAWorkloadSaysWhatIsMissing() {
    FlexcRun run = FlexcRun.run("explore", FlexcRun.EXAMPLE, "--measure", "--backend", "proc", "--hardening", "none",
        "-o", temporary.resolve("seed").toString());
    assertEquals(Flexc.EXIT_INVALID_INPUT, run.exit());
    assertTrue(run.err().contains("has no measure: key"), run.err());
  }
}
