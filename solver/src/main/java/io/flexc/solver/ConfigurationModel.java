package io.flexc.solver;

import io.flexc.model.Behaviour;
import io.flexc.model.Configuration;
import io.flexc.model.Constraint;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.Permission;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.Solution;
import org.chocosolver.solver.search.strategy.Search;
import org.chocosolver.solver.search.strategy.selectors.values.IntDomainMin;
import org.chocosolver.solver.search.strategy.selectors.variables.VariableSelector;
import org.chocosolver.solver.variables.BoolVar;
import org.chocosolver.solver.variables.IntVar;

/**
 * The Choco model of one placement problem: per library a compartment variable and a hardening
 * variable (which need-closed set of mechanisms it gets, cheapest first), with a boolean per
 * (library, mechanism) tied to it; incompatibilities posted as "not in the same compartment while
 * the offending behaviour remains"; value-precedence symmetry breaking; and the given policy rules.
 *
 * <p>A fresh model is built for each question (each objective stage, each subset of rules while
 * explaining a conflict): models are cheap next to searching them, and a model that is never
 * changed after construction is simpler to reason about.
 */
final class ConfigurationModel {

  final Model model;
  final IntVar[] compartment;
  /** Per library, the index in {@link #options} of the mechanisms it gets. */
  final IntVar[] hardening;
  final BoolVar[][] applied;
  final IntVar compartmentCount;
  final IntVar hardeningCost;
  final IntVar gateCost;
  final IntVar hardeningSafety;

  private final PlacementProblem problem;
  private final List<String> libraries;
  private final List<HardeningMechanism> mechanisms;
  /** The need-closed sets of mechanisms, cheapest first: the values of {@link #hardening}. */
  private final List<Set<String>> options;
  private final int slots;
  /** Libraries grouped by equal {@code [Requires]}: who offends one offends all. */
  private final Map<Set<Permission>, List<Integer>> classes;
  /** Pair booleans "same compartment", made only for the pairs that need one. */
  private final Map<Long, BoolVar> together = new HashMap<>();
  private IntVar separatedPairs;
  private final List<PolicyRule> rules;
  /** How many libraries each library may be kept apart from: the search places the most constrained first. */
  private final int[] degree;
  /** Library indices, the most constrained first: the search's and the symmetry breaking's order. */
  private final int[] order;

  ConfigurationModel(PlacementProblem problem, Collection<PolicyRule> rules) {
    this(problem, rules, problem.libraries().size(), false);
  }

