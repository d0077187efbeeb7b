package io.flexc.metadata.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.SourcePosition;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.atn.DecisionInfo;
import org.junit.jupiter.api.Test;

/** The grammar classifies items by shape only and keeps their text and position. */
class SectionParserTest {

  private static List<RawSection> parse(String text) {
    return new SectionParser("p.meta").parse(text).get();
  }

  private static SourcePosition at(int line, int column) {
    return new SourcePosition("p.meta", line, column);
  }

  @Test
  void headersInBothNotations() {
    List<RawSection> sections = parse("[Memory  Access] ::= R\n\nLink Flags::=-x\n");
    assertEquals(List.of("Memory Access", "Link Flags"), sections.stream().map(RawSection::name).toList());
    assertEquals(List.of(at(1, 1), at(3, 1)), sections.stream().map(RawSection::position).toList());
  }

  @Test
  void itemsByShape() {
    List<RawItem> items = parse("[S] ::= word, lib::sym lib::* ::sym lib:: X* \"q, r\" 25 -fx=1 WA -> W (a, (b))\n")
        .get(0).items();
    assertEquals(List.of(
            new RawItem.Word("word", at(1, 9)),
            new RawItem.Scoped("lib", "sym", "lib::sym", at(1, 15)),
            new RawItem.Scoped("lib", "*", "lib::*", at(1, 24)),
            new RawItem.Scoped("", "sym", "::sym", at(1, 31)),
            new RawItem.Scoped("lib", "", "lib::", at(1, 37)),
            new RawItem.Starred("X", "X*", at(1, 43)),
            new RawItem.Quoted("q, r", "\"q, r\"", at(1, 46)),
            new RawItem.Number("25", at(1, 53)),
            new RawItem.Flag("-fx=1", at(1, 56))),
        items.subList(0, 9));
    RawItem.Rule rule = assertInstanceOf(RawItem.Rule.class, items.get(9));
    assertEquals("WA -> W", rule.text());
    assertEquals(new RawItem.Word("W", at(1, 68)), rule.to());
    RawItem.Tuple tuple = assertInstanceOf(RawItem.Tuple.class, items.get(10));
    assertEquals("(a, (b))", tuple.text());
    assertInstanceOf(RawItem.Tuple.class, tuple.elements().get(1));
  }

  @Test
  void continuationsAndCommentsDisappear() {
    List<RawItem> items = parse("[S] ::= a \\\n  b # c d\n  // e\n  f\n").get(0).items();
    assertEquals(List.of("a", "b", "f"), items.stream().map(RawItem::text).toList());
    assertEquals(at(2, 3), items.get(1).position());
  }
  /**
   * Every parsing decision looks at most a few tokens ahead, however long the line: the grammar
   * has no ambiguity that makes ANTLR scan to the end of a line at each item (which made a [Call]
   * of n targets take time quadratic in n).
   */
  @Test
  void decisionsLookAheadAFewTokensOnly() {
    String text = "[Call] ::= " + "a::b, a :: b, a::*, ".repeat(3000) + "X*\n[API] ::= " + "(f, SYMB) ".repeat(3000)
        + "\nMemory Access ::= R W\n";
    MetadataParser parser = new MetadataParser(new CommonTokenStream(
        new ListTokenSource(SectionParser.tokens(new MetadataLexer(CharStreams.fromString(text)), token -> {}))));
    parser.setProfile(true);
    parser.file();
    assertEquals(0, parser.getNumberOfSyntaxErrors());
    for (DecisionInfo decision : parser.getParseInfo().getDecisionInfo()) {
      assertTrue(decision.SLL_MaxLook <= 4 && decision.LL_MaxLook <= 4,
          "decision " + decision.decision + " looked " + decision.SLL_MaxLook + " tokens ahead");
    }
  }
}
