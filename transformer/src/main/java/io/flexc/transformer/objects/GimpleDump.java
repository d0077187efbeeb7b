package io.flexc.transformer.objects;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions of one translation unit as gcc's {@code -fdump-tree-optimized} shows them after
 * inlining, each with the names it refers to and how often per call of the function, by gcc's static
 * profile: the {@code [local count: N]} of the referring basic block over the entry block's (gcc's
 * branch-probability estimate, which counts a loop body about ten times, a rarely taken branch
 * rarely). A reference is a call ({@code f (...)}) or an address (a function named as a value,
 * e.g. a callback passed on).
 */
public record GimpleDump(Map<String, Function> functions) {

  /** One referring place: {@code name} is called, or its address taken, {@code perCall} times per call. */
  public record Reference(String name, boolean isCall, double perCall) {}

  public record Function(String name, List<Reference> references) {
    public Function {
      references = List.copyOf(references);
    }
  }

  /** Functions in the dump's order, which the call graph's traversal follows (deterministic results). */
  public GimpleDump {
    functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions));
  }

  private static final Pattern HEADER = Pattern.compile("^;; Function (\\S+) \\(");
  private static final Pattern BLOCK = Pattern.compile("^\\s*<bb \\d+>\\s*(?:\\[(?:local )?count: (\\d+)[^]]*])?\\s*:");
  private static final Pattern CALL = Pattern.compile("^\\s*(?:[^=(]+ = )?([A-Za-z_][\\w.]*) \\(");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.>])[A-Za-z_][\\w.]*");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  /** What GIMPLE adds that is not a name of the program: default definitions, block labels. */
  private static final Pattern NOTATION = Pattern.compile("\\(D\\)|<bb \\d+>");
  private static final Pattern SSA_NAME = Pattern.compile(".*_\\d+");
  private static final List<String> KEYWORDS = List.of("if", "switch", "return", "goto", "else");

  public static GimpleDump parse(String text) {
    Map<String, Function> functions = new LinkedHashMap<>();
    String current = null;
    List<Reference> references = new ArrayList<>();
    double entry = 0;
    double block = 0;
    boolean inBody = false;
    Set<String> declared = new HashSet<>();
    for (String line : text.split("\n", -1)) {
      Matcher header = HEADER.matcher(line);
      if (header.find()) {
        if (current != null) {
          functions.merge(current, new Function(current, references), GimpleDump::merged);
        }
        current = header.group(1);
        references = new ArrayList<>();
        entry = 0;
        inBody = false;
        declared = new HashSet<>();
        continue;
      }
      if (current == null) {
        continue;
      }
      Matcher bb = BLOCK.matcher(line);
      if (bb.find()) {
        // A block without a count (gcc had no estimate) counts as often as the entry.
        double count = bb.group(1) == null ? Math.max(entry, 1) : Double.parseDouble(bb.group(1));
        if (!inBody) {
          entry = Math.max(count, 1);
          inBody = true;
        }
        block = count;
        continue;
      }
      if (!inBody) {
        // The signature and the local declarations: names here are parameters and variables,
        // which may share a name with a function of another library.
        Matcher names = IDENTIFIER.matcher(line);
        while (names.find()) {
          declared.add(names.group());
        }
        continue;
      }
      if (line.startsWith(";;") || line.strip().startsWith("#")) {
        continue;
      }
      double perCall = block / entry;
      String statement = NOTATION.matcher(STRING.matcher(line).replaceAll("\"\"")).replaceAll("");
      String called = null;
      Matcher call = CALL.matcher(statement);
      if (call.find() && !KEYWORDS.contains(call.group(1))) {
        called = call.group(1);
        references.add(new Reference(called, true, perCall));
      }
      Matcher names = IDENTIFIER.matcher(statement);
      boolean first = true;
      while (names.find()) {
        String name = names.group();
        if (first && name.equals(called)) {
          first = false;
          continue;
        }
        if (!KEYWORDS.contains(name) && !isTemporary(name) && !declared.contains(name)) {
          references.add(new Reference(name, false, perCall));
        }
      }
    }
    if (current != null) {
      functions.merge(current, new Function(current, references), GimpleDump::merged);
    }
    return new GimpleDump(functions);
  }

  /** SSA names ({@code x_3}, {@code _7}) and labels are not functions; plain names may be. */
  private static boolean isTemporary(String name) {
    return name.startsWith("_") || SSA_NAME.matcher(name).matches();
  }

  private static Function merged(Function a, Function b) {
    List<Reference> all = new ArrayList<>(a.references());
    all.addAll(b.references());
    return new Function(a.name(), all);
  }
}
