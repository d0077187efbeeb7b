package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.build.Counted;
import io.flexc.build.StepProgress;
import io.flexc.measure.MeasurementLog;
import io.flexc.measure.ThroughputPlot;
import io.flexc.model.Configuration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The measured exploration's table and plot axis, counts and the build's progress lines, on fixed inputs. */
class MeasuredOutputsTest {

  @TempDir Path temporary;

  @Test
  void everyRowOfTheTableHasOneShape() throws IOException {
    MeasurementLog log = new MeasurementLog(temporary.resolve("measurements.csv"));
    MeasurementLog.Measurement ok = new MeasurementLog.Measurement(1, "{app, net}", 1, 0, 0, 0, 0.124, "ok",
        OptionalDouble.of(20426), Map.of("SET", 20000.0, "GET", 20852.5), 3.25, 9);
    MeasurementLog.Measurement failed = new MeasurementLog.Measurement(2, "{app} {net}", 2, 0, 1, 0, 0.5,
        "run failed: the workload exited with status 3", OptionalDouble.empty(), Map.of(), 2, 0.75);
    log.append(ok);
    log.append(failed);
    assertEquals("""
        id,configuration,compartments,hardened_libraries,separated_pairs,hardening_safety,predicted_cost,status,\
        throughput,figures,build_seconds,run_seconds
        1,"{app, net}",1,0,0,0,0.124,"ok",20426.000,"GET=20852.500;SET=20000.000",3.250,9.000
        2,"{app} {net}",2,0,1,0,0.500,"run failed: the workload exited with status 3",,"",2.000,0.750
        """, Files.readString(log.file()));
    List<MeasurementLog.Measurement> read = log.read();
    assertEquals(List.of(ok, failed), read);
  }

  @Test
  void theAxisEndsAtTheFirstRoundTickAboveTheHighestBar() {
    assertEquals(new ThroughputPlot.Axis(5000, 5), ThroughputPlot.Axis.upTo(20426));
    assertEquals(new ThroughputPlot.Axis(10000, 5), ThroughputPlot.Axis.upTo(50000));
    assertEquals(new ThroughputPlot.Axis(2500, 5), ThroughputPlot.Axis.upTo(12000));
    assertEquals(new ThroughputPlot.Axis(0.2, 4), ThroughputPlot.Axis.upTo(0.7));
    assertEquals(new ThroughputPlot.Axis(2e-10, 1), ThroughputPlot.Axis.upTo(0));
  }

  @Test
  void theBarsFillThePlotAndTheAxisEndsAboveTheHighest() throws IOException {
    List<ThroughputPlot.Bar> bars = new ArrayList<>();
    for (int id = 1; id <= 7; id++) {
      Configuration split = new Configuration(Map.of("a", 0, "b", id > 3 ? 1 : 0, "c", id > 5 ? 2 : 0), Map.of());
      bars.add(new ThroughputPlot.Bar(id, split, 21426 - 1000 * id));
    }
    StringWriter svg = new StringWriter();
    ThroughputPlot.writeSvg(svg, bars, List.of("a", "b", "c"), 10000, "requests/s", "t");
    Matcher bar = Pattern.compile("<rect x=\"(\\d+)\" y=\"\\d+\" width=\"(\\d+)\" height=\"\\d+\" fill=\"#[0-9a-f]+\">"
        + "<title>#\\d+ [^<]*requests/s</title>").matcher(svg.toString());
    int left = Integer.MAX_VALUE;
    int right = 0;
    while (bar.find()) {
      left = Math.min(left, Integer.parseInt(bar.group(1)));
      right = Math.max(right, Integer.parseInt(bar.group(1)) + Integer.parseInt(bar.group(2)));
    }
    Matcher axis = Pattern.compile("<line x1=\"(\\d+)\" y1=\"(\\d+)\" x2=\"(\\d+)\" y2=\"\\2\" stroke=\"black\"/>")
        .matcher(svg.toString());
    int plot = 0;
    while (axis.find()) { // the last is the chart's base, after the compartment groups' rules
      plot = Integer.parseInt(axis.group(3)) - Integer.parseInt(axis.group(1));
    }
    assertTrue(right - left >= 0.9 * plot, "bars span " + (right - left) + " of " + plot + " px");
    assertTrue(svg.toString().contains(">25000</text>") && !svg.toString().contains(">30000</text>"), svg.toString());
  }

  @Test
  void oneIsSingular() {
    assertEquals("1 compartment, 3 compartments, 1 library, 0 libraries", String.join(", ",
        Counted.of(1, "compartment"), Counted.of(3, "compartment"), Counted.of(1, "library", "libraries"),
        Counted.of(0, "library", "libraries")));
  }

  @Test
  void aMessageEndsTheOpenStepLine() {
    StringWriter text = new StringWriter();
    StepProgress progress = new StepProgress(new PrintWriter(text), false);
    progress.step("checking the metadata");
    progress.messages().println("a.meta:1:1: error: no");
    progress.done();
    progress.step("solving");
    progress.done();
    assertEquals("flexc: checking the metadata ... \na.meta:1:1: error: no\nflexc: solving ... ",
        text.toString().replaceAll("\\d+\\.\\d s\n$", ""));
  }
}
