package io.flexc.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Positions print as compilers print them and sort by file, line, then column. */
class SourcePositionTest {

  @Test
  void formatsAsFileLineColumn() {
    SourcePosition position = new SourcePosition("meta/sched.meta", 3, 12);
    assertEquals("meta/sched.meta:3:12", position.format());
    assertEquals("meta/sched.meta:3:12", position.toString());
    assertEquals("3:12", position.lineAndColumn());
    assertEquals(new SourcePosition("x.meta", 1, 1), SourcePosition.startOf("x.meta"));
  }

  @Test
  void linesAndColumnsAreOneBased() {
    assertThrows(IllegalArgumentException.class, () -> new SourcePosition("x", 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new SourcePosition("x", 1, 0));
    assertThrows(NullPointerException.class, () -> new SourcePosition(null, 1, 1));
  }

  @Test
  void sortsByFileThenLineThenColumn() {
    List<SourcePosition> positions = new ArrayList<>(List.of(
        new SourcePosition("b", 1, 1),
        new SourcePosition("a", 2, 1),
        new SourcePosition("a", 1, 9),
        new SourcePosition("a", 1, 2)));
    positions.sort(null);
    assertEquals(List.of("a:1:2", "a:1:9", "a:2:1", "b:1:1"),
        positions.stream().map(SourcePosition::format).toList());
  }
}
