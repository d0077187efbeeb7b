package io.flexc.transformer;

import io.flexc.model.GateSite;
import io.flexc.model.SharedData.Placement;
import io.flexc.model.SharedData;
import io.flexc.transformer.source.CFile;
import io.flexc.transformer.source.CToken;
import io.flexc.transformer.source.FunctionDefinition;
import io.flexc.transformer.source.MacroDefinition;
import io.flexc.transformer.source.Reference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rewrite of one file in progress, which the rules share: what they read (the scanned file,
 * the application's symbols, the file's macros, the names to leave alone) and what they produce
 * (position-tied edits, gate declarations, gate sites, shared data, notes, entry points), each
 * only added to. It lives only while {@link SourceRewriter} rewrites that one file.
 */
final class FileRewrite {

  final CFile file;
  final String library;
  final int compartment;
  final Symbols symbols;
  /** Names the compiler rejected in an earlier attempt, left to the object-level pass. */
  final Set<String> excluded;
  /** The macros the preprocessor reported for the file; none without a compiler run. */
  final Map<String, MacroDefinition> definitions;
  final Placement placement;
  /** The position-tied edits the rules make, applied to a copy of the text at the end. */
  final Edits edits = new Edits();
  private final List<GateSite> sites = new ArrayList<>();
  private final List<SharedData> shared = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Set<String> entryPoints = new LinkedHashSet<>();
  /** Gate declarations to insert before each item, by the item's offset. */
  private final Map<Integer, Map<String, String>> declarations = new LinkedHashMap<>();
  /** The file's function definitions by name, the first when an #if gives two. */
  private final Map<String, FunctionDefinition> functions = new HashMap<>();
  /** Locals moved to shared memory, or whose allocation was, as function.name. */
  private final Set<String> movedLocals = new LinkedHashSet<>();
  /** Moved locals whose every use became {@code (*flexc_shared_x)}, as function.name. */
  private final Set<String> renamedLocals = new LinkedHashSet<>();
  /** Calls of function-like macros, expanded once every local that moves has moved. */
  private final List<Reference> macroCalls = new ArrayList<>();
  private boolean needsRuntime;

  FileRewrite(CFile file, String library, Symbols symbols, Map<String, MacroDefinition> definitions,
      Placement placement, Set<String> excluded) {
    this.file = file;
    this.definitions = definitions;
    this.excluded = excluded;
    this.library = library;
    this.compartment = symbols.compartmentOf(library);
    this.symbols = symbols;
    this.placement = placement;
    file.functions().forEach(f -> functions.putIfAbsent(f.name(), f));
  }

  /** Some edit calls the shared-memory runtime, whose prototypes the file then needs. */
  void requireRuntime() {
    needsRuntime = true;
  }

  void note(String note) {
    notes.add(note);
  }

  void addSite(GateSite site) {
    sites.add(site);
  }

  void share(SharedData data) {
    shared.add(data);
  }

  /** {@code function} may be entered from another compartment. */
  void entryPoint(String function) {
    entryPoints.add(function);
  }

  /** Marks {@code name}, a local of {@code function}, as handled; false if it already was. */
  boolean markMoved(String function, String name) {
    return movedLocals.add(function + "." + name);
  }

  /** Every later use of {@code name} in {@code function} became {@code (*flexc_shared_name)}. */
  void markRenamed(String function, String name) {
    renamedLocals.add(function + "." + name);
  }

  /** The locals whose uses were renamed, as function.name. */
  Set<String> renamedLocals() {
    return Collections.unmodifiableSet(renamedLocals);
  }

  /** Keeps a call of a function-like macro for the macro-expansion rule. */
  void deferMacroCall(Reference call) {
    macroCalls.add(call);
  }

  List<Reference> macroCalls() {
    return List.copyOf(macroCalls);
  }

  /** Whether this file defines a function named {@code name}. */
  boolean defines(String name) {
    return functions.containsKey(name);
  }

  CToken token(int index) {
    return file.code().get(index);
  }

  String callerFunction(Reference reference) {
    return reference.function().orElse("<file scope>");
  }

  FunctionDefinition definition(String function) {
    return functions.get(function);
  }

  /** Declares {@code gate}, of {@code callee}'s type, before the item starting at {@code itemStart}. */
  void declare(int itemStart, String gate, String callee) {
    declarations.computeIfAbsent(itemStart, offset -> new LinkedHashMap<>()).putIfAbsent(gate, callee);
  }

  /** Declares static {@code function} before the item starting at {@code itemStart}, which uses it. */
  void declareStatic(int itemStart, String function, String prototype) {
    declarations.computeIfAbsent(itemStart, offset -> new LinkedHashMap<>())
        .putIfAbsent("static " + function, prototype);
  }

  /**
   * The file's text with the edits applied, each item's gate declarations on lines of their own
   * just before it and, if an edit needs it, the runtime's prototypes at the top.
   */
  SourceRewriter.Result result() {
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
      edits.insert(0, SourceRewriter.RUNTIME_PRELUDE);
    }
    String text = edits.isEmpty() ? file.text() : edits.applyTo(file.text());
    return new SourceRewriter.Result(text, sites, shared, notes, entryPoints);
  }

  private int lineStart(int offset) {
    int start = file.text().lastIndexOf('\n', offset - 1) + 1;
    return file.text().substring(start, offset).isBlank() ? start : offset;
  }

  GateSite site(CToken token, String caller, int gateCompartment, String calleeLibrary,
      String function, String gate, GateSite.Kind kind) {
    return new GateSite(file.path(), token.line(), token.column(), library, caller, gateCompartment,
        calleeLibrary, function, gate, kind, GateSite.Level.SOURCE, 1);
  }

  String position(CToken token) {
    return file.path() + ":" + token.line() + ":" + token.column();
  }

  /** The arguments of the call whose name is at {@code nameIndex}: token ranges [from, to). */
  List<int[]> arguments(int nameIndex) {
    return arguments(file.code(), nameIndex + 1);
  }

  /** The arguments of the call of the function pointer at {@code nameIndex}, written {@code (*name)(...)}. */
  List<int[]> argumentsAfterDereference(int nameIndex) {
    return arguments(file.code(), nameIndex + 2);
  }

  /**
   * The arguments of the parenthesised list opening at {@code open} in {@code tokens}, as token
   * ranges [from, to); the last element is {@code {close, close}}, where the list ends.
   */
  static List<int[]> argumentsAndEnd(List<CToken> tokens, int open) {
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
}
