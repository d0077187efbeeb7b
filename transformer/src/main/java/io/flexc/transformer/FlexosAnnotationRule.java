package io.flexc.transformer;

import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.model.SharedData;
import io.flexc.transformer.source.CToken;
import io.flexc.transformer.source.FunctionDefinition;
import io.flexc.transformer.source.Reference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rule: FlexOS's annotations, which a library ported to FlexOS carries, are replaced by what they
 * mean in this configuration: {@code flexos_gate} by a gate or a plain call, the whitelisted
 * allocators by the shared heap, and the entry-point attributes by a comment and an entry point.
 */
final class FlexosAnnotationRule {

  private static final Pattern FLEXOS_CALLBACK = Pattern.compile("lib\\w+_callback");
  private static final Map<String, String> FLEXOS_ALLOCATORS =
      Map.of(
          "flexos_malloc_whitelist", "flexc_shared_malloc",
          "flexos_calloc_whitelist", "flexc_shared_calloc",
          "flexos_realloc_whitelist", "flexc_shared_realloc",
          "flexos_free_whitelist", "flexc_shared_free");

  private final FileRewrite rewrite;

  FlexosAnnotationRule(FileRewrite rewrite) {
    this.rewrite = rewrite;
  }

  /** Rewrites {@code reference} if it is a FlexOS gate or allocator; false if it is neither. */
  boolean apply(Reference reference) {
    if (FLEXOS_ALLOCATORS.containsKey(reference.name()) && reference.use() == Reference.Use.CALL) {
      allocation(reference);
      return true;
    }
    if (reference.name().equals("flexos_gate") || reference.name().equals("flexos_gate_r")) {
      gate(reference);
      return true;
    }
    return false;
  }

  /** {@code flexos_malloc_whitelist(size, lib)} and friends: the shared heap, without the lib. */
  private void allocation(Reference reference) {
    CToken name = rewrite.token(reference.token());
    List<int[]> arguments = rewrite.arguments(reference.token());
    if (arguments.size() < 2) {
      rewrite.note(rewrite.position(name) + ": " + name.text() + " without its library argument");
      return;
    }
    int[] last = arguments.get(arguments.size() - 1);
    int[] beforeLast = arguments.get(arguments.size() - 2);
    rewrite.edits.replace(name.offset(), name.text().length(), FLEXOS_ALLOCATORS.get(name.text()));
    int from = rewrite.token(beforeLast[1]).offset();
    rewrite.edits.replace(from, rewrite.token(last[1] - 1).end() - from, "");
    rewrite.requireRuntime();
    rewrite.share(new SharedData.Allocation(rewrite.file.path(), name.line(),
        rewrite.callerFunction(reference), name.text()));
  }

  /**
   * {@code flexos_gate(lib, f, args...)} and {@code flexos_gate_r(lib, ret, f, args...)}: the
   * porter's gate becomes a gate of this configuration when f's library is in another
   * compartment, and a plain call when it is not.
   */
  private void gate(Reference reference) {
    CToken name = rewrite.token(reference.token());
    boolean returns = name.text().equals("flexos_gate_r");
    List<int[]> arguments = rewrite.arguments(reference.token());
    int functionArgument = returns ? 2 : 1;
    if (arguments.size() <= functionArgument
        || arguments.get(functionArgument)[1] - arguments.get(functionArgument)[0] != 1) {
      rewrite.note(rewrite.position(name) + ": " + name.text() + " needs a library, "
          + (returns ? "a result, " : "") + "and a function name");
      return;
    }
    int[] callee = arguments.get(functionArgument);
    String function = rewrite.token(callee[0]).text();
    Optional<String> owner = rewrite.symbols.functionOwner(function);
    boolean gated = owner.isPresent() && rewrite.symbols.compartmentOf(owner.get()) != rewrite.compartment;
    String target = gated ? Gate.name(rewrite.compartment, function) : function;
    String text = rewrite.file.text();
    String result = "";
    if (returns) {
      int[] lvalue = arguments.get(1);
      result = text.substring(rewrite.token(lvalue[0]).offset(), rewrite.token(lvalue[1] - 1).end()) + " = ";
    }
    boolean more = arguments.size() > functionArgument + 1;
    int replaceEnd = more ? rewrite.token(arguments.get(functionArgument + 1)[0]).offset()
        : rewrite.token(callee[1]).offset();
    if (!rewrite.edits.replace(name.offset(), replaceEnd - name.offset(), result + target + "(")) {
      return;
    }
    if (!more) {
      rewrite.edits.replace(rewrite.token(callee[1]).offset(), 1, ")");
    }
    if (gated) {
      rewrite.declare(reference.itemStart(), target, function);
      rewrite.addSite(rewrite.site(name, rewrite.callerFunction(reference), rewrite.compartment,
          owner.get(), function, target, GateSite.Kind.ANNOTATION));
    }
    if (owner.isEmpty()) {
      rewrite.note(rewrite.position(name) + ": " + name.text() + " calls '" + function
          + "', which no library defines; kept as a plain call");
    }
  }

  /**
   * {@code __attribute__((flexos_whitelist))} and {@code __attribute__((libX_callback))}: the
   * function may be entered from other compartments. The attribute goes (gcc does not know it)
   * and the function is listed as an entry point.
   */
  void removeAttributes() {
    List<CToken> code = rewrite.file.code();
    for (int i = 0; i + 5 < code.size(); i++) {
      boolean attribute = code.get(i).is("__attribute__") && code.get(i + 1).is("(")
          && code.get(i + 2).is("(") && code.get(i + 4).is(")") && code.get(i + 5).is(")");
      String word = attribute ? code.get(i + 3).text() : "";
      if (word.equals("flexos_whitelist") || FLEXOS_CALLBACK.matcher(word).matches()) {
        rewrite.edits.replace(code.get(i).offset(), code.get(i + 5).end() - code.get(i).offset(),
            "/* flexc: " + word + " */");
        functionAround(i).ifPresent(rewrite::entryPoint);
      }
    }
  }

  /** The function whose definition, up to its body, contains the token at {@code index}. */
  private Optional<String> functionAround(int index) {
    int offset = rewrite.token(index).offset();
    return rewrite.file.functions().stream()
        .filter(f -> f.itemStart() <= offset && index < f.bodyOpen())
        .map(FunctionDefinition::name)
        .findFirst();
  }
}
