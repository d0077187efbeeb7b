package io.flexc.transformer;

import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.transformer.source.CLexer;
import io.flexc.transformer.source.CToken;
import io.flexc.transformer.source.MacroDefinition;
import io.flexc.transformer.source.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rule: a call to a function-like macro whose expansion calls a function of another compartment
 * is expanded in place, with those calls turned into gate calls: what the preprocessor would
 * produce, so the gate can be seen and reviewed in the source. Left alone when nothing in it
 * crosses. Runs in two passes over the calls the call-gate rule collected: first the locals the
 * calls may hand across move, then the calls expand (with the moved locals' new names).
 */
final class MacroExpansionRule {

  /** Depth to which macros inside a macro's expansion are expanded in turn. */
  private static final int MACRO_DEPTH = 4;

  private final FileRewrite rewrite;
  private final SharedLocalRule sharedLocals;

  MacroExpansionRule(FileRewrite rewrite, SharedLocalRule sharedLocals) {
    this.rewrite = rewrite;
    this.sharedLocals = sharedLocals;
  }

  void apply(List<Reference> calls) {
    for (Reference call : calls) {
      moveLocalsHandedThroughMacro(call);
    }
    for (Reference call : calls) {
      expandMacro(call);
    }
  }

  private void expandMacro(Reference reference) {
    CToken name = rewrite.token(reference.token());
    List<int[]> ranges = FileRewrite.argumentsAndEnd(rewrite.file.code(), reference.token() + 1);
    CToken close = rewrite.token(ranges.get(ranges.size() - 1)[0]);
    String prefix = rewrite.callerFunction(reference) + ".";
    List<String> arguments = new ArrayList<>();
    for (String argument : macroArguments(reference)) {
      String renamed = argument;
      for (String local : rewrite.renamedLocals()) {
        if (local.startsWith(prefix)) {
          renamed = withMovedLocal(renamed, local.substring(prefix.length()));
        }
      }
      arguments.add(renamed);
    }
    List<String[]> gated = new ArrayList<>();
    Optional<String> expansion = expand(name.text(), arguments, gated, 0);
    if (expansion.isEmpty() || gated.isEmpty()
        || !rewrite.edits.replaceCovering(name.offset(), close.end() - name.offset(), expansion.get())) {
      return;
    }
    for (String[] gate : gated) {
      rewrite.declare(reference.itemStart(), gate[0], gate[1]);
      rewrite.addSite(rewrite.site(name, rewrite.callerFunction(reference), rewrite.compartment,
          rewrite.symbols.functionOwner(gate[1]).orElseThrow(), gate[1], gate[0], GateSite.Kind.CALL));
    }
  }

  /**
   * Locals a macro invocation whose expansion crosses may hand across: arrays and locals whose
   * address is taken among its arguments. The gated call is only seen in the expansion, so every
   * such local is moved to shared memory; moving one that does not cross costs a shadow-stack slot.
   */
  private void moveLocalsHandedThroughMacro(Reference reference) {
    List<String[]> gated = new ArrayList<>();
    Optional<String> expansion =
        expand(rewrite.token(reference.token()).text(), macroArguments(reference), gated, 0);
    if (expansion.isEmpty() || gated.isEmpty()) {
      return;
    }
    String function = rewrite.callerFunction(reference);
    List<int[]> ranges = FileRewrite.argumentsAndEnd(rewrite.file.code(), reference.token() + 1);
    int close = ranges.get(ranges.size() - 1)[0];
    for (int i = reference.token() + 1; i < close; i++) {
      CToken candidate = rewrite.token(i);
      boolean member = rewrite.token(i - 1).is(".") || rewrite.token(i - 1).is("->");
      if (candidate.kind() == CToken.Kind.IDENTIFIER && !member && rewrite.file.isLocal(function, candidate.text())
          && (rewrite.token(i - 1).is("&") || sharedLocals.isLocalArray(function, candidate.text()))) {
        sharedLocals.move(function, candidate.text(), reference);
      }
    }
  }

  private List<String> macroArguments(Reference reference) {
    List<int[]> ranges = FileRewrite.argumentsAndEnd(rewrite.file.code(), reference.token() + 1);
    List<String> arguments = new ArrayList<>();
    for (int[] range : ranges.subList(0, ranges.size() - 1)) {
      arguments.add(rewrite.file.text().substring(rewrite.token(range[0]).offset(), rewrite.token(range[1] - 1).end()));
    }
    return arguments;
  }

  /**
   * {@code text} with a moved local's name replaced as the shared-local rule replaces its uses:
   * identifiers only, neither members nor words in strings and comments.
   */
  private static String withMovedLocal(String text, String name) {
    List<CToken> tokens = CLexer.tokenize(text);
    StringBuilder result = new StringBuilder();
    int copied = 0;
    for (int i = 0; i < tokens.size(); i++) {
      CToken token = tokens.get(i);
      boolean member = i > 0 && (tokens.get(i - 1).is(".") || tokens.get(i - 1).is("->"));
      if (token.kind() == CToken.Kind.IDENTIFIER && token.text().equals(name) && !member) {
        result.append(text, copied, token.offset()).append(SharedLocalRule.sharedUse(name));
        copied = token.end();
      }
    }
    return result.append(text.substring(copied)).toString();
  }

  /**
   * {@code macro}'s expansion with calls into other compartments gated (each gate and callee added
   * to {@code gated}) and nested macros that need it expanded too; empty if it cannot be expanded.
   */
  private Optional<String> expand(String macro, List<String> arguments, List<String[]> gated, int depth) {
    Optional<String> expanded = rewrite.definitions.get(macro).expand(arguments);
    if (expanded.isEmpty()) {
      return expanded;
    }
    String text = expanded.get();
    List<CToken> tokens = CLexer.tokenize(text);
    StringBuilder result = new StringBuilder();
    int copied = 0;
    for (int i = 0; i + 1 < tokens.size(); i++) {
      CToken token = tokens.get(i);
      boolean call = token.kind() == CToken.Kind.IDENTIFIER && tokens.get(i + 1).is("(")
          && (i == 0 || !(tokens.get(i - 1).is(".") || tokens.get(i - 1).is("->")));
      if (!call || token.offset() < copied) {
        continue;
      }
      String name = token.text();
      MacroDefinition nested = rewrite.definitions.get(name);
      if (nested != null && nested.isFunctionLike() && depth < MACRO_DEPTH && !name.equals(macro)) {
        List<int[]> ranges = FileRewrite.argumentsAndEnd(tokens, i + 1);
        List<String> nestedArguments = new ArrayList<>();
        for (int[] range : ranges.subList(0, ranges.size() - 1)) {
          nestedArguments.add(text.substring(tokens.get(range[0]).offset(), tokens.get(range[1] - 1).end()));
        }
        int before = gated.size();
        Optional<String> inner = expand(name, nestedArguments, gated, depth + 1);
        if (inner.isPresent() && gated.size() > before) {
          result.append(text, copied, token.offset()).append(inner.get());
          copied = tokens.get(ranges.get(ranges.size() - 1)[0]).end();
        }
        continue;
      }
      Optional<String> owner = rewrite.symbols.functionOwner(name);
      if (nested == null && owner.isPresent() && rewrite.symbols.compartmentOf(owner.get()) != rewrite.compartment
          && !rewrite.defines(name) && !rewrite.excluded.contains(name)) {
        String gate = Gate.name(rewrite.compartment, name);
        if (!rewrite.excluded.contains(gate)) {
          result.append(text, copied, token.offset()).append(gate);
          copied = token.end();
          gated.add(new String[] {gate, name});
        }
      }
    }
    result.append(text.substring(copied));
    return Optional.of(result.toString());
  }
}
