package io.flexc.metadata.parse;

import io.flexc.model.BoundedDiagnostics;
import io.flexc.model.Diagnostic;
import io.flexc.model.DiagnosticKind;
import io.flexc.model.InputFiles;
import io.flexc.model.Outcome;
import io.flexc.model.SourcePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;

/**
 * Parses the text of a metadata file into sections of raw items.
 *
 * <p>Every lexical and syntax error becomes a {@code syntax} diagnostic with the exact position;
 * ANTLR's recovery lets one run report all of them (up to {@link BoundedDiagnostics#MAX_PER_FILE}).
 * The parser never throws on bad input and takes linear time, whatever the bytes.
 */
public final class SectionParser {

  private final String file;

  public SectionParser(String file) {
    this.file = file;
  }

  /** The sections of {@code text}, or the syntax errors that prevent reading them. */
  public Outcome<List<RawSection>> parse(String text) {
    BoundedDiagnostics diagnostics = new BoundedDiagnostics();
    SyntaxErrorCollector collector = new SyntaxErrorCollector(diagnostics);

    MetadataLexer lexer = new MetadataLexer(CharStreams.fromString(text, file));
    lexer.removeErrorListeners();
    lexer.addErrorListener(collector);
    List<Token> tokens = tokens(lexer, collector::unexpected);
    Optional<Token> tooDeep = firstTooDeep(tokens);
    if (tooDeep.isPresent()) {
      diagnostics.add(
          Diagnostic.of(
              DiagnosticKind.SYNTAX_ERROR,
              positionOf(tooDeep.get()),
              "tuples nested more than " + InputFiles.MAX_NESTING + " deep"));
      return Outcome.failure(diagnostics.toList());
    }
    MetadataParser parser = new MetadataParser(new CommonTokenStream(new ListTokenSource(tokens)));
    parser.removeErrorListeners();
    parser.addErrorListener(collector);

    MetadataParser.FileContext tree = parser.file();
    if (collector.count > 0) {
      return Outcome.failure(diagnostics.toList());
    }
    List<RawSection> sections = new ArrayList<>();
    for (MetadataParser.SectionContext section : tree.section()) {
      sections.add(toSection(section));
    }
    return Outcome.of(sections, List.of());
  }

  /**
   * Every token of {@code lexer}'s input, the end of file included, scoped targets merged; each
   * unexpected character goes to {@code unexpected} instead.
   */
  static List<Token> tokens(MetadataLexer lexer, Consumer<Token> unexpected) {
    List<Token> expected = new ArrayList<>();
    Token token;
    do {
      token = lexer.nextToken();
      if (token.getType() == MetadataLexer.UNEXPECTED) {
        unexpected.accept(token); // not kept: garbage costs no memory
      } else {
        expected.add(token);
      }
    } while (token.getType() != Token.EOF);
    return ScopedTokens.merge(expected);
  }

  /**
   * The first '(' nested deeper than {@link InputFiles#MAX_NESTING}, counting every unclosed one
   * (also across lines, whatever the parser's recovery would make of them): the parser descends
   * one Java call per level, so the depth is refused before parsing.
   */
  private static Optional<Token> firstTooDeep(List<Token> tokens) {
    int depth = 0;
    for (Token token : tokens) {
      if (token.getType() == MetadataLexer.LPAREN && ++depth > InputFiles.MAX_NESTING) {
        return Optional.of(token);
      }
      if (token.getType() == MetadataLexer.RPAREN && depth > 0) {
        depth--;
      }
    }
    return Optional.empty();
  }

  private RawSection toSection(MetadataParser.SectionContext context) {
    MetadataParser.SectionNameContext name =
        switch (context.header()) {
          case MetadataParser.BracketedHeaderContext bracketed -> bracketed.sectionName();
          case MetadataParser.BareHeaderContext bare -> bare.sectionName();
          default -> throw new AssertionError("grammar has two kinds of header");
        };
    String words = name.IDENT().stream().map(Object::toString).collect(Collectors.joining(" "));
    List<RawItem> items = new ArrayList<>();
    for (MetadataParser.ItemsContext line : context.items()) {
      for (MetadataParser.ItemContext item : line.item()) {
        items.add(toItem(item));
      }
    }
    return new RawSection(words, positionOf(context.start), items);
  }

  private RawItem toItem(MetadataParser.ItemContext context) {
    RawItem from = toAtom(context.atom(0));
    if (context.ARROW() == null) {
      return from;
    }
    return new RawItem.Rule(from, toAtom(context.atom(1)), textOf(context), from.position());
  }

