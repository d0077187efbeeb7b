package io.flexc.transformer;

import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.transformer.source.CToken;
import io.flexc.transformer.source.FunctionDefinition;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Rule: an own function handed to another compartment, which will call it back, becomes the gate
 * from that compartment into this one, and is listed as an entry point. A static function gets a
 * global alias right after its definition first, because the gate lives in another object.
 */
final class CallbackRule {

  private final FileRewrite rewrite;
  private final Set<String> staticAliases = new LinkedHashSet<>();

  CallbackRule(FileRewrite rewrite) {
    this.rewrite = rewrite;
  }

  /** {@code token}, naming {@code name} as an argument of a gated call in {@code caller}. */
  void apply(CToken token, String caller, String name, int calleeCompartment, int itemStart) {
    FunctionDefinition definition = rewrite.definition(name);
    String target = name;
    if (definition != null && definition.isStatic()) {
      target = Gate.staticAlias(rewrite.library, rewrite.file.path(), name);
    }
    String gate = Gate.name(calleeCompartment, target);
    if (rewrite.excluded.contains(name) || rewrite.excluded.contains(target) || rewrite.excluded.contains(gate)) {
      return;
    }
    if (!target.equals(name) && staticAliases.add(target)) {
      // Right after the definition, so that it is in the same #if branch as the function.
      rewrite.edits.insert(rewrite.token(definition.bodyClose()).end(),
          "\n/* flexc: a global name for static " + name + ", which compartment " + calleeCompartment
              + " calls back through a gate */\nextern __typeof__(" + name + ") " + target
              + " __attribute__((alias(\"" + name + "\")));");
    }
    if (rewrite.edits.replace(token.offset(), token.text().length(), gate)) {
      if (definition != null && definition.isStatic() && definition.itemStart() >= itemStart) {
        // Defined here or further down: declare it first, or __typeof__ would not know it yet.
        rewrite.declareStatic(itemStart, name, definition.prototype());
      }
      rewrite.declare(itemStart, gate, name);
      String owner = rewrite.symbols.functionOwner(name).orElse(rewrite.library);
      rewrite.addSite(rewrite.site(token, caller, calleeCompartment, owner, target, gate, GateSite.Kind.CALLBACK));
      rewrite.entryPoint(target);
    }
  }
}
