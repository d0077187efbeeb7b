package io.flexc.transformer.source;

import io.flexc.transformer.source.CToken.Kind;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds function definitions and the uses of names in unpreprocessed C, without a grammar: it
 * follows braces and parentheses through every {@code #if} branch (each branch restarts from the
 * depth at its {@code #if}, and the first branch's depth carries on after {@code #endif}, so that
 * {@code #if A / if (x) { / #else / if (y) { / #endif} stays balanced), skips {@code #if 0}
 * regions, and never needs macros expanded. What it cannot see (calls made inside macro bodies)
 * the object-level pass catches.
 */
public final class CScanner {

  private static final Pattern DIRECTIVE =
      Pattern.compile("#\\s*(\\w+)\\s*(.*)", Pattern.DOTALL);
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//.*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
          "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
          "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
          "typedef", "union", "unsigned", "void", "volatile", "while", "_Bool", "_Complex",
          "_Alignas", "_Alignof", "_Atomic", "_Generic", "_Noreturn", "_Static_assert",
          "_Thread_local", "__inline", "__inline__", "__restrict", "__restrict__", "__const",
          "__volatile__", "__extension__", "__typeof__", "__typeof", "typeof", "__attribute__",
          "__attribute", "__asm__", "__asm", "asm", "__thread", "__signed__", "__alignof__");
  /** Words after which a name starts an expression, so {@code return f(x)} is a call. */
  private static final Set<String> EXPRESSION_WORDS =
      Set.of("return", "case", "else", "do", "sizeof", "goto", "__extension__", "typeof",
          "__typeof__", "_Alignof", "__alignof__");
  private static final Set<String> ATTRIBUTE_WORDS =
      Set.of("__attribute__", "__attribute", "__asm__", "__asm", "asm", "__declspec");
  private static final Set<String> TAG_WORDS = Set.of("struct", "union", "enum");

  private final Path path;
  private final String text;
  private final List<CToken> code = new ArrayList<>();
  /** Brace and parenthesis depth before each code token, after the {@code #if} corrections. */
  private final List<int[]> depthBefore = new ArrayList<>();

  private CScanner(Path path, String text) {
    this.path = path;
    this.text = text;
  }

  public static CFile scan(Path path, String text) {
    CScanner scanner = new CScanner(path, text);
    scanner.readCode();
    return scanner.analyse();
  }

  /** One open {@code #if}: the depths it started with, the first live branch's result, liveness. */
  private static final class Conditional {
    final int braces;
    final int parens;
    final boolean parentDead;
    int[] afterFirstLiveBranch;
    boolean dead;
    /** A branch known to be compiled ({@code #if 1}) was seen: every later branch is dead. */
    boolean taken;

    Conditional(int braces, int parens, boolean parentDead) {
      this.braces = braces;
      this.parens = parens;
      this.parentDead = parentDead;
    }
  }

  private void readCode() {
    Deque<Conditional> open = new ArrayDeque<>();
    int braces = 0;
    int parens = 0;
    for (CToken token : CLexer.tokenize(text)) {
      boolean dead = !open.isEmpty() && open.peek().dead;
      if (token.kind() == Kind.DIRECTIVE) {
        Matcher directive = DIRECTIVE.matcher(token.text());
        if (!directive.matches()) {
          continue;
        }
        String word = directive.group(1);
        String condition = COMMENT.matcher(directive.group(2)).replaceAll("").strip();
        switch (word) {
          case "if", "ifdef", "ifndef" -> {
            Conditional conditional = new Conditional(braces, parens, dead);
            conditional.dead = dead || (word.equals("if") && condition.equals("0"));
            conditional.taken = word.equals("if") && condition.equals("1");
            open.push(conditional);
          }
          case "elif", "else" -> {
            Conditional conditional = open.peek();
            if (conditional != null) {
              if (conditional.afterFirstLiveBranch == null && !conditional.dead) {
                conditional.afterFirstLiveBranch = new int[] {braces, parens};
              }
              braces = conditional.braces;
              parens = conditional.parens;
              conditional.dead = conditional.parentDead || conditional.taken;
            }
          }
          case "endif" -> {
            Conditional conditional = open.poll();
            if (conditional != null && conditional.afterFirstLiveBranch != null) {
              braces = conditional.afterFirstLiveBranch[0];
              parens = conditional.afterFirstLiveBranch[1];
            }
          }
          default -> {}
        }
        continue;
      }
      if (dead || token.kind() == Kind.COMMENT) {
        continue;
      }
      code.add(token);
      depthBefore.add(new int[] {braces, parens});
      if (token.kind() == Kind.PUNCTUATOR) {
        switch (token.text()) {
          case "{" -> braces++;
          case "}" -> braces = Math.max(0, braces - 1);
          case "(" -> parens++;
          case ")" -> parens = Math.max(0, parens - 1);
          default -> {}
        }
      }
    }
  }

  private int braces(int index) {
    return depthBefore.get(index)[0];
  }

  private int parens(int index) {
    return depthBefore.get(index)[1];
  }

  private boolean isPunctuator(int index, String punctuator) {
    return index >= 0 && index < code.size() && code.get(index).kind() == Kind.PUNCTUATOR
        && code.get(index).text().equals(punctuator);
  }

  /** The brace at {@code open} starts the body of a struct, union or enum. */
  private boolean isTypeBody(int open) {
    int tag = isName(open - 1) ? open - 2 : open - 1;
    return tag >= 0 && TAG_WORDS.contains(code.get(tag).text());
  }

  private boolean isName(int index) {
    return index >= 0 && index < code.size() && code.get(index).kind() == Kind.IDENTIFIER
        && !KEYWORDS.contains(code.get(index).text());
  }

  /** The index of the token closing the bracket opened at {@code open} (the last token if none). */
  private int closing(int open, String close) {
    boolean brace = close.equals("}");
    int depth = brace ? braces(open) : parens(open);
    for (int i = open + 1; i < code.size(); i++) {
      if (isPunctuator(i, close) && (brace ? braces(i) : parens(i)) == depth + 1) {
        return i;
      }
    }
    return code.size() - 1;
  }

  /** The index of the {@code (} that {@code close} closes, or -1. */
  private int opening(int close) {
    int depth = parens(close) - 1;
    for (int i = close - 1; i >= 0; i--) {
      if (isPunctuator(i, "(") && parens(i) == depth) {
        return i;
      }
      if (braces(i) != braces(close)) {
        return -1;
      }
    }
    return -1;
  }

  private CFile analyse() {
    List<FunctionDefinition> functions = new ArrayList<>();
    List<Reference> references = new ArrayList<>();
    Map<String, Set<String>> localNames = new HashMap<>();
    int itemStart = 0;
    boolean initializer = false;
    // A struct, union or enum body does not end its item: "static const struct op {...} ops[] = {...};" is one.
    int typeBodyClose = -1;
    int i = 0;
    while (i < code.size()) {
      CToken token = code.get(i);
      boolean topLevel = braces(i) == 0;
      if (topLevel && parens(i) == 0 && i > 0
          && (isPunctuator(i - 1, ";") || (isPunctuator(i - 1, "}") && braces(i - 1) == 1 && i - 1 != typeBodyClose))) {
        itemStart = i;
        initializer = false;
      }
      if (topLevel && isPunctuator(i, "{")) {
        int close = closing(i, "}");
        Optional<FunctionDefinition> function = functionAt(itemStart, i, close);
        if (function.isPresent()) {
          FunctionDefinition definition = function.get();
          functions.add(definition);
          functions.addAll(alternatives(itemStart, definition, i, close));
          Set<String> locals = localNames.computeIfAbsent(definition.name(), name -> new HashSet<>());
          collectLocals(definition.parametersOpen() + 1, definition.parametersClose(), locals);
          collectLocals(i + 1, close, locals);
          collectReferences(i + 1, close, code.get(itemStart).offset(),
              Optional.of(definition.name()), references);
          i = close + 1;
          if (i < code.size()) {
            itemStart = i;
            initializer = false;
          }
          continue;
        }
        if (initializer) {
          collectReferences(i + 1, close, code.get(itemStart).offset(), Optional.empty(), references);
        } else if (isTypeBody(i)) {
          typeBodyClose = close;
        }
        i = close + 1;
        continue;
      }
      if (topLevel && parens(i) == 0 && isPunctuator(i, "=")) {
        initializer = true;
      } else if (topLevel && initializer && isName(i) && !isPunctuator(i + 1, "(")
          && !isMember(i)) {
        references.add(new Reference(token.text(), i, Reference.Use.ADDRESS,
            code.get(itemStart).offset(), Optional.empty()));
      }
      i++;
    }
    return new CFile(path, text, code, functions, references, localNames);
  }

  private boolean isMember(int index) {
    return isPunctuator(index - 1, ".") || isPunctuator(index - 1, "->")
        || (index > 0 && TAG_WORDS.contains(code.get(index - 1).text()));
  }

  /**
   * The other names one body defines when {@code #if} branches each give a declarator, as in
   * {@code #if !CHECK / memp_malloc(memp_t t) / #else / memp_malloc_fn(memp_t t, ...) / #endif}:
   * both branches are read, so the declarators stand one after the other before the body.
   */
  private List<FunctionDefinition> alternatives(
      int itemStart, FunctionDefinition last, int bodyOpen, int bodyClose) {
    List<FunctionDefinition> alternatives = new ArrayList<>();
    int close = code.indexOf(last.nameToken()) - 1;
    while (close > itemStart && isPunctuator(close, ")")) {
      int open = opening(close);
      if (open <= itemStart || !isName(open - 1) || ATTRIBUTE_WORDS.contains(code.get(open - 1).text())) {
        break;
      }
      alternatives.add(definition(itemStart, open - 1, open, close, bodyOpen, bodyClose));
      close = open - 2;
    }
    return alternatives;
  }

  /** The function whose body is {@code [open, close]}, if that block is a function body. */
  private Optional<FunctionDefinition> functionAt(int itemStart, int open, int close) {
    int i = open - 1;
    while (i >= itemStart) {
      CToken token = code.get(i);
      if (isPunctuator(i, ")")) {
        int parametersOpen = opening(i);
        if (parametersOpen <= itemStart) {
          return Optional.empty();
        }
        CToken before = code.get(parametersOpen - 1);
        if (before.kind() == Kind.IDENTIFIER && ATTRIBUTE_WORDS.contains(before.text())) {
          i = parametersOpen - 2;
          continue;
        }
        int name = parametersOpen - 1;
        if (isPunctuator(name, ")") && isName(name - 1) && isPunctuator(name - 2, "(")) {
          name--; // int (luaL_loadstring) (lua_State *L, ...): a name in parentheses, safe from macros
        }
        if (!isName(name)) {
          return Optional.empty();
        }
        return Optional.of(definition(itemStart, name, parametersOpen, i, open, close));
      }
      if (token.kind() != Kind.IDENTIFIER || TAG_WORDS.contains(token.text())) {
        return Optional.empty();
      }
      i--;
    }
    return Optional.empty();
  }

  private FunctionDefinition definition(
      int itemStart, int name, int parametersOpen, int parametersClose, int bodyOpen, int bodyClose) {
    boolean isStatic = false;
    for (int k = itemStart; k < name; k++) {
      isStatic |= code.get(k).is("static");
    }
    boolean variadic = false;
    for (int k = parametersOpen + 1; k < parametersClose; k++) {
      variadic |= isPunctuator(k, "...");
    }
    return new FunctionDefinition(
        code.get(name).text(), code.get(name), code.get(itemStart).offset(), parametersOpen,
        parametersClose, bodyOpen, bodyClose, isStatic, spelled(itemStart, name),
        spelled(parametersOpen + 1, parametersClose), variadic);
  }

  /** Code tokens {@code [from, to)} as one line of text: how a prototype is shown and generated. */
  private String spelled(int from, int to) {
    StringBuilder builder = new StringBuilder();
    for (int k = from; k < to; k++) {
      String word = code.get(k).text();
      if (!builder.isEmpty() && !glued(builder.charAt(builder.length() - 1), word)) {
        builder.append(' ');
      }
      builder.append(word);
    }
    return builder.toString();
  }

  private static boolean glued(char last, String word) {
    return word.equals(",") || word.equals(")") || word.equals("[") || word.equals("]")
        || last == '(' || last == '[' || last == '*'
        || (word.equals("(") && (last == ')' || Character.isJavaIdentifierPart(last)));
  }

  /**
   * Names a function declares: parameters ({@code int a, char *b[]}) and locals ({@code int x;},
   * {@code char *p = ...}, {@code void (*f)(int)}): a name right after a type word or {@code *} and
   * before {@code = ; , [ )}, or a function pointer's declarator.
   */
  private void collectLocals(int from, int to, Set<String> locals) {
    for (int k = from; k < to; k++) {
      if (!isName(k)) {
        continue;
      }
      boolean afterType =
          (k > 0 && code.get(k - 1).kind() == Kind.IDENTIFIER
              && !EXPRESSION_WORDS.contains(code.get(k - 1).text()))
          || (isPunctuator(k - 1, "*") && (isTypeEnd(k - 2) || isPunctuator(k - 2, ",")));
      boolean beforeEnd = isPunctuator(k + 1, "=") || isPunctuator(k + 1, ";")
          || isPunctuator(k + 1, ",") || isPunctuator(k + 1, "[") || isPunctuator(k + 1, ")");
      if ((afterType && beforeEnd) || isFunctionPointerDeclarator(k)) {
        locals.add(code.get(k).text());
      }
    }
  }

  /**
   * {@code long (*callback)(const int *, int)} or {@code void (*done[2])(void)}: a pointer to a
   * function (or an array of them), declared after a type.
   */
  private boolean isFunctionPointerDeclarator(int k) {
    if (!(isPunctuator(k - 1, "*") && isPunctuator(k - 2, "(") && isTypeEnd(k - 3))) {
      return false;
    }
    int after = k + 1;
    while (isPunctuator(after, "[")) {
      after = closingBracket(after) + 1;
    }
    return isPunctuator(after, ")") && (isPunctuator(after + 1, "(") || isPunctuator(after + 1, "["));
  }

  /** The index of the {@code ]} closing the {@code [} at {@code open}, or the last token. */
  private int closingBracket(int open) {
    int depth = 0;
    for (int i = open; i < code.size(); i++) {
      if (isPunctuator(i, "[")) {
        depth++;
      } else if (isPunctuator(i, "]") && --depth == 0) {
        return i;
      }
    }
    return code.size() - 1;
  }

  private boolean isTypeEnd(int index) {
    return isPunctuator(index, "*")
        || (index >= 0 && code.get(index).kind() == Kind.IDENTIFIER
            && !EXPRESSION_WORDS.contains(code.get(index).text()));
  }

  private void collectReferences(
      int from, int to, int itemStart, Optional<String> function, List<Reference> references) {
    for (int k = from; k < to; k++) {
      if (!isName(k) || isMember(k)) {
        continue;
      }
      CToken previous = code.get(k - 1);
      boolean declaration = previous.kind() == Kind.IDENTIFIER
          && !EXPRESSION_WORDS.contains(previous.text());
      if (declaration) {
        continue;
      }
      if (isPunctuator(k + 1, ":") && (isPunctuator(k - 1, ";") || isPunctuator(k - 1, "{")
          || isPunctuator(k - 1, "}"))) {
        continue;
      }
      Reference.Use use = isPunctuator(k + 1, "(") ? Reference.Use.CALL : Reference.Use.ADDRESS;
      references.add(new Reference(code.get(k).text(), k, use, itemStart, function));
    }
  }
}
