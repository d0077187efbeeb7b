package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.measure.MeasuredPoset;
import io.flexc.measure.MeasuredReport;
import io.flexc.model.Configuration;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The measured safety order and its throughput budget, on three configurations of two libraries. */
class MeasuredPosetTest {

  private static final Configuration SHARED = configuration(0, 0, Map.of());
  private static final Configuration SPLIT = configuration(0, 1, Map.of());
  private static final Configuration SPLIT_HARDENED = configuration(0, 1, Map.of("a", Set.of("sp")));
  private static final Configuration SHARED_HARDENED = configuration(0, 0, Map.of("b", Set.of("sp")));

  /** Libraries a and b, in that order, in compartments {@code a} and {@code b}. */
  private static Configuration configuration(int a, int b, Map<String, Set<String>> hardening) {
    Map<String, Integer> compartments = new LinkedHashMap<>();
    compartments.put("a", a);
    compartments.put("b", b);
    return new Configuration(compartments, hardening);
  }

  private final MeasuredPoset poset = new MeasuredPoset(List.of(
      new MeasuredPoset.Node(0, SHARED, 100),
      new MeasuredPoset.Node(1, SPLIT, 60),
      new MeasuredPoset.Node(2, SPLIT_HARDENED, 30),
      new MeasuredPoset.Node(3, SHARED_HARDENED, Double.NaN)));

  @Test
  void theOrderIsRefinementAndMoreHardening() {
    assertTrue(SPLIT_HARDENED.atLeastAsSafeAs(SHARED));
    assertTrue(SPLIT.atLeastAsSafeAs(SPLIT));
    assertTrue(!SHARED.atLeastAsSafeAs(SPLIT));
    assertTrue(!SPLIT_HARDENED.atLeastAsSafeAs(SHARED_HARDENED), "b is hardened in one only");
    List<String> covers = poset.covers().stream().map(c -> c[0] + "->" + c[1]).sorted().toList();
    assertEquals(List.of("0->1", "0->3", "1->2"), covers);
  }

  @Test
  void theSafestMeetingABudgetAreMaximalAmongThoseMeetingIt() {
    assertEquals(List.of(0), ids(poset.safestMeeting(80)));
    assertEquals(List.of(1), ids(poset.safestMeeting(50)));
    assertEquals(List.of(2), ids(poset.safestMeeting(20)));
    assertEquals(List.of(), ids(poset.safestMeeting(200)));
  }

  @Test
  void theDiagramMarksThePicksAndTheFailed() throws Exception {
    StringWriter dot = new StringWriter();
    poset.writeDot(dot, 50, "ops/s", "demo");
    String text = dot.toString();
    assertTrue(text.contains("c1 [label=\"#1 {a} {b}\\n60 ops/s\", fillcolor=\"0.143 0.55 0.95\", peripheries=2"), text);
    assertTrue(text.contains("c3 [label=\"#3 {a, b+sp}\\nfailed\", fillcolor=\"#cccccc\"]"), text);
    assertTrue(text.contains("c0 [label=\"#0 {a, b}\\n100 ops/s\", fillcolor=\"0.333 0.55 0.95\"]"), text);
  }

  @Test
  void budgetsAreFiguresOrShares() {
    assertEquals(500, MeasuredReport.Budget.parse("500").against(1000));
    assertEquals(250, MeasuredReport.Budget.parse("25%").against(1000));
    assertThrows(IllegalArgumentException.class, () -> MeasuredReport.Budget.parse("fast"));
    assertThrows(IllegalArgumentException.class, () -> MeasuredReport.Budget.parse("-3"));
  }

  private static List<Integer> ids(List<MeasuredPoset.Node> nodes) {
    return nodes.stream().map(MeasuredPoset.Node::id).toList();
  }
}
