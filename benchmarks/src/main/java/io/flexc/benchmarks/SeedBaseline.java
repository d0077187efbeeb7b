package io.flexc.benchmarks;

import io.flexc.model.Behaviour;
import io.flexc.model.Configuration;
import io.flexc.model.Constraint;
import io.flexc.solver.Compatibility;
import io.flexc.solver.ConfigurationChecker;
import io.flexc.solver.HardeningSpace;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.PolicyRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.jgrapht.Graph;
import org.jgrapht.alg.interfaces.VertexColoringAlgorithm;
import org.jgrapht.alg.color.SaturationDegreeColoring;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;

/**
 * The seed's algorithm, as the baseline: for every combination of per-library hardening (each
 * library takes one of the need-closed subsets of the allowed mechanisms, {@link
 * HardeningSpace#choices()}), build the conflict graph under that combination with {@link
 * Compatibility#compatible}, colour it, and keep the best by (colours, hardening cost).
 *
 * <p>The colouring is JGraphT's DSatur ({@link SaturationDegreeColoring}), a heuristic as the
 * seed's was: the baseline's answer is an upper bound, not a proven optimum. Rules are honoured
 * the way the seed would have to: {@code isolate} and {@code apart} add conflict edges, a library
 * the backend trusts only takes the choices that leave it neither {@code WA} nor {@code XA} (so
 * such combinations are not even counted), and a colouring over a compartment limit is discarded. {@code together} and {@code pin} are not
 * supported (the generator writes none).
 *
 * <p>The run stops at a wall-clock cap. It also stops early, once it has run for {@code sample}
 * and its projected total exceeds 100 times the cap: it cannot finish, and the rate is measured.
 */
public final class SeedBaseline {

  /**
   * What a run did.
   *
   * @param finished whether every combination was tried
   * @param tried combinations tried
   * @param log10Total log10 of the number of combinations, the product of each library's choices
   * @param nanos wall-clock time spent
   * @param best the best configuration found, checked by {@link ConfigurationChecker}
   * @param compartments its compartments (0 when none)
   * @param hardeningCost its hardening cost
   */
  public record Result(
      boolean finished,
      long tried,
      double log10Total,
      long nanos,
      Optional<Configuration> best,
      int compartments,
      int hardeningCost) {

    /** Combinations per second. */
    public double rate() {
      return tried / (nanos / 1e9);
    }

    /** log10 of the seconds all combinations would take at the measured rate. */
    public double log10ExtrapolatedSeconds() {
      return log10Total - Math.log10(rate());
    }
  }

  private final PlacementProblem problem;
  private final List<String> libraries;
  private final List<Set<String>> choices;
  private final int[] costOfChoice;
  private final List<int[]> ruleEdges = new ArrayList<>();
  /** Per library, the indices into {@link #choices} it may take. */
  private final int[][] allowed;
  private final int compartmentLimit;

  public SeedBaseline(PlacementProblem problem) {
    this.problem = problem;
    this.libraries = problem.libraries();
    HardeningSpace hardening = problem.hardening();
    this.choices = hardening.choices();
    this.costOfChoice = choices.stream().mapToInt(hardening::cost).toArray();
    int limit = Integer.MAX_VALUE;
    this.allowed = new int[libraries.size()][];
    for (int a = 0; a < libraries.size(); a++) {
      allowed[a] = IntStream.range(0, choices.size()).toArray();
    }
    for (PolicyRule rule : problem.rules()) {
      switch (rule) {
        case PolicyRule.CompartmentLimit backendLimit -> limit = Math.min(limit, backendLimit.limit());
        case PolicyRule.CostBudget budget ->
            throw new UnsupportedOperationException("the baseline has no budget: " + budget.describe());
        case PolicyRule.TrustedLibrary trusted -> {
          // The trusted library only takes the choices that leave it neither WA nor XA.
          allowed[libraries.indexOf(trusted.library())] =
              IntStream.range(0, choices.size())
                  .filter(c -> {
                    Set<Behaviour> left = hardening.effectiveBehaviours(
                        problem.application().library(trusted.library()), choices.get(c));
                    return !left.contains(Behaviour.WRITE_ANY) && !left.contains(Behaviour.EXECUTE_ANY);
                  })
                  .toArray();
        }
        case PolicyRule.UserConstraint user -> {
          switch (user.constraint()) {
            case Constraint.Isolate isolate -> {
              int a = libraries.indexOf(isolate.library());
              for (int b = 0; b < libraries.size(); b++) {
                if (b != a) {
                  ruleEdges.add(new int[] {a, b});
                }
              }
            }
            case Constraint.Apart apart -> {
              for (int i = 0; i < apart.libraries().size(); i++) {
                for (int j = i + 1; j < apart.libraries().size(); j++) {
                  ruleEdges.add(new int[] {
                      libraries.indexOf(apart.libraries().get(i)), libraries.indexOf(apart.libraries().get(j))});
                }
              }
            }
            case Constraint.MaxCompartments max -> limit = Math.min(limit, max.limit());
            case Constraint.Together together ->
                throw new UnsupportedOperationException("the baseline has no together: " + together.describe());
            case Constraint.Pin pin ->
                throw new UnsupportedOperationException("the baseline has no pins: " + pin.describe());
          }
        }
      }
    }
    this.compartmentLimit = limit;
  }

