package io.flexc.solver;

import io.flexc.model.Configuration;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.LongConsumer;
import org.chocosolver.solver.Solution;
import org.chocosolver.solver.Solver;

/**
 * Enumerates every valid configuration with the same constraint model the solver optimises over,
 * then builds the safety order's Hasse diagram, the Pareto front and the budget's safest picks.
 *
 * <p>The Hasse diagram needs no pairwise comparison. Safety is a product order: partitions by
 * refinement times, per library, need-closed hardening sets by inclusion. Each rule is either
 * preserved by going safer (compatibility, isolate, apart, the MPK trust rule) or by going less
 * safe (together, pins, compartment limits), so the valid configurations form a convex subset of
 * that product, and in a convex subset the covers are exactly the product's covers between valid
 * configurations: split one block in two, or give one library its next hardening step. Every
 * configuration's candidate covers are generated and looked up, which is linear in the size of the
 * diagram. Costs only grow going safer, so the budget's set is closed downwards and its safest
 * configurations are those whose every cover exceeds the budget.
 */
public final class DesignSpaceExplorer {

  private final PlacementProblem problem;
  private final List<String> libraries;
  private final List<Set<String>> choices;
  private final List<List<Integer>> choiceCovers;

  public DesignSpaceExplorer(PlacementProblem problem) {
    this.problem = problem;
    this.libraries = problem.libraries();
    this.choices = problem.hardening().choices();
    this.choiceCovers = choiceCovers(choices);
  }

  /**
   * Explores the space, giving up politely past {@code limit} configurations; {@code progress}
   * hears the running count every thousand configurations.
   */
  public ExploreResult explore(long limit, OptionalDouble budget, LongConsumer progress) {
    ConfigurationModel model = new ConfigurationModel(problem, problem.rules());
    Solver solver = model.model.getSolver();
    Solution solution = model.newSolution();
    List<DesignPoint> points = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    while (solver.solve()) {
      if (points.size() == limit) {
        return new ExploreResult.TooLarge(limit, candidateCount());
      }
      solution.record();
      Configuration configuration = model.decode(solution);
      int id = points.size();
      points.add(new DesignPoint(
          id, configuration, problem.costs().cost(configuration), Safety.of(configuration, problem.hardening(),
          problem.application().spec().trust())));
      index.put(key(assignment(configuration), hardening(configuration)), id);
      if (points.size() % 1000 == 0) {
        progress.accept(points.size());
      }
    }
    progress.accept(points.size());
    List<DesignSpace.Cover> covers = new ArrayList<>();
    List<Integer> safest = new ArrayList<>();
    for (DesignPoint point : points) {
      List<Integer> upper = upperCovers(point.configuration(), index);
      upper.forEach(safer -> covers.add(new DesignSpace.Cover(point.id(), safer)));
      if (budget.isPresent() && point.cost().total() <= budget.getAsDouble()
          && upper.stream().allMatch(safer -> points.get(safer).cost().total() > budget.getAsDouble())) {
        safest.add(point.id());
      }
    }
    safest.sort(Comparator.comparing((Integer id) -> points.get(id).safety()).reversed()
        .thenComparing(id -> points.get(id).cost().total()));
    return new ExploreResult.Explored(new DesignSpace(points, covers, paretoFront(points), budget, safest));
  }

  /**
   * The configurations no other beats on both safety score and cost, cheapest first: walking up
   * the costs, a configuration is on the front when it is safer than everything cheaper.
   */
  private static List<Integer> paretoFront(List<DesignPoint> points) {
    List<DesignPoint> byCost = new ArrayList<>(points);
    byCost.sort(Comparator.comparingDouble((DesignPoint point) -> point.cost().total())
        .thenComparing(DesignPoint::safety, Comparator.reverseOrder()));
    List<Integer> front = new ArrayList<>();
    Safety best = null;
    for (DesignPoint point : byCost) {
      if (best == null || point.safety().compareTo(best) > 0) {
        front.add(point.id());
        best = point.safety();
      }
    }
    return front;
  }

