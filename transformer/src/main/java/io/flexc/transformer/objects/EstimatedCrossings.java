package io.flexc.transformer.objects;

import io.flexc.model.Application;
import io.flexc.model.LibrarySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How often each library would call into each other one in a run of the program, estimated from
 * the compiled code alone, for choosing a configuration when no call profile was recorded.
 *
 * <p>Each library's files are compiled as the build compiles them, with {@code
 * -fdump-tree-optimized}: after inlining, every remaining call and every function named as a value
 * (a callback handed on) sits in a basic block whose count gcc's static branch-probability
 * estimate gives relative to the function's entry, so a call inside a loop weighs about ten times
 * one outside and a call on an error branch little. How often a function runs is then propagated
 * along the call graph from {@code main} (once per run; functions nothing calls count once too), a
 * recursive call counting as its first entry only. A crossing weighs its function's frequency
 * times its block's. The result is an estimate per run of the program, comparable between library
 * pairs, not a count of calls.
 */
public final class EstimatedCrossings {

  /** {@code caller} refers to {@code callee}'s functions about {@code perRun} times per run. */
  public record Crossing(String caller, String callee, double perRun) {}

  private record Node(String library, String function) {}

  private record Edge(Node from, Node to, double perCall) {}

  private EstimatedCrossings() {}

  /**
   * The estimated crossings between the application's libraries, heaviest first; {@link
   * IOException} when a file does not compile with its flags (its compiler's first errors).
   */
  public static List<Crossing> estimate(Application application, int parallelism)
      throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("flexc-weights");
    try {
      return crossings(dumps(application, parallelism, work));
    } finally {
      try (Stream<Path> walk = Files.walk(work)) {
        for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  /** Each library's functions, merged over its files, in flexc.yaml's library order. */
  private static Map<String, Map<String, GimpleDump.Function>> dumps(
      Application application, int parallelism, Path work) throws IOException, InterruptedException {
    LibraryCompileCommands commands = new LibraryCompileCommands(application);
    List<Compiler.Job> jobs = new ArrayList<>();
    List<String> libraryOfJob = new ArrayList<>();
    List<Path> dumpOfJob = new ArrayList<>();
    for (LibrarySpec library : application.spec().libraries()) {
      for (Path source : library.sources()) {
        int index = jobs.size();
        Path dump = work.resolve(index + ".optimized");
        Path absolute = source.toAbsolutePath().normalize();
        jobs.add(new Compiler.Job(
            commands.commandFor(library, absolute, List.of("-fdump-tree-optimized=" + dump)),
            absolute, work.resolve(index + ".o"), null));
        libraryOfJob.add(library.name());
        dumpOfJob.add(dump);
      }
    }
    Map<String, Map<String, GimpleDump.Function>> functions = new LinkedHashMap<>();
    application.spec().libraries().forEach(library -> functions.put(library.name(), new LinkedHashMap<>()));
    List<Compiler.Result> results = new Compiler(parallelism).compileAll(jobs);
    for (int i = 0; i < results.size(); i++) {
      Compiler.Result result = results.get(i);
      if (!result.succeeded() || !Files.isRegularFile(dumpOfJob.get(i))) {
        throw new IOException(result.job().source() + " does not compile with its flags: "
            + result.messages().lines().filter(line -> line.contains("error")).limit(5).toList());
      }
      GimpleDump dump = GimpleDump.parse(Files.readString(dumpOfJob.get(i), StandardCharsets.UTF_8));
      functions.get(libraryOfJob.get(i)).putAll(dump.functions());
    }
    return functions;
  }

  static List<Crossing> crossings(Map<String, Map<String, GimpleDump.Function>> functions) {
    Map<String, String> ownerOf = new HashMap<>();
    functions.forEach((library, defined) -> defined.keySet().forEach(name -> ownerOf.putIfAbsent(name, library)));
    List<Node> nodes = new ArrayList<>();
    Map<Node, List<Edge>> out = new LinkedHashMap<>();
    Set<Node> called = new HashSet<>();
    functions.forEach((library, defined) -> defined.values().forEach(function -> {
      Node from = new Node(library, function.name());
      nodes.add(from);
      List<Edge> edges = out.computeIfAbsent(from, node -> new ArrayList<>());
      for (GimpleDump.Reference reference : function.references()) {
        // A name resolves to the library's own function first, as the linker would.
        String owner = defined.containsKey(reference.name()) ? library : ownerOf.get(reference.name());
        if (owner != null) {
          Node to = new Node(owner, reference.name());
          edges.add(new Edge(from, to, reference.perCall()));
          if (!to.equals(from)) {
            called.add(to);
          }
        }
      }
    }));
    Map<Node, Double> frequency = frequencies(nodes, out, called);
    Map<List<String>, Double> perPair = new LinkedHashMap<>();
    for (Node node : nodes) {
      for (Edge edge : out.get(node)) {
        if (!edge.to().library().equals(node.library())) {
          perPair.merge(List.of(node.library(), edge.to().library()),
              frequency.get(node) * edge.perCall(), Double::sum);
        }
      }
    }
    List<Crossing> crossings = new ArrayList<>();
    perPair.forEach((pair, perRun) -> crossings.add(new Crossing(pair.get(0), pair.get(1), perRun)));
    crossings.sort(Comparator.comparingDouble(Crossing::perRun).reversed());
    return List.copyOf(crossings);
  }

  /**
   * How often each function runs per run of the program: {@code main} and every function nothing
   * else refers to once, plus what its callers' frequencies times their blocks' give; edges back into
   * a function still being visited (recursion) are left out, so the rest is a DAG summed in
   * topological order.
   */
  private static Map<Node, Double> frequencies(List<Node> nodes, Map<Node, List<Edge>> out, Set<Node> called) {
    List<Node> starts = new ArrayList<>();
    nodes.stream().filter(node -> node.function().equals("main")).forEach(starts::add);
    nodes.stream().filter(node -> !called.contains(node) && !starts.contains(node)).forEach(starts::add);
    starts.addAll(nodes);
    Map<Node, Integer> state = new HashMap<>();
    List<Node> postOrder = new ArrayList<>();
    Set<Edge> back = new HashSet<>();
    for (Node start : starts) {
      if (state.containsKey(start)) {
        continue;
      }
      Deque<Node> stack = new ArrayDeque<>();
      Deque<Integer> next = new ArrayDeque<>();
      stack.push(start);
      next.push(0);
      state.put(start, 1);
      while (!stack.isEmpty()) {
        Node node = stack.peek();
        int index = next.pop();
        List<Edge> edges = out.getOrDefault(node, List.of());
        if (index < edges.size()) {
          next.push(index + 1);
          Edge edge = edges.get(index);
          Integer seen = state.get(edge.to());
          if (seen == null) {
            state.put(edge.to(), 1);
            stack.push(edge.to());
            next.push(0);
          } else if (seen == 1) {
            back.add(edge);
          }
        } else {
          stack.pop();
          state.put(node, 2);
          postOrder.add(node);
        }
      }
    }
    Map<Node, Double> frequency = new HashMap<>();
    for (Node node : nodes) {
      frequency.put(node, node.function().equals("main") || !called.contains(node) ? 1.0 : 0.0);
    }
    for (int i = postOrder.size() - 1; i >= 0; i--) {
      Node node = postOrder.get(i);
      for (Edge edge : out.getOrDefault(node, List.of())) {
        if (!back.contains(edge)) {
          frequency.merge(edge.to(), frequency.get(node) * edge.perCall(), Double::sum);
        }
      }
    }
    return frequency;
  }
}