  /** Runs until every combination is tried or {@code cap} has passed. */
  public Result run(Duration cap, Duration sample) {
    int n = libraries.size();
    double log10Total = 0;
    for (int[] options : allowed) {
      log10Total += Math.log10(options.length);
    }
    Compatibility compatibility = problem.compatibility();
    long start = System.nanoTime();
    long capNanos = cap.toNanos();
    long sampleNanos = sample.toNanos();
    int[] combination = new int[n];
    long tried = 0;
    int bestColours = Integer.MAX_VALUE;
    int bestCost = Integer.MAX_VALUE;
    Map<String, Integer> bestColouring = null;
    int[] bestCombination = null;
    boolean finished = false;
    while (true) {
      tried++;
      int[] choice = new int[n];
      for (int a = 0; a < n; a++) {
        choice[a] = allowed[a][combination[a]];
      }
      Graph<String, DefaultEdge> graph = new SimpleGraph<>(DefaultEdge.class);
      libraries.forEach(graph::addVertex);
      for (int a = 0; a < n; a++) {
        for (int b = a + 1; b < n; b++) {
          if (!compatibility.compatible(
              libraries.get(a), choices.get(choice[a]), libraries.get(b), choices.get(choice[b]))) {
            graph.addEdge(libraries.get(a), libraries.get(b));
          }
        }
      }
      for (int[] edge : ruleEdges) {
        graph.addEdge(libraries.get(edge[0]), libraries.get(edge[1]));
      }
      VertexColoringAlgorithm.Coloring<String> colouring = new SaturationDegreeColoring<>(graph).getColoring();
      int colours = colouring.getNumberColors();
      int cost = 0;
      for (int a = 0; a < n; a++) {
        cost += costOfChoice[choice[a]];
      }
      if (colours <= compartmentLimit
          && (colours < bestColours || (colours == bestColours && cost < bestCost))) {
        bestColours = colours;
        bestCost = cost;
        bestColouring = colouring.getColors();
        bestCombination = choice;
      }
      int position = 0;
      while (position < n && ++combination[position] == allowed[position].length) {
        combination[position++] = 0;
      }
      if (position == n) {
        finished = true;
        break;
      }
      long elapsed = System.nanoTime() - start;
      if (elapsed >= capNanos) {
        break;
      }
      if (elapsed >= sampleNanos) {
        double projected = log10Total - Math.log10(tried / (elapsed / 1e9));
        if (projected > Math.log10(100.0 * capNanos / 1e9)) {
          break;
        }
      }
    }
    long nanos = System.nanoTime() - start;
    Optional<Configuration> best = Optional.empty();
    if (bestColouring != null) {
      Map<Integer, Integer> canonical = new HashMap<>();
      Map<String, Integer> compartments = new LinkedHashMap<>();
      Map<String, Set<String>> hardening = new LinkedHashMap<>();
      for (int a = 0; a < n; a++) {
        String library = libraries.get(a);
        int colour = bestColouring.get(library);
        compartments.put(library, canonical.computeIfAbsent(colour, c -> canonical.size()));
        hardening.put(library, choices.get(bestCombination[a]));
      }
      Configuration configuration = new Configuration(compartments, hardening);
      List<String> problems = new ConfigurationChecker(problem).problems(configuration);
      if (!problems.isEmpty()) {
        throw new IllegalStateException("the baseline produced an invalid configuration: " + problems);
      }
      best = Optional.of(configuration);
    }
    return new Result(
        finished,
        tried,
        log10Total,
        nanos,
        best,
        best.isPresent() ? bestColours : 0,
        best.isPresent() ? bestCost : 0);
  }
}
