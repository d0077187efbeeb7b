package io.flexc.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.Configuration;
import io.flexc.model.SourcePosition;
import io.flexc.model.Trust;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Safety scores: a separated pair that flexc.yaml's trust opens counts as less isolated than one it does not. */
class SafetyTest {

  private static final HardeningSpace NO_HARDENING = new HardeningSpace(Map.of(), List.of());
  private static final List<Trust> A_READABLE_BY_B =
      List.of(new Trust("a", "b", Trust.Access.READ, new SourcePosition("flexc.yaml", 2, 18)));

  private static Safety of(int a, int b, int c) {
    Map<String, Integer> compartments = new LinkedHashMap<>();
    compartments.put("a", a);
    compartments.put("b", b);
    compartments.put("c", c);
    return Safety.of(Configuration.numberedInOrder(compartments, Map.of()), NO_HARDENING, A_READABLE_BY_B);
  }

  @Test
  void aTrustedPairIsLessIsolatedThanAnUntrustedOneButMoreThanATogetherOne() {
    Safety trustedApart = of(0, 1, 1);
    Safety untrustedApart = of(0, 0, 1);
    Safety allApart = of(0, 1, 2);
    assertEquals(new Safety(2, 1, 0), trustedApart);
    assertEquals(new Safety(2, 0, 0), untrustedApart);
    assertEquals(new Safety(3, 1, 0), allApart);
    assertTrue(untrustedApart.compareTo(trustedApart) > 0);
    assertTrue(allApart.compareTo(untrustedApart) > 0);
  }
}
