package io.flexc.solver;

import io.flexc.model.Configuration;
import io.flexc.model.Constraint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jgrapht.Graph;
import org.jgrapht.alg.clique.PivotBronKerboschCliqueFinder;
import org.jgrapht.alg.color.SaturationDegreeColoring;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;

/**
 * Bounds on the number of compartments from graph colouring, which seed the constraint search.
 *
 * <p>Lower: a clique of libraries that must be pairwise apart whatever the hardening (incompatible
 * even with every allowed mechanism applied, or kept apart by a rule). Upper: a DSatur colouring
 * of the conflicts left with the least hardening the backend demands, with together-groups
 * contracted; it counts only when the independent checker accepts the configuration it gives.
 *
 * @param clique the libraries that prove the lower bound
 * @param colouring a valid configuration with few compartments, when one was found
 */
public record CompartmentBounds(int lower, List<String> clique, Optional<Configuration> colouring) {

  private static final long CLIQUE_SEARCH_SECONDS = 2;

  public CompartmentBounds {
    clique = List.copyOf(clique);
  }

  public Optional<Integer> upper() {
    return colouring.map(Configuration::compartmentCount);
  }

  public static CompartmentBounds of(PlacementProblem problem) {
    List<String> clique = largestClique(problem);
    return new CompartmentBounds(Math.max(1, clique.size()), clique, colouring(problem));
  }

  private static List<String> largestClique(PlacementProblem problem) {
    List<Set<String>> choices = problem.hardening().choices();
    Set<String> strongest = choices.get(choices.size() - 1);
    Graph<String, DefaultEdge> graph = conflictGraph(problem, library -> strongest);
    Iterator<Set<String>> largest =
        new PivotBronKerboschCliqueFinder<>(graph, CLIQUE_SEARCH_SECONDS, TimeUnit.SECONDS).maximumIterator();
    if (!largest.hasNext()) {
      return List.of();
    }
    List<String> clique = new ArrayList<>(largest.next());
    clique.sort(Comparator.comparingInt(problem.libraries()::indexOf));
    return clique;
  }

  private static Optional<Configuration> colouring(PlacementProblem problem) {
    Map<String, Set<String>> baseline = baselineHardening(problem);
    if (baseline == null) {
      return Optional.empty();
    }
    Map<String, String> group = togetherGroups(problem);
    Graph<String, DefaultEdge> conflicts = conflictGraph(problem, baseline::get);
    Graph<String, DefaultEdge> contracted = new SimpleGraph<>(DefaultEdge.class);
    group.values().forEach(contracted::addVertex);
    for (DefaultEdge edge : conflicts.edgeSet()) {
      String a = group.get(conflicts.getEdgeSource(edge));
      String b = group.get(conflicts.getEdgeTarget(edge));
      if (a.equals(b)) {
        return Optional.empty();
      }
      contracted.addEdge(a, b);
    }
    Map<String, Integer> colours = new SaturationDegreeColoring<>(contracted).getColoring().getColors();
    Map<String, Integer> compartments = new LinkedHashMap<>();
    problem.libraries().forEach(library -> compartments.put(library, colours.get(group.get(library))));
    Configuration configuration = Configuration.numberedInOrder(compartments, baseline);
    return new ConfigurationChecker(problem).problems(configuration).isEmpty()
        ? Optional.of(configuration)
        : Optional.empty();
  }

  /**
   * The cheapest hardening each library needs whatever its placement: none, except what the
   * backend demands of the libraries it trusts; null when a trusted library cannot be made safe.
   */
  private static Map<String, Set<String>> baselineHardening(PlacementProblem problem) {
    Map<String, Set<String>> baseline = new LinkedHashMap<>();
    problem.libraries().forEach(library -> baseline.put(library, Set.of()));
    for (PolicyRule rule : problem.rules()) {
      if (rule instanceof PolicyRule.TrustedLibrary trusted) {
        Optional<Set<String>> cheapest =
            problem.hardening().choices().stream()
                .filter(choice -> PolicyRule.TrustedLibrary.trustworthy(problem.hardening()
                    .effectiveBehaviours(problem.application().library(trusted.library()), choice)))
                .min(Comparator.comparingInt(problem.hardening()::cost));
        if (cheapest.isEmpty()) {
          return null;
        }
        baseline.put(trusted.library(), cheapest.get());
      }
    }
    return baseline;
  }

  /** Each library's group representative, merging libraries that rules keep together. */
  private static Map<String, String> togetherGroups(PlacementProblem problem) {
    Map<String, String> parent = new HashMap<>();
    problem.libraries().forEach(library -> parent.put(library, library));
    List<Constraint.Pin> pins = new ArrayList<>();
    for (PolicyRule rule : problem.rules()) {
      if (rule instanceof PolicyRule.UserConstraint(Constraint.Together together)) {
        together.libraries().forEach(library -> union(parent, together.libraries().get(0), library));
      } else if (rule instanceof PolicyRule.UserConstraint(Constraint.Pin pin)) {
        pins.add(pin);
      }
    }
    for (Constraint.Pin a : pins) {
      for (Constraint.Pin b : pins) {
        if (a.compartment() == b.compartment()) {
          union(parent, a.library(), b.library());
        }
      }
    }
    Map<String, String> group = new LinkedHashMap<>();
    problem.libraries().forEach(library -> group.put(library, find(parent, library)));
    return group;
  }

  private static void union(Map<String, String> parent, String a, String b) {
    parent.put(find(parent, a), find(parent, b));
  }

  private static String find(Map<String, String> parent, String library) {
    String root = library;
    while (!parent.get(root).equals(root)) {
      root = parent.get(root);
    }
    return root;
  }

  /** Libraries joined when they may not share a compartment with the given hardening. */
  private static Graph<String, DefaultEdge> conflictGraph(
      PlacementProblem problem, Function<String, Set<String>> hardening) {
    Graph<String, DefaultEdge> graph = new SimpleGraph<>(DefaultEdge.class);
    List<String> libraries = problem.libraries();
    libraries.forEach(graph::addVertex);
    for (int i = 0; i < libraries.size(); i++) {
      for (int j = i + 1; j < libraries.size(); j++) {
        String a = libraries.get(i);
        String b = libraries.get(j);
        if (!problem.compatibility().compatible(a, hardening.apply(a), b, hardening.apply(b))) {
          graph.addEdge(a, b);
        }
      }
    }
    List<Constraint.Pin> pins = new ArrayList<>();
    for (PolicyRule rule : problem.rules()) {
      if (rule instanceof PolicyRule.UserConstraint(Constraint constraint)) {
        switch (constraint) {
          case Constraint.Apart apart -> allPairs(graph, apart.libraries());
          case Constraint.Isolate isolate ->
              libraries.stream().filter(other -> !other.equals(isolate.library()))
                  .forEach(other -> graph.addEdge(isolate.library(), other));
          case Constraint.Pin pin -> pins.add(pin);
          case Constraint.Together together -> { }
          case Constraint.MaxCompartments max -> { }
        }
      }
    }
    for (Constraint.Pin a : pins) {
      for (Constraint.Pin b : pins) {
        if (a.compartment() != b.compartment()) {
          graph.addEdge(a.library(), b.library());
        }
      }
    }
    return graph;
  }

  private static void allPairs(Graph<String, DefaultEdge> graph, List<String> libraries) {
    for (int i = 0; i < libraries.size(); i++) {
      for (int j = i + 1; j < libraries.size(); j++) {
        graph.addEdge(libraries.get(i), libraries.get(j));
      }
    }
  }
}