  private RawItem toAtom(MetadataParser.AtomContext context) {
    SourcePosition position = positionOf(context.start);
    String text = textOf(context);
    return switch (context) {
      case MetadataParser.ScopedAtomContext scoped -> scoped(text, position);
      case MetadataParser.StarredAtomContext starred ->
          new RawItem.Starred(starred.IDENT().getText(), text, position);
      case MetadataParser.WordAtomContext word -> new RawItem.Word(text, position);
      case MetadataParser.TupleAtomContext tuple ->
          new RawItem.Tuple(tuple.item().stream().map(this::toItem).toList(), text, position);
      case MetadataParser.StringAtomContext string ->
          new RawItem.Quoted(text.substring(1, text.length() - 1), text, position);
      case MetadataParser.NumberAtomContext number -> new RawItem.Number(text, position);
      case MetadataParser.FlagAtomContext flag -> new RawItem.Flag(text, position);
      default -> throw new AssertionError("unknown atom " + context.getClass().getSimpleName());
    };
  }

  /** {@code library::symbol}, blanks around {@code ::} allowed; a side left out is the empty string. */
  private static RawItem.Scoped scoped(String text, SourcePosition position) {
    int scope = text.indexOf("::");
    return new RawItem.Scoped(
        text.substring(0, scope).strip(), text.substring(scope + 2).strip(), text, position);
  }

  private SourcePosition positionOf(Token token) {
    return new SourcePosition(file, token.getLine(), token.getCharPositionInLine() + 1);
  }

  /** The source text of a rule, blanks included (the token stream has dropped them). */
  private static String textOf(ParserRuleContext context) {
    int start = context.start.getStartIndex();
    int stop = context.stop.getStopIndex();
    return context.start.getInputStream().getText(Interval.of(start, stop));
  }

  /** Turns ANTLR's error callbacks into diagnostics in the flexc catalogue. */
  private final class SyntaxErrorCollector extends BaseErrorListener {
    private final BoundedDiagnostics diagnostics;
    private int count;

    SyntaxErrorCollector(BoundedDiagnostics diagnostics) {
      this.diagnostics = diagnostics;
    }

    @Override
    public void syntaxError(
        Recognizer<?, ?> recognizer,
        Object offendingSymbol,
        int line,
        int charPositionInLine,
        String message,
        RecognitionException exception) {
      count++;
      SourcePosition position = new SourcePosition(file, Math.max(line, 1), charPositionInLine + 1);
      if (diagnostics.isFull(file)) {
        diagnostics.omit(position); // a huge broken file has millions of errors: skip their messages
        return;
      }
      diagnostics.add(
          Diagnostic.of(DiagnosticKind.SYNTAX_ERROR, position, explain(offendingSymbol, message)));
    }

    /** A character no token starts with, or the opening '"' of a string its line does not close. */
    void unexpected(Token token) {
      count++;
      SourcePosition position = positionOf(token);
      if (diagnostics.isFull(file)) {
        diagnostics.omit(position);
        return;
      }
      String message = token.getText().equals("\"")
          ? "unterminated string; a string ends on its own line"
          : "unexpected character '" + token.getText() + "'";
      diagnostics.add(Diagnostic.of(DiagnosticKind.SYNTAX_ERROR, position, message));
    }

    private static String explain(Object offendingSymbol, String antlrMessage) {
      if (!(offendingSymbol instanceof Token token)) {
        // Only the lexer reports without a token: "token recognition error at: '@'".
        String character = antlrMessage.substring(antlrMessage.indexOf(':') + 1).trim();
        return "unexpected character " + character;
      }
      String found = describe(token);
      if (token.getType() == MetadataLexer.DEFINE) {
        return "unexpected '::=': a section header must start its own line";
      }
      if (antlrMessage.startsWith("missing ")) {
        String missing = antlrMessage.substring("missing ".length(), antlrMessage.indexOf(" at "));
        return "missing " + readable(missing) + " before " + found;
      }
      int expecting = antlrMessage.indexOf(" expecting ");
      if (expecting >= 0) {
        return "unexpected " + found + "; expected "
            + readable(antlrMessage.substring(expecting + " expecting ".length()));
      }
      return "unexpected " + found;
    }

    /** ANTLR's token names in words; a set {@code {a, b}} becomes {@code a or b}. */
    private static String readable(String tokens) {
      String words = tokens;
      if (words.startsWith("{") && words.endsWith("}")) {
        words = words.substring(1, words.length() - 1);
        int last = words.lastIndexOf(", ");
        if (last >= 0) {
          words = words.substring(0, last) + " or " + words.substring(last + 2);
        }
      }
      return words
          .replace("<EOF>", "end of file")
          .replace("NEWLINE", "end of line")
          .replace("IDENT", "a name")
          .replace("STRING", "a string")
          .replace("NUMBER", "a number")
          .replace("FLAG", "a flag")
          .replace("SCOPED", "a LIBRARY::SYMBOL target");
    }

    private static String describe(Token token) {
      return switch (token.getType()) {
        case Token.EOF -> "end of file";
        case MetadataLexer.NEWLINE -> "end of line";
        default -> "'" + token.getText() + "'";
      };
    }
  }
}
