package io.flexc.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.flexc.model.Configuration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The explorer against brute force on generated problems: the same valid configurations, exactly
 * the Hasse diagram of the safety order (computed here by comparing every pair), the Pareto front
 * and the safest configurations within a budget as their definitions say.
 */
class DesignSpaceExplorerTest {

  @Test
  void matchesBruteForceOnGeneratedProblems() {
    for (long seed = 0; seed < 150; seed++) {
      PlacementProblem problem = RandomApplications.problem(seed, 4, 2);
      List<Configuration> valid = BruteForce.validConfigurations(problem);
      double budget = valid.stream().mapToDouble(c -> problem.costs().cost(c).total()).average().orElse(0);
      ExploreResult result = new DesignSpaceExplorer(problem).explore(1_000_000, OptionalDouble.of(budget), n -> {});
      DesignSpace space = assertInstanceOf(ExploreResult.Explored.class, result).space();
      List<Configuration> found = space.points().stream().map(DesignPoint::configuration).toList();
      assertEquals(new HashSet<>(valid), new HashSet<>(found), "seed " + seed + ": the valid configurations");
      assertEquals(hasse(found), covers(space), "seed " + seed + ": the Hasse diagram");
      assertEquals(pareto(space), new HashSet<>(space.pareto()), "seed " + seed + ": the Pareto front");
      assertEquals(safestWithin(budget, space), new HashSet<>(space.safestWithinBudget()),
          "seed " + seed + ": the safest within the budget");
    }
  }

  @Test
  void refusesSpacesBeyondTheLimit() {
    PlacementProblem problem = RandomApplications.problem(3, 4, 2);
    int size = BruteForce.validConfigurations(problem).size();
    assertInstanceOf(ExploreResult.TooLarge.class,
        new DesignSpaceExplorer(problem).explore(size - 1, OptionalDouble.empty(), n -> {}));
    assertInstanceOf(ExploreResult.Explored.class,
        new DesignSpaceExplorer(problem).explore(size, OptionalDouble.empty(), n -> {}));
  }

  private static Set<List<Integer>> covers(DesignSpace space) {
    Set<List<Integer>> covers = new HashSet<>();
    space.covers().forEach(cover -> covers.add(List.of(cover.lessSafe(), cover.safer())));
    return covers;
  }

  /** The transitive reduction of the safety order, by comparing every pair and every triple. */
  private static Set<List<Integer>> hasse(List<Configuration> points) {
    int n = points.size();
    boolean[][] below = new boolean[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        below[a][b] = a != b && BruteForce.atLeastAsSafe(points.get(b), points.get(a));
      }
    }
    Set<List<Integer>> edges = new HashSet<>();
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        if (!below[a][b]) {
          continue;
        }
        boolean direct = true;
        for (int c = 0; c < n && direct; c++) {
          direct = !(below[a][c] && below[c][b]);
        }
        if (direct) {
          edges.add(List.of(a, b));
        }
      }
    }
    return edges;
  }

  /** Points no other point beats: at least as safe by score and at most as costly, one strictly. */
  private static Set<Integer> pareto(DesignSpace space) {
    Set<Integer> front = new HashSet<>();
    Map<List<Object>, Set<Integer>> sameScoreAndCost = new HashMap<>();
    for (DesignPoint point : space.points()) {
      boolean dominated = false;
      for (DesignPoint other : space.points()) {
        int safer = other.safety().compareTo(point.safety());
        int cheaper = Double.compare(point.cost().total(), other.cost().total());
        if (safer >= 0 && cheaper >= 0 && (safer > 0 || cheaper > 0)) {
          dominated = true;
          break;
        }
      }
      if (!dominated) {
        List<Object> key = List.of(point.safety(), point.cost().total());
        sameScoreAndCost.computeIfAbsent(key, k -> new HashSet<>()).add(point.id());
      }
    }
    // Among points equal in both score and cost the front keeps one: the first enumerated.
    for (Set<Integer> ties : sameScoreAndCost.values()) {
      List<Integer> sorted = new ArrayList<>(ties);
      sorted.sort(null);
      front.add(sorted.get(0));
    }
    return front;
  }

  /** Affordable points with no affordable point strictly safer in the safety order. */
  private static Set<Integer> safestWithin(double budget, DesignSpace space) {
    Set<Integer> safest = new HashSet<>();
    for (DesignPoint point : space.points()) {
      if (point.cost().total() > budget) {
        continue;
      }
      boolean maximal = space.points().stream().noneMatch(other -> other.id() != point.id()
          && other.cost().total() <= budget
          && BruteForce.atLeastAsSafe(other.configuration(), point.configuration()));
      if (maximal) {
        safest.add(point.id());
      }
    }
    return safest;
  }
}
