package io.flexc.transformer;

import io.flexc.transformer.SharedData.Placement;
import io.flexc.transformer.source.CFile;
import io.flexc.transformer.source.CLexer;
import io.flexc.transformer.source.CToken;
import io.flexc.transformer.source.FunctionDefinition;
import io.flexc.transformer.source.MacroDefinition;
import io.flexc.transformer.source.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rewrites one C file for a configuration, at source level: calls and address uses of functions
 * in other compartments go to gates (declared just before the item that uses them with the
 * callee's exact type, {@code extern __typeof__(f) gate;}), own functions handed to another
 * compartment become callbacks through a gate, locals and allocations passed across move to shared
 * memory, and FlexOS's annotations are replaced by what they mean. What it leaves alone (names
 * hidden by a macro or a local) the object-level pass redirects.
 */
final class SourceRewriter {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_]\\w*");
  private static final Pattern FLEXOS_CALLBACK = Pattern.compile("lib\\w+_callback");
  private static final Set<String> ALLOCATORS = Set.of("malloc", "calloc", "realloc");
  private static final Map<String, String> FLEXOS_ALLOCATORS =
      Map.of(
          "flexos_malloc_whitelist", "flexc_shared_malloc",
          "flexos_calloc_whitelist", "flexc_shared_calloc",
          "flexos_realloc_whitelist", "flexc_shared_realloc",
          "flexos_free_whitelist", "flexc_shared_free");

  /** What rewriting one file gave. */
  record Result(
      String text,
      List<GateSite> sites,
      List<SharedData> shared,
      List<String> notes,
      Set<String> entryPoints) {}

  private final CFile file;
  private final String library;
  private final int compartment;
  private final Symbols symbols;
  private final Set<String> excluded;
  private final Map<String, MacroDefinition> definitions;
  private final Placement placement;
  private final Edits edits = new Edits();
  private final List<GateSite> sites = new ArrayList<>();
  private final List<SharedData> shared = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Set<String> entryPoints = new LinkedHashSet<>();
  /** Gate declarations to insert before each item, by the item's offset. */
  private final Map<Integer, Map<String, String>> declarations = new LinkedHashMap<>();
  private final Map<String, FunctionDefinition> functions = new HashMap<>();
  private final Set<String> movedLocals = new LinkedHashSet<>();
  /** Moved locals whose every use became {@code (*flexc_shared_x)}, as function.name. */
  private final Set<String> renamedLocals = new LinkedHashSet<>();
  /** Calls of function-like macros, expanded once every local that moves has moved. */
  private final List<Reference> macroCalls = new ArrayList<>();
  private final Set<String> staticAliases = new LinkedHashSet<>();
  private boolean needsRuntime;

  private SourceRewriter(CFile file, String library, Symbols symbols,
      Map<String, MacroDefinition> definitions, Placement placement, Set<String> excluded) {
    this.file = file;
    this.definitions = definitions;
    this.excluded = excluded;
    this.library = library;
    this.compartment = symbols.compartmentOf(library);
    this.symbols = symbols;
    this.placement = placement;
    file.functions().forEach(f -> functions.putIfAbsent(f.name(), f));
  }

  /**
   * Rewrites {@code file} of {@code library}. {@code definitions} are the macros the preprocessor
   * reported for it (none without a compiler run, when the rewrite assumes that a name defined as
   * a function is that function): a call to a function-like macro whose expansion calls another
   * compartment is expanded in place so that the gate is visible in the source, and a function's
   * name that is also an active macro is left to the object-level pass. Names in {@code excluded} (callees, gates or moved
   * locals the compiler rejected in an earlier attempt) are left to the object-level pass.
   */
  static Result rewrite(CFile file, String library, Symbols symbols,
      Map<String, MacroDefinition> definitions, Placement placement, Set<String> excluded) {
    return new SourceRewriter(file, library, symbols, definitions, placement, excluded).run();
  }

  private Result run() {
    for (Reference reference : file.references()) {
      if (FLEXOS_ALLOCATORS.containsKey(reference.name()) && reference.use() == Reference.Use.CALL) {
        flexosAllocation(reference);
      } else if (reference.name().equals("flexos_gate") || reference.name().equals("flexos_gate_r")) {
        flexosGate(reference);
      } else {
        crossCompartment(reference);
      }
    }
    for (Reference call : macroCalls) {
      moveLocalsHandedThroughMacro(call);
    }
    for (Reference call : macroCalls) {
      expandMacro(call);
    }
    flexosAttributes();
    declarations.forEach(
        (offset, gates) -> {
          StringBuilder text = new StringBuilder();
          gates.forEach((gate, callee) -> {
            if (gate.startsWith("static ")) {
              text.append(callee.startsWith("static") ? "" : "static ").append(callee)
                  .append("; /* flexc: declared before its use as a callback */\n");
            } else {
              text.append("extern __typeof__(").append(callee).append(") ").append(gate)
                  .append("; /* flexc gate */\n");
            }
          });
          edits.insert(lineStart(offset), text.toString());
        });
    if (needsRuntime) {
      edits.insert(0, RUNTIME_PRELUDE);
    }
    String text = edits.isEmpty() ? file.text() : edits.applyTo(file.text());
    return new Result(text, sites, shared, notes, entryPoints);
  }

  static final String RUNTIME_PRELUDE =
      """
      /* flexc: the shared-memory runtime that the rewrites in this file use. */
      extern void *flexc_shared_malloc(__SIZE_TYPE__ size);
      extern void *flexc_shared_calloc(__SIZE_TYPE__ count, __SIZE_TYPE__ size);
      extern void *flexc_shared_realloc(void *pointer, __SIZE_TYPE__ size);
      extern void flexc_shared_free(void *pointer);
      extern void *flexc_shared_alloc(__SIZE_TYPE__ size);
      extern void flexc_shared_release(void *slot);
      extern void *flexc_dss_alloc(__SIZE_TYPE__ size);
      extern void flexc_dss_release(void *slot);

      """;

  private int lineStart(int offset) {
    int start = file.text().lastIndexOf('\n', offset - 1) + 1;
    return file.text().substring(start, offset).isBlank() ? start : offset;
  }

  private CToken token(int index) {
    return file.code().get(index);
  }

  private String callerFunction(Reference reference) {
    return reference.function().orElse("<file scope>");
  }

  /** A call or address use of a function of another compartment, and what it hands across. */
  private void crossCompartment(Reference reference) {
    String name = reference.name();
    MacroDefinition macro = definitions.get(name);
    if (macro != null && macro.isFunctionLike() && reference.use() == Reference.Use.CALL
        && !excluded.contains(name)) {
      macroCalls.add(reference);
      return;
    }
    if (macro != null && !macro.isFunctionLike() && IDENTIFIER.matcher(macro.body().strip()).matches()) {
      // #define hdr_calloc zcalloc_num: the name stands for another function.
      name = macro.body().strip();
    }
    Optional<String> owner = symbols.functionOwner(name);
    if (owner.isEmpty() || owner.get().equals(library) || functions.containsKey(name)
        || excluded.contains(name)) {
      return;
    }
    int calleeCompartment = symbols.compartmentOf(owner.get());
    if (calleeCompartment == compartment) {
      return;
    }
    CToken token = token(reference.token());
    if (reference.function().isPresent() && file.isLocal(reference.function().get(), reference.name())) {
      notes.add(position(token) + ": '" + name + "' is a local here, not " + owner.get()
          + "'s function; left to the object-level pass");
      return;
    }
    if (definitions.containsKey(name)) {
      notes.add(position(token) + ": '" + name + "' is also a macro of " + library
          + "; the call it expands to is redirected at object level");
      return;
    }
    String gate = Gate.name(compartment, name);
    if (excluded.contains(gate) || !edits.replace(token.offset(), token.text().length(), gate)) {
      return;
    }
    declare(reference.itemStart(), gate, name);
    GateSite.Kind kind =
        reference.use() == Reference.Use.CALL ? GateSite.Kind.CALL : GateSite.Kind.ADDRESS;
    sites.add(site(token, callerFunction(reference), compartment, owner.get(), name, gate, kind));
    if (reference.use() == Reference.Use.CALL && reference.function().isPresent()) {
      handedAcross(reference, calleeCompartment);
    }
  }

  private void declare(int itemStart, String gate, String callee) {
    declarations.computeIfAbsent(itemStart, offset -> new LinkedHashMap<>()).putIfAbsent(gate, callee);
  }

  private GateSite site(CToken token, String caller, int gateCompartment, String calleeLibrary,
      String function, String gate, GateSite.Kind kind) {
    return new GateSite(file.path(), token.line(), token.column(), library, caller, gateCompartment,
        calleeLibrary, function, gate, kind, GateSite.Level.SOURCE, 1);
  }

  private String position(CToken token) {
    return file.path() + ":" + token.line() + ":" + token.column();
  }

  /** The arguments of the call whose name is at {@code nameIndex}: token ranges [from, to). */
  private List<int[]> arguments(int nameIndex) {
    return arguments(file.code(), nameIndex + 1);
  }

  /**
   * The arguments of the parenthesised list opening at {@code open} in {@code tokens}, as token
   * ranges [from, to); the last element is {@code {close, close}}, where the list ends.
   */
  private static List<int[]> argumentsAndEnd(List<CToken> tokens, int open) {
    List<int[]> arguments = new ArrayList<>();
    int depth = 0;
    int start = open + 1;
    for (int i = open; i < tokens.size(); i++) {
      CToken token = tokens.get(i);
      if (token.is("(") || token.is("[") || token.is("{")) {
        depth++;
      } else if (token.is(")") || token.is("]") || token.is("}")) {
        depth--;
        if (depth == 0) {
          if (i > start) {
            arguments.add(new int[] {start, i});
          }
          arguments.add(new int[] {i, i});
          return arguments;
        }
      } else if (token.is(",") && depth == 1) {
        arguments.add(new int[] {start, i});
        start = i + 1;
      }
    }
    arguments.add(new int[] {tokens.size() - 1, tokens.size() - 1});
    return arguments;
  }

  private static List<int[]> arguments(List<CToken> tokens, int open) {
    List<int[]> arguments = argumentsAndEnd(tokens, open);
    return arguments.subList(0, arguments.size() - 1);
  }

  /** Depth to which macros inside a macro's expansion are expanded in turn. */
  private static final int MACRO_DEPTH = 4;

  /**
   * Expands, in place, a call to a function-like macro whose expansion calls a function of another
   * compartment, with those calls turned into gate calls: what the preprocessor would produce, so
   * the gate can be seen and reviewed in the source. Left alone when nothing in it crosses.
   */
  private void expandMacro(Reference reference) {
    CToken name = token(reference.token());
    List<int[]> ranges = argumentsAndEnd(file.code(), reference.token() + 1);
    CToken close = token(ranges.get(ranges.size() - 1)[0]);
    String prefix = callerFunction(reference) + ".";
    List<String> arguments = new ArrayList<>();
    for (String argument : macroArguments(reference)) {
      String renamed = argument;
      for (String local : renamedLocals) {
        if (local.startsWith(prefix)) {
          renamed = withMovedLocal(renamed, local.substring(prefix.length()));
        }
      }
      arguments.add(renamed);
    }
    List<String[]> gated = new ArrayList<>();
    Optional<String> expansion = expand(name.text(), arguments, gated, 0);
    if (expansion.isEmpty() || gated.isEmpty()
        || !edits.replaceCovering(name.offset(), close.end() - name.offset(), expansion.get())) {
      return;
    }
    for (String[] gate : gated) {
      declare(reference.itemStart(), gate[0], gate[1]);
      sites.add(site(name, callerFunction(reference), compartment, symbols.functionOwner(gate[1]).orElseThrow(),
          gate[1], gate[0], GateSite.Kind.CALL));
    }
  }

  /**
   * Locals a macro invocation whose expansion crosses may hand across: arrays and locals whose
   * address is taken among its arguments. The gated call is only seen in the expansion, so every
   * such local is moved to shared memory; moving one that does not cross costs a shadow-stack slot.
   */
  private void moveLocalsHandedThroughMacro(Reference reference) {
    List<String[]> gated = new ArrayList<>();
    Optional<String> expansion = expand(token(reference.token()).text(), macroArguments(reference), gated, 0);
    if (expansion.isEmpty() || gated.isEmpty()) {
      return;
    }
    String function = callerFunction(reference);
    List<int[]> ranges = argumentsAndEnd(file.code(), reference.token() + 1);
    int close = ranges.get(ranges.size() - 1)[0];
    for (int i = reference.token() + 1; i < close; i++) {
      CToken candidate = token(i);
      boolean member = token(i - 1).is(".") || token(i - 1).is("->");
      if (candidate.kind() == CToken.Kind.IDENTIFIER && !member && file.isLocal(function, candidate.text())
          && (token(i - 1).is("&") || isLocalArray(function, candidate.text()))) {
        moveLocal(function, candidate.text(), reference);
      }
    }
  }

  private List<String> macroArguments(Reference reference) {
    List<int[]> ranges = argumentsAndEnd(file.code(), reference.token() + 1);
    List<String> arguments = new ArrayList<>();
    for (int[] range : ranges.subList(0, ranges.size() - 1)) {
      arguments.add(file.text().substring(token(range[0]).offset(), token(range[1] - 1).end()));
    }
    return arguments;
  }

  /**
   * {@code text} with a moved local's name replaced as moveLocal replaces its uses: identifiers
   * only, neither members nor words in strings and comments.
   */
  private static String withMovedLocal(String text, String name) {
    List<CToken> tokens = CLexer.tokenize(text);
    StringBuilder result = new StringBuilder();
    int copied = 0;
    for (int i = 0; i < tokens.size(); i++) {
      CToken token = tokens.get(i);
      boolean member = i > 0 && (tokens.get(i - 1).is(".") || tokens.get(i - 1).is("->"));
      if (token.kind() == CToken.Kind.IDENTIFIER && token.text().equals(name) && !member) {
        result.append(text, copied, token.offset()).append(sharedUse(name));
        copied = token.end();
      }
    }
    return result.append(text.substring(copied)).toString();
  }

  /** What a use of a moved local becomes: the object its shared pointer points to. */
  private static String sharedUse(String name) {
    return "(*flexc_shared_" + name + ")";
  }

  /**
   * {@code macro}'s expansion with calls into other compartments gated (each gate and callee added
   * to {@code gated}) and nested macros that need it expanded too; empty if it cannot be expanded.
   */
  private Optional<String> expand(String macro, List<String> arguments, List<String[]> gated, int depth) {
    Optional<String> expanded = definitions.get(macro).expand(arguments);
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
      MacroDefinition nested = definitions.get(name);
      if (nested != null && nested.isFunctionLike() && depth < MACRO_DEPTH && !name.equals(macro)) {
        List<int[]> ranges = argumentsAndEnd(tokens, i + 1);
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
      Optional<String> owner = symbols.functionOwner(name);
      if (nested == null && owner.isPresent() && symbols.compartmentOf(owner.get()) != compartment
          && !functions.containsKey(name) && !excluded.contains(name)) {
        String gate = Gate.name(compartment, name);
        if (!excluded.contains(gate)) {
          result.append(text, copied, token.offset()).append(gate);
          copied = token.end();
          gated.add(new String[] {gate, name});
        }
      }
    }
    result.append(text.substring(copied));
    return Optional.of(result.toString());
  }

  /**
   * What a gated call hands to the other compartment: own functions (callbacks, which the callee
   * will call back through a gate into this compartment), addresses of locals (moved to the shared
   * stack or heap) and freshly allocated buffers (moved to the shared heap).
   */
  private void handedAcross(Reference call, int calleeCompartment) {
    String function = call.function().get();
    for (int[] argument : arguments(call.token())) {
      int first = argument[0];
      int length = argument[1] - argument[0];
      boolean addressOf = length == 2 && token(first).is("&");
      int nameIndex = addressOf ? first + 1 : first;
      if (!(length == 1 || addressOf) || token(nameIndex).kind() != CToken.Kind.IDENTIFIER) {
        continue;
      }
      String name = token(nameIndex).text();
      if (file.isLocal(function, name)) {
        if (addressOf || isLocalArray(function, name)) {
          moveLocal(function, name, call);
        } else {
          sharedAllocation(function, name);
        }
      } else if (isOwnFunction(name)) {
        callback(token(nameIndex), function, name, calleeCompartment, call.itemStart());
      }
    }
  }

  private boolean isOwnFunction(String name) {
    if (functions.containsKey(name)) {
      return true;
    }
    Optional<String> owner = symbols.functionOwner(name);
    return owner.isPresent() && symbols.compartmentOf(owner.get()) == compartment;
  }

  /**
   * An own function handed to another compartment, which will call it back: the argument becomes
   * the gate from that compartment into this one. A static function gets a global alias at the end
   * of the file first, because the gate lives in another object.
   */
  private void callback(CToken token, String caller, String name, int calleeCompartment, int itemStart) {
    FunctionDefinition definition = functions.get(name);
    String target = name;
    if (definition != null && definition.isStatic()) {
      target = Gate.staticAlias(library, file.path(), name);
    }
    String gate = Gate.name(calleeCompartment, target);
    if (excluded.contains(name) || excluded.contains(target) || excluded.contains(gate)) {
      return;
    }
    if (!target.equals(name) && staticAliases.add(target)) {
      // Right after the definition, so that it is in the same #if branch as the function.
      edits.insert(token(definition.bodyClose()).end(),
          "\n/* flexc: a global name for static " + name + ", which compartment " + calleeCompartment
              + " calls back through a gate */\nextern __typeof__(" + name + ") " + target
              + " __attribute__((alias(\"" + name + "\")));");
    }
    if (edits.replace(token.offset(), token.text().length(), gate)) {
      if (definition != null && definition.isStatic() && definition.itemStart() >= itemStart) {
        // Defined here or further down: declare it first, or __typeof__ would not know it yet.
        declarations.computeIfAbsent(itemStart, offset -> new LinkedHashMap<>())
            .putIfAbsent("static " + name, definition.prototype());
      }
      declare(itemStart, gate, name);
      String owner = symbols.functionOwner(name).orElse(library);
      sites.add(site(token, caller, calleeCompartment, owner, target, gate, GateSite.Kind.CALLBACK));
      entryPoints.add(target);
    }
  }

  private FunctionDefinition definition(String function) {
    return functions.get(function);
  }

  private boolean isLocalArray(String function, String name) {
    FunctionDefinition definition = definition(function);
    int declaration = localDeclaration(definition, name);
    return declaration >= 0 && token(declaration + 1).is("[");
  }

  /** The index of {@code name} where {@code function}'s body declares it, or -1. */
  private int localDeclaration(FunctionDefinition definition, String name) {
    if (definition == null) {
      return -1;
    }
    for (int i = definition.bodyOpen() + 1; i < definition.bodyClose(); i++) {
      CToken previous = token(i - 1);
      boolean afterType = previous.kind() == CToken.Kind.IDENTIFIER || previous.is("*");
      CToken next = token(i + 1);
      if (token(i).text().equals(name) && afterType
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
      CToken previous = token(start - 1);
      if (previous.is(";") || previous.is("{") || previous.is("}")) {
        break;
      }
      start--;
    }
    int depth = 0;
    for (int end = index; end < definition.bodyClose(); end++) {
      CToken token = token(end);
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

  /**
   * Moves a local whose address crosses to the shared stack (DSS) or heap: {@code T x = v;}
   * becomes {@code T (*flexc_shared_x) __attribute__((cleanup(release))) = alloc(sizeof ...);
   * *flexc_shared_x = v;} and every later {@code x} becomes {@code (*flexc_shared_x)}, so the
   * storage is released on every way out of the block.
   */
  private void moveLocal(String function, String name, Reference call) {
    if (excluded.contains("flexc_shared_" + name) || !movedLocals.add(function + "." + name)) {
      return;
    }
    FunctionDefinition definition = definition(function);
    int declaration = localDeclaration(definition, name);
    CToken where = token(call.token());
    if (declaration < 0) {
      notes.add(position(where) + ": the address of parameter '" + name + "' of " + function
          + " is passed through a gate; copy it to a local first to share it");
      return;
    }
    int[] statement = statement(declaration, definition);
    CToken end = token(statement[1]);
    if (!end.is(";")) {
      notes.add(position(token(declaration)) + ": '" + name + "' is declared together with other"
          + " variables; declare it on its own so that it can be moved to shared memory");
      return;
    }
    for (int i = statement[0]; i < declaration; i++) {
      if (token(i).is("static") || token(i).is("extern")) {
        shared.add(new SharedData.Global(name, library, file.path(), Set.of()));
        return;
      }
    }
    int initializer = -1;
    for (int i = declaration + 1; i < statement[1]; i++) {
      if (token(i).is("=")) {
        initializer = i;
        break;
      }
    }
    boolean array = token(declaration + 1).is("[");
    if (initializer >= 0 && array) {
      notes.add(position(token(declaration)) + ": array '" + name + "' passed through a gate has an"
          + " initializer; flexc moves only uninitialised arrays to shared memory");
      return;
    }
    String pointer = "flexc_shared_" + name;
    String prefix = placement == Placement.DSS ? "flexc_dss" : "flexc_shared";
    String text = file.text();
    int suffixEnd = initializer >= 0 ? token(initializer).offset() : end.offset();
    StringBuilder replacement = new StringBuilder()
        .append(text, token(statement[0]).offset(), token(declaration).offset())
        .append("(*").append(pointer).append(")")
        .append(text, token(declaration).end(), suffixEnd).append(' ')
        .append("__attribute__((cleanup(").append(prefix).append("_release))) = ")
        .append(prefix).append("_alloc(sizeof(*").append(pointer).append("));");
    if (initializer >= 0) {
      String value = text.substring(token(initializer + 1).offset(), end.offset()).strip();
      replacement.append(" *").append(pointer).append(" = ")
          .append(value.startsWith("{") ? "(__typeof__(*" + pointer + "))" : "")
          .append(value).append(';');
    }
    if (!edits.replace(token(statement[0]).offset(), end.end() - token(statement[0]).offset(),
        replacement.toString())) {
      return;
    }
    for (int i = statement[1] + 1; i < definition.bodyClose(); i++) {
      CToken use = token(i);
      if (use.text().equals(name) && use.kind() == CToken.Kind.IDENTIFIER
          && !token(i - 1).is(".") && !token(i - 1).is("->")) {
        edits.replace(use.offset(), use.text().length(), sharedUse(name));
      }
    }
    needsRuntime = true;
    renamedLocals.add(function + "." + name);
    shared.add(new SharedData.Local(file.path(), token(declaration).line(), function, name, placement));
  }

  /** A local pointer handed across: the allocation it holds, and its frees, use the shared heap. */
  private void sharedAllocation(String function, String name) {
    FunctionDefinition definition = definition(function);
    if (definition == null || !movedLocals.add(function + "." + name)) {
      return;
    }
    for (int i = definition.bodyOpen() + 1; i + 3 < definition.bodyClose(); i++) {
      boolean assigned = token(i).text().equals(name) && token(i + 1).is("=");
      CToken allocator = token(i + 2);
      if (assigned && ALLOCATORS.contains(allocator.text()) && token(i + 3).is("(")) {
        edits.replace(allocator.offset(), allocator.text().length(), "flexc_shared_" + allocator.text());
        shared.add(new SharedData.Allocation(file.path(), allocator.line(), function, allocator.text()));
        needsRuntime = true;
      }
      boolean freed = token(i).is("free") && token(i + 1).is("(") && token(i + 2).text().equals(name)
          && token(i + 3).is(")");
      if (freed) {
        edits.replace(token(i).offset(), 4, "flexc_shared_free");
      }
    }
  }

  /** {@code flexos_malloc_whitelist(size, lib)} and friends: the shared heap, without the lib. */
  private void flexosAllocation(Reference reference) {
    CToken name = token(reference.token());
    List<int[]> arguments = arguments(reference.token());
    if (arguments.size() < 2) {
      notes.add(position(name) + ": " + name.text() + " without its library argument");
      return;
    }
    int[] last = arguments.get(arguments.size() - 1);
    int[] beforeLast = arguments.get(arguments.size() - 2);
    edits.replace(name.offset(), name.text().length(), FLEXOS_ALLOCATORS.get(name.text()));
    edits.replace(token(beforeLast[1]).offset(), token(last[1] - 1).end() - token(beforeLast[1]).offset(), "");
    needsRuntime = true;
    shared.add(new SharedData.Allocation(file.path(), name.line(), callerFunction(reference), name.text()));
  }

  /**
   * {@code flexos_gate(lib, f, args...)} and {@code flexos_gate_r(lib, ret, f, args...)}: the
   * porter's gate becomes a gate of this configuration when f's library is in another
   * compartment, and a plain call when it is not.
   */
  private void flexosGate(Reference reference) {
    CToken name = token(reference.token());
    boolean returns = name.text().equals("flexos_gate_r");
    List<int[]> arguments = arguments(reference.token());
    int functionArgument = returns ? 2 : 1;
    if (arguments.size() <= functionArgument
        || arguments.get(functionArgument)[1] - arguments.get(functionArgument)[0] != 1) {
      notes.add(position(name) + ": " + name.text() + " needs a library, "
          + (returns ? "a result, " : "") + "and a function name");
      return;
    }
    int[] callee = arguments.get(functionArgument);
    String function = token(callee[0]).text();
    Optional<String> owner = symbols.functionOwner(function);
    boolean gated = owner.isPresent() && symbols.compartmentOf(owner.get()) != compartment;
    String target = gated ? Gate.name(compartment, function) : function;
    String text = file.text();
    String result = "";
    if (returns) {
      int[] lvalue = arguments.get(1);
      result = text.substring(token(lvalue[0]).offset(), token(lvalue[1] - 1).end()) + " = ";
    }
    boolean more = arguments.size() > functionArgument + 1;
    int replaceEnd = more ? token(arguments.get(functionArgument + 1)[0]).offset() : token(callee[1]).offset();
    if (!edits.replace(name.offset(), replaceEnd - name.offset(), result + target + "(")) {
      return;
    }
    if (!more) {
      edits.replace(token(callee[1]).offset(), 1, ")");
    }
    if (gated) {
      declare(reference.itemStart(), target, function);
    }
    String calleeLibrary = owner.orElse("?");
    if (gated) {
      sites.add(site(name, callerFunction(reference), compartment, calleeLibrary, function, target,
          GateSite.Kind.ANNOTATION));
    }
    if (owner.isEmpty()) {
      notes.add(position(name) + ": " + name.text() + " calls '" + function
          + "', which no library defines; kept as a plain call");
    }
  }

  /**
   * {@code __attribute__((flexos_whitelist))} and {@code __attribute__((libX_callback))}: the
   * function may be entered from other compartments. The attribute goes (gcc does not know it)
   * and the function is listed as an entry point.
   */
  private void flexosAttributes() {
    List<CToken> code = file.code();
    for (int i = 0; i + 5 < code.size(); i++) {
      boolean attribute = code.get(i).is("__attribute__") && code.get(i + 1).is("(")
          && code.get(i + 2).is("(") && code.get(i + 4).is(")") && code.get(i + 5).is(")");
      String word = attribute ? code.get(i + 3).text() : "";
      if (word.equals("flexos_whitelist") || FLEXOS_CALLBACK.matcher(word).matches()) {
        edits.replace(code.get(i).offset(), code.get(i + 5).end() - code.get(i).offset(),
            "/* flexc: " + word + " */");
        functionAround(i).ifPresent(entryPoints::add);
      }
    }
  }

  /** The function whose definition, up to its body, contains the token at {@code index}. */
  private Optional<String> functionAround(int index) {
    int offset = token(index).offset();
    return file.functions().stream()
        .filter(f -> f.itemStart() <= offset && index < f.bodyOpen())
        .map(FunctionDefinition::name)
        .findFirst();
  }
}
