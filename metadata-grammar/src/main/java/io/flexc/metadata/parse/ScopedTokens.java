package io.flexc.metadata.parse;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.misc.Pair;

/**
 * Merges the lexer's {@code IDENT? SCOPE (IDENT | STAR)?} into one {@code SCOPED} token, so that the
 * parser never has to guess whether {@code a::b, a::b} means two targets or {@code a::}, {@code b},
 * … (a guess ANTLR settles by looking ahead to the end of the line, at every target). A name
 * followed by {@code *} stays {@code X*}: {@code lib:: X*} is {@code lib::} then {@code X*}.
 */
final class ScopedTokens {

  private ScopedTokens() {}

  /** {@code tokens} with every scoped target as one token; one pass, linear time. */
  static List<Token> merge(List<Token> tokens) {
    List<Token> merged = new ArrayList<>(tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      if (token.getType() != MetadataLexer.SCOPE) {
        merged.add(token);
        continue;
      }
      Token first = token;
      if (!merged.isEmpty() && merged.getLast().getType() == MetadataLexer.IDENT) {
        first = merged.removeLast();
      }
      Token last = token;
      int next = i + 1 < tokens.size() ? tokens.get(i + 1).getType() : Token.EOF;
      int afterNext = i + 2 < tokens.size() ? tokens.get(i + 2).getType() : Token.EOF;
      if (next == MetadataLexer.STAR || (next == MetadataLexer.IDENT && afterNext != MetadataLexer.STAR)) {
        last = tokens.get(++i);
      }
      merged.add(scoped(first, last));
    }
    return merged;
  }

  private static Token scoped(Token first, Token last) {
    CommonToken scoped =
        new CommonToken(
            new Pair<>(first.getTokenSource(), first.getInputStream()),
            MetadataParser.SCOPED,
            Token.DEFAULT_CHANNEL,
            first.getStartIndex(),
            last.getStopIndex());
    scoped.setLine(first.getLine());
    scoped.setCharPositionInLine(first.getCharPositionInLine());
    scoped.setText(first.getInputStream().getText(Interval.of(first.getStartIndex(), last.getStopIndex())));
    return scoped;
  }
}