  /**
   * A model whose configurations use at most {@code maxCompartments} compartments (a bound the
   * caller knows, e.g. from a colouring: fewer compartment values make every constraint smaller).
   *
   * <p>With {@code onlyUsefulHardening}, a library only gets the hardening options no cheaper
   * option dominates (see {@link #undominated}): right for fewest compartments then least cost,
   * not for enumerating the design space or maximising safety, where extra hardening counts.
   */
  ConfigurationModel(
      PlacementProblem problem, Collection<PolicyRule> rules, int maxCompartments, boolean onlyUsefulHardening) {
    this.problem = problem;
    this.libraries = problem.libraries();
    this.mechanisms = problem.hardening().mechanisms();
    this.rules = List.copyOf(rules);
    HardeningSpace space = problem.hardening();
    List<Set<String>> sorted = new ArrayList<>(space.choices());
    sorted.sort(Comparator.comparingInt(space::cost));
    this.options = List.copyOf(sorted);
    int count = libraries.size();
    this.slots = Math.max(1, Math.min(count, maxCompartments));
    model = new Model("flexc " + problem.application().name());
    degree = new int[count];
    compartment = model.intVarArray("compartment", count, 0, slots - 1);
    hardening = new IntVar[count];
    applied = new BoolVar[count][mechanisms.size()];
    classes = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      classes.computeIfAbsent(problem.application().library(libraries.get(i)).requires(), r -> new ArrayList<>()).add(i);
    }
    for (int i = 0; i < count; i++) {
      int[] domain = onlyUsefulHardening ? undominated(i) : IntStream.range(0, options.size()).toArray();
      hardening[i] = model.intVar(libraries.get(i) + " hardening", domain);
      for (int m = 0; m < mechanisms.size(); m++) {
        String name = mechanisms.get(m).name();
        applied[i][m] = holds(hardening[i], o -> options.get(o).contains(name), libraries.get(i) + "." + name);
      }
    }
    IntVar highest = model.intVar("highest compartment", 0, slots - 1);
    model.max(highest, compartment).post();
    compartmentCount = model.offset(highest, 1);
    postIncompatibilities();
    hardeningCost = weightedHardening("hardening cost", space::cost);
    hardeningSafety = weightedHardening("hardening safety", space::safety);
    gateCost = gateCostVariable();
    for (PolicyRule rule : this.rules) {
      post(rule);
    }
    order = branchingOrder().stream().mapToInt(Integer::intValue).toArray();
    // Symmetry breaking: compartments are numbered in the order libraries are placed, the most
    // constrained first, so that the numbering never contradicts the search. decode() renumbers.
    model.intValuePrecedeChain(IntStream.of(order).mapToObj(i -> compartment[i]).toArray(IntVar[]::new), values(slots))
        .post();
    List<IntVar> decisions = new ArrayList<>(List.of(compartment));
    decisions.addAll(List.of(hardening));
    model.getSolver().setSearch(Search.lastConflict(
        Search.intVarSearch(new LibraryByLibrary(order), new IntDomainMin(), decisions.toArray(IntVar[]::new))));
  }

  /** Suggests {@code configuration}'s partition to the search (renumbered to this model's order). */
  void hint(Configuration configuration) {
    Map<Integer, Integer> renumbered = new HashMap<>();
    for (int library : order) {
      int value = renumbered.computeIfAbsent(
          configuration.compartmentOf(libraries.get(library)), c -> renumbered.size());
      model.getSolver().addHint(compartment[library], value);
    }
  }

  /**
   * The hardening options of library {@code index} that no other option dominates. Everything the
   * rules ask of a library's hardening is which classes of victims it may join (by their
   * {@code [Requires]}) and, for a library the backend trusts, whether it keeps {@code WA} or
   * {@code XA}; the rest is cost. An option that allows no more than a cheaper one (or than an
   * equally cheap earlier one) can be swapped for it in any valid configuration, which stays valid
   * and gets no costlier: so leaving it out changes neither the fewest compartments nor the least
   * cost. This removes useless mechanisms ({@code ubsan} here, {@code sp} without {@code cfi}) and
   * half measures that let a library join no one new ({@code asan} alone beside a verified library
   * that does not allow {@code XA} either).
   */
  private int[] undominated(int index) {
    LibraryMetadata library = problem.application().library(libraries.get(index));
    List<Set<Behaviour>> tolerated = new ArrayList<>();
    for (List<Integer> members : classes.values()) {
      String representative = libraries.get(members.get(0));
      Set<Behaviour> allowed = EnumSet.noneOf(Behaviour.class);
      for (Behaviour behaviour : Behaviour.values()) {
        if (problem.compatibility().tolerates(representative, behaviour)) {
          allowed.add(behaviour);
        }
      }
      tolerated.add(allowed);
    }
    boolean trusted = rules.stream().anyMatch(rule ->
        rule instanceof PolicyRule.TrustedLibrary t && t.library().equals(library.name()));
    List<BitSet> allows = new ArrayList<>();
    for (Set<String> option : options) {
      Set<Behaviour> left = problem.hardening().effectiveBehaviours(library, option);
      BitSet can = new BitSet();
      for (int c = 0; c < tolerated.size(); c++) {
        can.set(c, tolerated.get(c).containsAll(left));
      }
      can.set(tolerated.size(),
          trusted && PolicyRule.TrustedLibrary.trustworthy(left));
      allows.add(can);
    }
    HardeningSpace space = problem.hardening();
    List<Integer> kept = new ArrayList<>();
    for (int o = 0; o < options.size(); o++) {
      boolean dominated = false;
      for (int other = 0; other < options.size() && !dominated; other++) {
        if (other == o) {
          continue;
        }
        BitSet missing = (BitSet) allows.get(o).clone();
        missing.andNot(allows.get(other));
        int byCost = Integer.compare(space.cost(options.get(other)), space.cost(options.get(o)));
        boolean allowsMore = !allows.get(other).equals(allows.get(o));
        dominated = missing.isEmpty() && byCost <= 0 && (byCost < 0 || allowsMore || other < o);
      }
      if (!dominated) {
        kept.add(o);
      }
    }
    return kept.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A boolean that is true exactly when {@code variable} takes a value that satisfies {@code test}. */
  private BoolVar holds(IntVar variable, IntPredicate test, String name) {
    int[] values = domain(variable).filter(test).toArray();
    if (values.length == 0) {
      return model.boolVar(name, false);
    }
    if (values.length == variable.getDomainSize()) {
      return model.boolVar(name, true);
    }
    BoolVar holds = model.boolVar(name);
    model.member(variable, values).reifyWith(holds);
    return holds;
  }

  private static IntStream domain(IntVar variable) {
    return IntStream.iterate(variable.getLB(), value -> value <= variable.getUB(), variable::nextValue);
  }

  /**
   * The number of library pairs in different compartments. Made on first use: it needs a boolean
   * per pair, which only the safest-within-budget objective asks for.
   */
  IntVar separatedPairs() {
    if (separatedPairs == null) {
      List<BoolVar> separated = new ArrayList<>();
      for (int i = 0; i < libraries.size(); i++) {
        for (int j = i + 1; j < libraries.size(); j++) {
          separated.add(together(i, j).not());
        }
      }
      separatedPairs = model.intVar("separated pairs", 0, separated.size());
      model.sum(separated.toArray(BoolVar[]::new), "=", separatedPairs).post();
    }
    return separatedPairs;
  }

  /** True when libraries {@code i} and {@code j} share a compartment; one variable per pair. */
  /**
   * Posts that some pair of libraries the cost model weighs is placed otherwise than in {@code
   * configuration}: together where it was apart or apart where it was together. False when no
   * pair is weighed.
   */
  void differsOnWeighedPairs(Configuration configuration) {
    List<BoolVar> differs = new ArrayList<>();
    for (CostModel.Edge edge : problem.costs().edges()) {
      BoolVar same = together(libraries.indexOf(edge.first()), libraries.indexOf(edge.second()));
      differs.add(configuration.compartmentOf(edge.first()) == configuration.compartmentOf(edge.second())
          ? same.not() : same);
    }
    model.or(differs.toArray(BoolVar[]::new)).post();
  }

  private BoolVar together(int i, int j) {
    long key = (long) Math.min(i, j) * libraries.size() + Math.max(i, j);
    return together.computeIfAbsent(key, k -> model.arithm(compartment[i], "=", compartment[j]).reify());
  }

  /** The configuration a solution of this model stands for. */
  Configuration decode(Solution solution) {
    Map<String, Integer> compartments = new LinkedHashMap<>();
    Map<String, Set<String>> hardening = new LinkedHashMap<>();
    for (int i = 0; i < libraries.size(); i++) {
      compartments.put(libraries.get(i), solution.getIntVal(compartment[i]));
      Set<String> chosen = new TreeSet<>();
      for (int m = 0; m < mechanisms.size(); m++) {
        if (solution.getIntVal(applied[i][m]) == 1) {
          chosen.add(mechanisms.get(m).name());
        }
      }
      hardening.put(libraries.get(i), chosen);
    }
    // The model numbers compartments in its placement order; configurations in library order.
    return Configuration.numberedInOrder(compartments, hardening);
  }

  /** A solution store that records every decision variable and the objectives. */
  Solution newSolution() {
    return new Solution(model);
  }

  /**
   * Incompatibilities. A call into a function a library does not export keeps the two apart
   * whatever the hardening. Behaviours (RA, WA, XA) offend by the victim's {@code [Requires]}, so
   * libraries with equal {@code [Requires]} are one class of victims: rather than one constraint
   * per (offender, victim) pair, each compartment counts the members of each class it holds, and
   * a library whose hardening leaves a behaviour the class does not allow may only sit where that
   * count is zero (not counting itself). Besides being linear in the number of libraries, this
   * lets propagation see that a library has nowhere left to go unhardened, and that a hardening
   * it cannot afford leaves it no compartment, which pairwise constraints only reveal by search.
   */
  private void postIncompatibilities() {
    Compatibility compatibility = problem.compatibility();
    int count = libraries.size();
    for (int offender = 0; offender < count; offender++) {
      for (int victim = 0; victim < count; victim++) {
        if (victim != offender
            && !compatibility.callViolations(libraries.get(offender), libraries.get(victim)).isEmpty()) {
          model.arithm(compartment[offender], "!=", compartment[victim]).post();
          degree[offender]++;
          degree[victim]++;
        }
      }
    }
    for (List<Integer> members : classes.values()) {
      String representative = libraries.get(members.get(0));
      IntVar[] load = null;
      for (int offender = 0; offender < count; offender++) {
        int self = members.contains(offender) ? 1 : 0;
        if (members.size() == self) {
          continue;
        }
        LibraryMetadata library = problem.application().library(libraries.get(offender));
        if (library.behaviours().stream().allMatch(behaviour -> compatibility.tolerates(representative, behaviour))) {
          continue;
        }
        BoolVar harmless = holds(
            hardening[offender],
            o -> problem.hardening().effectiveBehaviours(library, options.get(o)).stream()
                .allMatch(behaviour -> compatibility.tolerates(representative, behaviour)),
            library.name() + " may join " + representative);
        if (load == null) {
          load = model.intVarArray(representative + "'s class here", slots, 0, members.size());
          model.globalCardinality(
                  members.stream().map(i -> compartment[i]).toArray(IntVar[]::new), values(slots), load, true)
              .post();
          for (int member : members) {
            degree[member] += count - members.size();
          }
        }
        degree[offender] += members.size() - self;
        IntVar here = model.intVar(libraries.get(offender) + " with " + representative + "'s class", 0, members.size());
        model.element(here, load, compartment[offender], 0).post();
        // not harmless => here <= self, as one linear constraint: here - |members| * harmless <= self
        model.scalar(new IntVar[] {here, harmless}, new int[] {1, -members.size()}, "<=", self).post();
      }
    }
  }

  /** True when the hardening of library {@code index} leaves it {@code behaviour}. */
  private BoolVar retains(int index, Behaviour behaviour) {
    LibraryMetadata library = problem.application().library(libraries.get(index));
    return holds(
        hardening[index],
        o -> problem.hardening().effectiveBehaviours(library, options.get(o)).contains(behaviour),
        library.name() + " retains " + behaviour.notation());
  }

  /** The sum over libraries of {@code weight} of the mechanisms each gets. */
  private IntVar weightedHardening(String name, ToIntFunction<Set<String>> weight) {
    int[] table = options.stream().mapToInt(weight).toArray();
    IntVar[] each = new IntVar[hardening.length];
    int total = 0;
    for (int i = 0; i < hardening.length; i++) {
      int[] possible = domain(hardening[i]).map(o -> table[o]).distinct().sorted().toArray();
      each[i] = model.intVar(libraries.get(i) + " " + name, possible);
      model.element(each[i], table, hardening[i]).post();
      total += possible[possible.length - 1];
    }
    IntVar sum = model.intVar(name, 0, total);
    model.sum(each, "=", sum).post();
    return sum;
  }

  private IntVar gateCostVariable() {
    List<BoolVar> crossings = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    long total = 0;
    for (CostModel.Edge edge : problem.costs().edges()) {
      int weight = problem.costs().modelWeight(edge);
      crossings.add(together(libraries.indexOf(edge.first()), libraries.indexOf(edge.second())).not());
      weights.add(weight);
      total += weight;
    }
    IntVar sum = model.intVar("gate cost", 0, (int) Math.min(Integer.MAX_VALUE / 2, total));
    model.scalar(crossings.toArray(BoolVar[]::new), toArray(weights), "=", sum).post();
    return sum;
  }

  private void post(PolicyRule rule) {
    switch (rule) {
      case PolicyRule.UserConstraint user -> post(user.constraint());
      case PolicyRule.CompartmentLimit limit ->
          model.arithm(compartmentCount, "<=", limit.limit()).post();
      case PolicyRule.CostBudget budget -> {
        long unit = problem.costs().modelCycleUnit();
        double cycles = Math.floor(budget.points() * Cost.CYCLES_PER_POINT);
        long most = (long) hardeningCost.getUB() * Cost.CYCLES_PER_POINT + gateCost.getUB() * unit;
        if (cycles >= most) {
          // Every configuration fits: posting the bound would only risk Choco's integer limits.
          return;
        }
        int limit = (int) Math.min(Integer.MAX_VALUE, cycles);
        model.scalar(
                new IntVar[] {hardeningCost, gateCost},
                new int[] {Cost.CYCLES_PER_POINT, (int) unit},
                "<=",
                limit)
            .post();
      }
      case PolicyRule.TrustedLibrary trusted -> {
        int index = libraries.indexOf(trusted.library());
        Set<Behaviour> behaviours = problem.application().library(trusted.library()).behaviours();
        for (Behaviour behaviour : PolicyRule.TrustedLibrary.FORBIDDEN) {
          if (behaviours.contains(behaviour)) {
            model.arithm(retains(index, behaviour), "=", 0).post();
          }
        }
      }
    }
  }

  private void post(Constraint constraint) {
    switch (constraint) {
      case Constraint.Together group -> {
        for (int k = 1; k < group.libraries().size(); k++) {
          model.arithm(variable(group.libraries().get(0)), "=", variable(group.libraries().get(k))).post();
        }
      }
      case Constraint.Apart group ->
          model.allDifferent(group.libraries().stream().map(this::variable).toArray(IntVar[]::new)).post();
      case Constraint.Isolate isolate -> {
        for (String other : libraries) {
          if (!other.equals(isolate.library())) {
            model.arithm(variable(isolate.library()), "!=", variable(other)).post();
          }
        }
      }
      case Constraint.MaxCompartments max -> model.arithm(compartmentCount, "<=", max.limit()).post();
      case Constraint.Pin pin -> {
        // Compartment numbers are canonical (symmetry breaking), so a pin says which pinned
        // libraries share a compartment and which do not, not which number they get.
        for (PolicyRule other : rules) {
          if (other instanceof PolicyRule.UserConstraint(Constraint.Pin otherPin)
              && !otherPin.library().equals(pin.library())) {
            String relation = otherPin.compartment() == pin.compartment() ? "=" : "!=";
            model.arithm(variable(pin.library()), relation, variable(otherPin.library())).post();
          }
        }
      }
    }
  }

  /**
   * The search: the unplaced library with the fewest compartments left (the most constrained one
   * on ties, as DSatur does), first its hardening, cheapest first, then its compartment, lowest
   * first. Deciding the cheapest hardening before the compartment steers every library to a
   * compartment where it needs no more, and fails at once when there is no such compartment.
   * A library placed by propagation (symmetry breaking, rules) gets its hardening decided first.
   * Last-conflict branching then goes back to the library that failed first.
   */
  private final class LibraryByLibrary implements VariableSelector<IntVar> {
    private final int[] order;

    LibraryByLibrary(int[] order) {
      this.order = order;
    }

    @Override
    public IntVar getVariable(IntVar[] variables) {
      for (int library : order) {
        if (compartment[library].isInstantiated() && !hardening[library].isInstantiated()) {
          return hardening[library];
        }
      }
      int best = -1;
      int smallest = Integer.MAX_VALUE;
      for (int library : order) {
        IntVar place = compartment[library];
        if (!place.isInstantiated() && place.getDomainSize() < smallest) {
          best = library;
          smallest = place.getDomainSize();
        }
      }
      if (best >= 0) {
        return hardening[best].isInstantiated() ? compartment[best] : hardening[best];
      }
      return null;
    }
  }

  /** Library indices, the most constrained first (ties in library order). */
  private List<Integer> branchingOrder() {
    int[] weight = degree.clone();
    for (PolicyRule rule : rules) {
      if (rule instanceof PolicyRule.UserConstraint(Constraint constraint)) {
        switch (constraint) {
          case Constraint.Isolate isolate -> weight[libraries.indexOf(isolate.library())] += libraries.size();
          case Constraint.Apart apart ->
              apart.libraries().forEach(library -> weight[libraries.indexOf(library)] += apart.libraries().size());
          case Constraint.Pin pin -> weight[libraries.indexOf(pin.library())] += 1;
          case Constraint.Together together -> { }
          case Constraint.MaxCompartments max -> { }
        }
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < libraries.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Integer.compare(weight[b], weight[a]));
    return order;
  }

  private IntVar variable(String library) {
    int index = libraries.indexOf(library);
    if (index < 0) {
      throw new IllegalArgumentException("no library " + library);
    }
    return compartment[index];
  }

  private static int[] values(int count) {
    return IntStream.range(0, count).toArray();
  }

  private static int[] toArray(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
