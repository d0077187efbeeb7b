package io.flexc.transformer;

import io.flexc.model.SharedData.Placement;
import io.flexc.model.SharedData;
import io.flexc.transformer.source.CToken;
import io.flexc.transformer.source.FunctionDefinition;
import io.flexc.transformer.source.Reference;
import java.util.Set;

/**
 * Rule: a local whose address crosses a gate moves to the shared stack (DSS) or heap: {@code T x =
 * v;} becomes {@code T (*flexc_shared_x) __attribute__((cleanup(release))) = alloc(sizeof ...);
 * *flexc_shared_x = v;} and every later {@code x} becomes {@code (*flexc_shared_x)}, so the
 * storage is released on every way out of the block. A static local is listed as shared data
 * instead; what cannot be moved (a parameter, a declaration of several variables, an initialised
 * array) gets a note saying how to make it movable.
 */
final class SharedLocalRule {

  private final FileRewrite rewrite;

  SharedLocalRule(FileRewrite rewrite) {
    this.rewrite = rewrite;
  }

  /** What a use of a moved local becomes: the object its shared pointer points to. */
  static String sharedUse(String name) {
    return "(*flexc_shared_" + name + ")";
  }

  /** Moves {@code name}, a local of {@code function} whose address {@code call} hands across. */
  void move(String function, String name, Reference call) {
    if (rewrite.excluded.contains("flexc_shared_" + name) || !rewrite.markMoved(function, name)) {
      return;
    }
    FunctionDefinition definition = rewrite.definition(function);
    int declaration = localDeclaration(definition, name);
    CToken where = rewrite.token(call.token());
    if (declaration < 0) {
      rewrite.note(rewrite.position(where) + ": the address of parameter '" + name + "' of " + function
          + " is passed through a gate; copy it to a local first to share it");
      return;
    }
    int[] statement = statement(declaration, definition);
    CToken end = rewrite.token(statement[1]);
    if (!end.is(";")) {
      rewrite.note(rewrite.position(rewrite.token(declaration)) + ": '" + name + "' is declared together"
          + " with other variables; declare it on its own so that it can be moved to shared memory");
      return;
    }
    for (int i = statement[0]; i < declaration; i++) {
      if (rewrite.token(i).is("static") || rewrite.token(i).is("extern")) {
        rewrite.share(new SharedData.Global(name, rewrite.library, rewrite.file.path(), Set.of()));
        return;
      }
    }
    int initializer = -1;
    for (int i = declaration + 1; i < statement[1]; i++) {
      if (rewrite.token(i).is("=")) {
        initializer = i;
        break;
      }
    }
    boolean array = rewrite.token(declaration + 1).is("[");
    if (initializer >= 0 && array) {
      rewrite.note(rewrite.position(rewrite.token(declaration)) + ": array '" + name + "' passed through"
          + " a gate has an initializer; flexc moves only uninitialised arrays to shared memory");
      return;
    }
    String pointer = "flexc_shared_" + name;
    String prefix = rewrite.placement == Placement.DSS ? "flexc_dss" : "flexc_shared";
    String text = rewrite.file.text();
    int suffixEnd = initializer >= 0 ? rewrite.token(initializer).offset() : end.offset();
    StringBuilder replacement = new StringBuilder()
        .append(text, rewrite.token(statement[0]).offset(), rewrite.token(declaration).offset())
        .append("(*").append(pointer).append(")")
        .append(text, rewrite.token(declaration).end(), suffixEnd).append(' ')
        .append("__attribute__((cleanup(").append(prefix).append("_release))) = ")
        .append(prefix).append("_alloc(sizeof(*").append(pointer).append("));");
    if (initializer >= 0) {
      String value = text.substring(rewrite.token(initializer + 1).offset(), end.offset()).strip();
      replacement.append(" *").append(pointer).append(" = ")
          .append(value.startsWith("{") ? "(__typeof__(*" + pointer + "))" : "")
          .append(value).append(';');
    }
    int start = rewrite.token(statement[0]).offset();
    if (!rewrite.edits.replace(start, end.end() - start, replacement.toString())) {
      return;
    }
    for (int i = statement[1] + 1; i < definition.bodyClose(); i++) {
      CToken use = rewrite.token(i);
      if (use.text().equals(name) && use.kind() == CToken.Kind.IDENTIFIER
          && !rewrite.token(i - 1).is(".") && !rewrite.token(i - 1).is("->")) {
        rewrite.edits.replace(use.offset(), use.text().length(), sharedUse(name));
      }
    }
    rewrite.requireRuntime();
    rewrite.markRenamed(function, name);
    rewrite.share(new SharedData.Local(rewrite.file.path(), rewrite.token(declaration).line(), function,
        name, rewrite.placement));
  }

  boolean isLocalArray(String function, String name) {
    int declaration = localDeclaration(rewrite.definition(function), name);
    return declaration >= 0 && rewrite.token(declaration + 1).is("[");
  }

  /** The index of {@code name} where {@code function}'s body declares it, or -1. */
  private int localDeclaration(FunctionDefinition definition, String name) {
    if (definition == null) {
      return -1;
    }
    for (int i = definition.bodyOpen() + 1; i < definition.bodyClose(); i++) {
      CToken previous = rewrite.token(i - 1);
      boolean afterType = previous.kind() == CToken.Kind.IDENTIFIER || previous.is("*");
      CToken next = rewrite.token(i + 1);
      if (rewrite.token(i).text().equals(name) && afterType
          && (next.is("=") || next.is(";") || next.is("[") || next.is(","))) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the {@code ;} ending the statement around {@code index}, and its first token. */
  private int[] statement(int index, FunctionDefinition definition) {
    int start = index;
    while (start > definition.bodyOpen() + 1) {
      CToken previous = rewrite.token(start - 1);
      if (previous.is(";") || previous.is("{") || previous.is("}")) {
        break;
      }
      start--;
    }
    int depth = 0;
    for (int end = index; end < definition.bodyClose(); end++) {
      CToken token = rewrite.token(end);
      if (token.is("(") || token.is("[") || token.is("{")) {
        depth++;
      } else if (token.is(")") || token.is("]") || token.is("}")) {
        depth--;
      } else if (depth == 0 && (token.is(";") || token.is(","))) {
        return new int[] {start, end};
      }
    }
    return new int[] {start, definition.bodyClose()};
  }
}
