package io.flexc.transformer;

import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.transformer.source.CToken;
import io.flexc.transformer.source.MacroDefinition;
import io.flexc.transformer.source.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rule: a call or address use of a function of another compartment goes to its gate, declared just
 * before the item that uses it with the callee's exact type; what the call hands across is passed
 * to the callback, shared-local and shared-allocation rules. A call of a function-like macro is
 * kept for the macro-expansion rule; a name hidden by a local or a macro is left to the
 * object-level pass, with a note.
 */
final class CallGateRule {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_]\\w*");

  private final FileRewrite rewrite;
  private final CallbackRule callbacks;
  private final SharedLocalRule sharedLocals;
  private final SharedAllocationRule sharedAllocations;

  CallGateRule(FileRewrite rewrite, CallbackRule callbacks, SharedLocalRule sharedLocals,
      SharedAllocationRule sharedAllocations) {
    this.rewrite = rewrite;
    this.callbacks = callbacks;
    this.sharedLocals = sharedLocals;
    this.sharedAllocations = sharedAllocations;
  }

  void apply(Reference reference) {
    String name = reference.name();
    MacroDefinition macro = rewrite.definitions.get(name);
    if (macro != null && macro.isFunctionLike() && reference.use() == Reference.Use.CALL
        && !rewrite.excluded.contains(name)) {
      rewrite.deferMacroCall(reference);
      return;
    }
    if (macro != null && !macro.isFunctionLike() && IDENTIFIER.matcher(macro.body().strip()).matches()) {
      // #define hdr_calloc zcalloc_num: the name stands for another function.
      name = macro.body().strip();
    }
    if (macro == null && reference.function().isPresent() && rewrite.file.isLocal(reference.function().get(), name)
        && (reference.use() == Reference.Use.CALL || isDereferencedCall(reference.token()))) {
      handedThroughPointer(reference);
      return;
    }
    Optional<String> owner = rewrite.symbols.functionOwner(name);
    if (owner.isEmpty() || owner.get().equals(rewrite.library) || rewrite.defines(name)
        || rewrite.excluded.contains(name)) {
      return;
    }
    int calleeCompartment = rewrite.symbols.compartmentOf(owner.get());
    if (calleeCompartment == rewrite.compartment) {
      return;
    }
    CToken token = rewrite.token(reference.token());
    if (reference.function().isPresent() && rewrite.file.isLocal(reference.function().get(), reference.name())) {
      rewrite.note(rewrite.position(token) + ": '" + name + "' is a local here, not " + owner.get()
          + "'s function; left to the object-level pass");
      return;
    }
    if (rewrite.definitions.containsKey(name)) {
      rewrite.note(rewrite.position(token) + ": '" + name + "' is also a macro of " + rewrite.library
          + "; the call it expands to is redirected at object level");
      return;
    }
    String gate = Gate.name(rewrite.compartment, name);
    if (rewrite.excluded.contains(gate) || !rewrite.edits.replace(token.offset(), token.text().length(), gate)) {
      return;
    }
    rewrite.declare(reference.itemStart(), gate, name);
    GateSite.Kind kind =
        reference.use() == Reference.Use.CALL ? GateSite.Kind.CALL : GateSite.Kind.ADDRESS;
    rewrite.addSite(rewrite.site(token, rewrite.callerFunction(reference), rewrite.compartment, owner.get(),
        name, gate, kind));
    if (reference.use() == Reference.Use.CALL && reference.function().isPresent()) {
      handedAcross(reference, calleeCompartment);
    }
  }

  /**
   * What a gated call hands to the other compartment: own functions (callbacks, which the callee
   * will call back through a gate into this compartment), addresses of locals (moved to the shared
   * stack or heap) and freshly allocated buffers (moved to the shared heap).
   */
  private void handedAcross(Reference call, int calleeCompartment) {
    String function = call.function().get();
    for (Argument argument : names(call)) {
      if (rewrite.file.isLocal(function, argument.name())) {
        if (argument.addressOf() || sharedLocals.isLocalArray(function, argument.name())) {
          sharedLocals.move(function, argument.name(), call);
          sharedAllocations.applyToFields(function, argument.name());
        } else {
          sharedAllocations.apply(function, argument.name());
        }
      } else if (isOwnFunction(argument.name())) {
        callbacks.apply(rewrite.token(argument.index()), function, argument.name(), calleeCompartment,
            call.itemStart());
      }
    }
  }

  /**
   * A call through a function pointer held in a local or parameter may enter another compartment
   * (through the entry gate its address was routed to), so the addresses of locals it is handed
   * move to shared memory as for a gated call; a local used only in its own compartment then costs
   * a shadow-stack slot. Heap buffers are left where they are: which ones cross is for a measured or
   * declared sharing to say, not worth every indirect call's allocations in the shared heap.
   */
  private void handedThroughPointer(Reference call) {
    String function = call.function().get();
    for (Argument argument : names(call)) {
      if (rewrite.file.isLocal(function, argument.name())
          && (argument.addressOf() || sharedLocals.isLocalArray(function, argument.name()))) {
        sharedLocals.move(function, argument.name(), call);
      }
    }
  }

  /** An argument that is a name or a name's address; {@code index} is the name's token. */
  private record Argument(String name, boolean addressOf, int index) {}

  /** {@code (*name)(...)}: a call through the function pointer {@code name}, written with its dereference (Lua's hooks). */
  private boolean isDereferencedCall(int index) {
    return index >= 2 && rewrite.token(index - 2).is("(") && rewrite.token(index - 1).is("*")
        && rewrite.token(index + 1).is(")") && rewrite.token(index + 2).is("(");
  }

  private List<Argument> names(Reference call) {
    List<Argument> names = new ArrayList<>();
    List<int[]> arguments = isDereferencedCall(call.token())
        ? rewrite.argumentsAfterDereference(call.token())
        : rewrite.arguments(call.token());
    for (int[] argument : arguments) {
      int first = argument[0];
      int length = argument[1] - argument[0];
      boolean addressOf = length == 2 && rewrite.token(first).is("&");
      int nameIndex = addressOf ? first + 1 : first;
      if ((length == 1 || addressOf) && rewrite.token(nameIndex).kind() == CToken.Kind.IDENTIFIER) {
        names.add(new Argument(rewrite.token(nameIndex).text(), addressOf, nameIndex));
      }
    }
    return names;
  }

  private boolean isOwnFunction(String name) {
    if (rewrite.defines(name)) {
      return true;
    }
    Optional<String> owner = rewrite.symbols.functionOwner(name);
    return owner.isPresent() && rewrite.symbols.compartmentOf(owner.get()) == rewrite.compartment;
  }
}
