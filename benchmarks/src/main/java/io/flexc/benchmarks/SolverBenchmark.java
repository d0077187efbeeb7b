package io.flexc.benchmarks;

import io.flexc.solver.ConfigurationChecker;
import io.flexc.solver.ConfigurationSolver;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.SolveOptions;
import io.flexc.solver.SolveResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Times {@link ConfigurationSolver} (fewest compartments, then least hardening cost) on generated
 * applications, checks every answer with {@link ConfigurationChecker}, runs the seed's algorithm
 * ({@link SeedBaseline}) on the same problem, and prints a Markdown table.
 *
 * <p>Options: {@code --sizes 4,6,7,12,50,200,1000}, {@code --seeds 3} (seeds 1..n), {@code
 * --timeout 120} (solver, seconds), {@code --baseline-cap 60} (seconds), {@code --baseline-sample
 * 5} (seconds before a run that cannot finish is cut short), {@code --no-baseline}.
 *
 * <p>Exits with status 1 when the solver returns an invalid configuration, no configuration, or
 * one worse than the baseline's.
 */
public final class SolverBenchmark {

  private SolverBenchmark() {}

  public static void main(String[] args) {
    List<Integer> sizes = List.of(4, 6, 7, 12, 50, 200, 1000);
    int seeds = 3;
    Duration timeout = Duration.ofSeconds(120);
    Duration cap = Duration.ofSeconds(60);
    Duration sample = Duration.ofSeconds(5);
    boolean baseline = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf).toList();
        case "--seeds" -> seeds = Integer.parseInt(args[++i]);
        case "--timeout" -> timeout = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
        case "--baseline-cap" -> cap = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
        case "--baseline-sample" -> sample = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
        case "--no-baseline" -> baseline = false;
        default -> {
          System.err.println("usage: SolverBenchmark [--sizes 4,6,7,12,50,200,1000] [--seeds 3] [--timeout 120]"
              + " [--baseline-cap 60] [--baseline-sample 5] [--no-baseline]");
          System.exit(2);
        }
      }
    }
    warmUp(timeout);
    System.out.printf(Locale.ROOT, "JDK %s, %d processors, solver timeout %s s, baseline cap %s s%n%n",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), timeout.toMillis() / 1000.0,
        cap.toMillis() / 1000.0);
    System.out.println("| libraries | seed | backend | C / verified / Rust | conflicts (none / all hardening) "
        + "| compartments | hardening cost | optimal | solver ms | baseline | baseline result | speed-up |");
    System.out.println("|---:|---:|---|---|---|---:|---:|---|---:|---|---|---:|");
    boolean failed = false;
    for (int size : sizes) {
      for (int seed = 1; seed <= seeds; seed++) {
        failed |= !row(size, seed, timeout, baseline, cap, sample);
      }
    }
    if (failed) {
      System.err.println("FAILED: see the rows marked FAIL");
      System.exit(1);
    }
  }

  /** Solves small instances until the JIT has compiled the solver's hot paths. */
  private static void warmUp(Duration timeout) {
    for (int round = 0; round < 5; round++) {
      for (int size : List.of(12, 50)) {
        ConfigurationSolver.solve(
            GeneratedApplication.generate(size, 1000 + round).problem(), SolveOptions.fewestCompartments(timeout));
      }
    }
  }

  private static boolean row(int size, long seed, Duration timeout, boolean runBaseline, Duration cap, Duration sample) {
    GeneratedApplication generated = GeneratedApplication.generate(size, seed);
    PlacementProblem problem = generated.problem();
    int[] conflicts = conflicts(problem);
    long start = System.nanoTime();
    SolveResult result = ConfigurationSolver.solve(problem, SolveOptions.fewestCompartments(timeout));
    long solverNanos = System.nanoTime() - start;
    List<String> cells = new ArrayList<>();
    cells.add(Integer.toString(size));
    cells.add(Long.toString(seed));
    cells.add(generated.backend().label());
    cells.add((size - generated.verified() - generated.memorySafe()) + " / " + generated.verified() + " / "
        + generated.memorySafe());
    cells.add(conflicts[0] + " / " + conflicts[1]);
    boolean ok = true;
    int compartments = -1;
    int cost = -1;
    if (result instanceof SolveResult.Solved solved) {
      List<String> problems = new ConfigurationChecker(problem).problems(solved.configuration());
      compartments = solved.configuration().compartmentCount();
      cost = solved.cost().hardening();
      cells.add(Integer.toString(compartments));
      cells.add(Integer.toString(cost));
      cells.add(solved.optimal() ? "yes" : "**no**");
      if (!problems.isEmpty()) {
        System.err.println("INVALID configuration for size " + size + " seed " + seed + ": " + problems);
        ok = false;
      }
    } else {
      System.err.println("no configuration for size " + size + " seed " + seed + ": " + result);
      cells.addAll(List.of("-", "-", "**" + result.getClass().getSimpleName() + "**"));
      ok = false;
    }
    cells.add(String.format(Locale.ROOT, "%.0f", solverNanos / 1e6));
    if (runBaseline) {
      SeedBaseline.Result base = new SeedBaseline(problem).run(cap, sample);
      if (base.finished()) {
        cells.add(String.format(Locale.ROOT, "%.0f ms (%s combinations)", base.nanos() / 1e6, base.tried()));
        cells.add(base.best().isPresent() ? base.compartments() + " compartments, cost " + base.hardeningCost() : "none");
        cells.add(String.format(Locale.ROOT, "%.0f×", (double) base.nanos() / solverNanos));
      } else {
        double log10Seconds = base.log10ExtrapolatedSeconds();
        cells.add(String.format(Locale.ROOT, "not finished in %.0f s: %,.0f comb/s × %s comb. → ~%s s",
            base.nanos() / 1e9, base.rate(), power(base.log10Total()), power(log10Seconds)));
        cells.add(base.best().isPresent()
            ? "best so far " + base.compartments() + " compartments, cost " + base.hardeningCost()
            : "none so far");
        cells.add("~" + power(log10Seconds - Math.log10(solverNanos / 1e9)) + "× (extrapolated)");
      }
      // Whatever the baseline found is valid (checked), so a finished baseline, or any baseline
      // next to an answer the solver calls optimal, may not beat the solver.
      boolean binding = base.finished()
          || (result instanceof SolveResult.Solved solved && solved.optimal());
      if (base.best().isPresent() && binding
          && (!(result instanceof SolveResult.Solved)
              || compartments > base.compartments()
              || (compartments == base.compartments() && cost > base.hardeningCost()))) {
        System.err.println("the solver is WORSE than the baseline for size " + size + " seed " + seed);
        ok = false;
      }
    } else {
      cells.addAll(List.of("-", "-", "-"));
    }
    if (!ok) {
      cells.set(0, "FAIL " + cells.get(0));
    }
    System.out.println("| " + String.join(" | ", cells) + " |");
    System.out.flush();
    return ok;
  }

  /** Pairs incompatible with no hardening, and pairs incompatible with every allowed mechanism. */
  private static int[] conflicts(PlacementProblem problem) {
    List<String> libraries = problem.libraries();
    List<Set<String>> choices = problem.hardening().choices();
    Set<String> none = choices.get(0);
    Set<String> all = choices.get(choices.size() - 1);
    int unhardened = 0;
    int hard = 0;
    for (int a = 0; a < libraries.size(); a++) {
      for (int b = a + 1; b < libraries.size(); b++) {
        if (!problem.compatibility().compatible(libraries.get(a), none, libraries.get(b), none)) {
          unhardened++;
        }
        if (!problem.compatibility().compatible(libraries.get(a), all, libraries.get(b), all)) {
          hard++;
        }
      }
    }
    return new int[] {unhardened, hard};
  }

  /** 10^x in a readable form: plain below a million, otherwise as a power of ten. */
  private static String power(double log10) {
    if (log10 < 6) {
      return String.format(Locale.ROOT, "%,.0f", Math.pow(10, log10));
    }
    return String.format(Locale.ROOT, "10^%.0f", log10);
  }
}