  /** The valid configurations that immediately refine {@code configuration}. */
  private List<Integer> upperCovers(Configuration configuration, Map<String, Integer> index) {
    int[] assignment = assignment(configuration);
    int[] hardening = hardening(configuration);
    List<Integer> covers = new ArrayList<>();
    for (int[] split : splits(assignment)) {
      Integer id = index.get(key(split, hardening));
      if (id != null) {
        covers.add(id);
      }
    }
    for (int library = 0; library < hardening.length; library++) {
      for (int next : choiceCovers.get(hardening[library])) {
        int[] harder = hardening.clone();
        harder[library] = next;
        Integer id = index.get(key(assignment, harder));
        if (id != null) {
          covers.add(id);
        }
      }
    }
    return covers;
  }

  /** Every way to split one compartment in two, renumbered canonically. */
  private static List<int[]> splits(int[] assignment) {
    int compartments = 0;
    for (int compartment : assignment) {
      compartments = Math.max(compartments, compartment + 1);
    }
    List<int[]> splits = new ArrayList<>();
    for (int block = 0; block < compartments; block++) {
      List<Integer> members = new ArrayList<>();
      for (int library = 0; library < assignment.length; library++) {
        if (assignment[library] == block) {
          members.add(library);
        }
      }
      // The first member stays; every non-empty subset of the others moves out, once each.
      int others = members.size() - 1;
      for (long mask = 1; mask < (1L << others); mask++) {
        int[] split = assignment.clone();
        for (int k = 0; k < others; k++) {
          if ((mask & (1L << k)) != 0) {
            split[members.get(k + 1)] = compartments;
          }
        }
        splits.add(canonical(split));
      }
    }
    return splits;
  }

  /** The same partition numbered by first appearance, as the model's symmetry breaking does. */
  private static int[] canonical(int[] assignment) {
    Map<Integer, Integer> renumbered = new LinkedHashMap<>();
    int[] result = new int[assignment.length];
    for (int i = 0; i < assignment.length; i++) {
      result[i] = renumbered.computeIfAbsent(assignment[i], old -> renumbered.size());
    }
    return result;
  }

  private int[] assignment(Configuration configuration) {
    return libraries.stream().mapToInt(configuration::compartmentOf).toArray();
  }

  private int[] hardening(Configuration configuration) {
    return libraries.stream().mapToInt(library -> choices.indexOf(configuration.hardeningOf(library))).toArray();
  }

  private static String key(int[] assignment, int[] hardening) {
    StringBuilder key = new StringBuilder(assignment.length * 2);
    for (int i = 0; i < assignment.length; i++) {
      key.append((char) assignment[i]).append((char) hardening[i]);
    }
    return key.toString();
  }

  /** For each hardening choice, the choices that add the least to it. */
  private static List<List<Integer>> choiceCovers(List<Set<String>> choices) {
    List<List<Integer>> covers = new ArrayList<>();
    for (Set<String> lower : choices) {
      List<Integer> above = new ArrayList<>();
      for (int j = 0; j < choices.size(); j++) {
        Set<String> upper = choices.get(j);
        if (upper.size() > lower.size() && upper.containsAll(lower)
            && choices.stream().noneMatch(middle -> middle.size() > lower.size() && middle.size() < upper.size()
                && middle.containsAll(lower) && upper.containsAll(middle))) {
          above.add(j);
        }
      }
      covers.add(List.copyOf(above));
    }
    return covers;
  }

  /** Bell(n) partitions times the hardening choices of n libraries, before any rule. */
  private String candidateCount() {
    int n = libraries.size();
    BigInteger[] row = {BigInteger.ONE};
    for (int i = 1; i <= n; i++) {
      BigInteger[] next = new BigInteger[i + 1];
      next[0] = row[row.length - 1];
      for (int j = 1; j <= i; j++) {
        next[j] = next[j - 1].add(row[j - 1]);
      }
      row = next;
    }
    BigInteger bell = row[0];
    return bell.multiply(BigInteger.valueOf(choices.size()).pow(n)).toString();
  }
}
