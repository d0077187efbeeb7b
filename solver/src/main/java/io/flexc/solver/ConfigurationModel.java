package io.flexc.solver;

import io.flexc.model.Behaviour;
import io.flexc.model.Configuration;
import io.flexc.model.Constraint;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.LibraryMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.Solution;
import org.chocosolver.solver.search.strategy.Search;
import org.chocosolver.solver.variables.BoolVar;
import org.chocosolver.solver.variables.IntVar;

/**
 * The Choco model of one placement problem: per library a compartment variable and per (library,
 * mechanism) a boolean, incompatibilities posted as "not in the same compartment while the
 * offending behaviour remains", value-precedence symmetry breaking, and the given policy rules.
 *
 * <p>A fresh model is built for each question (each objective stage, each subset of rules while
 * explaining a conflict): models are cheap next to searching them, and a model that is never
 * changed after construction is simpler to reason about.
 */
final class ConfigurationModel {

  final Model model;
  final IntVar[] compartment;
  final BoolVar[][] applied;
  final IntVar compartmentCount;
  final IntVar hardeningCost;
  final IntVar gateCost;
  final IntVar separatedPairs;
  final IntVar hardeningSafety;

  private final PlacementProblem problem;
  private final List<String> libraries;
  private final List<HardeningMechanism> mechanisms;
  private final BoolVar[][] together;
  private final List<PolicyRule> rules;

  ConfigurationModel(PlacementProblem problem, Collection<PolicyRule> rules) {
    this.problem = problem;
    this.libraries = problem.libraries();
    this.mechanisms = problem.hardening().mechanisms();
    this.rules = List.copyOf(rules);
    int count = libraries.size();
    model = new Model("flexc " + problem.application().name());
    compartment = model.intVarArray("compartment", count, 0, count - 1);
    applied = new BoolVar[count][mechanisms.size()];
    for (int i = 0; i < count; i++) {
      for (int m = 0; m < mechanisms.size(); m++) {
        applied[i][m] = model.boolVar(libraries.get(i) + "." + mechanisms.get(m).name());
      }
    }
    together = new BoolVar[count][count];
    List<BoolVar> separated = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      for (int j = i + 1; j < count; j++) {
        together[i][j] = model.arithm(compartment[i], "=", compartment[j]).reify();
        together[j][i] = together[i][j];
        separated.add(together[i][j].not());
      }
    }
    model.intValuePrecedeChain(compartment, values(count)).post();
    IntVar highest = model.intVar("highest compartment", 0, count - 1);
    model.max(highest, compartment).post();
    compartmentCount = model.offset(highest, 1);
    postNeeds();
    postIncompatibilities();
    hardeningCost = weightedHardening("hardening cost", HardeningMechanism::cost);
    hardeningSafety = weightedHardening("hardening safety", HardeningSpace::safetyWeight);
    separatedPairs = model.intVar("separated pairs", 0, separated.size());
    model.sum(separated.toArray(BoolVar[]::new), "=", separatedPairs).post();
    gateCost = gateCostVariable();
    for (PolicyRule rule : this.rules) {
      post(rule);
    }
    List<BoolVar> appliedFlat = new ArrayList<>();
    for (BoolVar[] row : applied) {
      appliedFlat.addAll(List.of(row));
    }
    if (appliedFlat.isEmpty()) {
      model.getSolver().setSearch(Search.minDomLBSearch(compartment));
    } else {
      model.getSolver().setSearch(
          Search.minDomLBSearch(compartment), Search.inputOrderLBSearch(appliedFlat.toArray(BoolVar[]::new)));
    }
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
    return new Configuration(compartments, hardening);
  }

  /** A solution store that records every decision variable and the objectives. */
  Solution newSolution() {
    return new Solution(model);
  }

  private void postNeeds() {
    for (int m = 0; m < mechanisms.size(); m++) {
      for (String needed : mechanisms.get(m).needs()) {
        int n = indexOfMechanism(needed);
        for (BoolVar[] library : applied) {
          model.arithm(library[m], "<=", library[n]).post();
        }
      }
    }
  }

  private void postIncompatibilities() {
    Compatibility compatibility = problem.compatibility();
    for (int offender = 0; offender < libraries.size(); offender++) {
      LibraryMetadata metadata = problem.application().library(libraries.get(offender));
      for (int victim = 0; victim < libraries.size(); victim++) {
        if (victim == offender) {
          continue;
        }
        String offenderName = libraries.get(offender);
        String victimName = libraries.get(victim);
        if (!compatibility.callViolations(offenderName, victimName).isEmpty()) {
          model.arithm(together[offender][victim], "=", 0).post();
          continue;
        }
        for (Behaviour behaviour : metadata.behaviours()) {
          if (compatibility.behaviourViolation(offenderName, behaviour, victimName).isPresent()) {
            model.arithm(together[offender][victim], "+", retains(offender, behaviour), "<=", 1).post();
          }
        }
      }
    }
  }

  /** True when no applied mechanism takes {@code behaviour} away from library {@code index}. */
  private BoolVar retains(int index, Behaviour behaviour) {
    List<BoolVar> restrictors = new ArrayList<>();
    for (HardeningMechanism mechanism : problem.hardening().restrictorsOf(behaviour)) {
      restrictors.add(applied[index][indexOfMechanism(mechanism.name())]);
    }
    if (restrictors.isEmpty()) {
      return model.boolVar(true);
    }
    return model.or(restrictors.toArray(BoolVar[]::new)).reify().not();
  }

  private IntVar weightedHardening(String name, ToIntFunction<HardeningMechanism> weight) {
    List<BoolVar> variables = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    int total = 0;
    for (BoolVar[] library : applied) {
      for (int m = 0; m < mechanisms.size(); m++) {
        variables.add(library[m]);
        int w = weight.applyAsInt(mechanisms.get(m));
        weights.add(w);
        total += w;
      }
    }
    IntVar sum = model.intVar(name, 0, total);
    model.scalar(variables.toArray(BoolVar[]::new), toArray(weights), "=", sum).post();
    return sum;
  }

  private IntVar gateCostVariable() {
    List<BoolVar> crossings = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    long total = 0;
    for (CostModel.Edge edge : problem.costs().edges()) {
      int weight = problem.costs().modelWeight(edge);
      crossings.add(together[libraries.indexOf(edge.first())][libraries.indexOf(edge.second())].not());
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
        int limit = (int) Math.min(Integer.MAX_VALUE, Math.floor(budget.points() * Cost.CYCLES_PER_POINT));
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
        for (Behaviour behaviour : List.of(Behaviour.WRITE_ANY, Behaviour.EXECUTE_ANY)) {
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

  private IntVar variable(String library) {
    int index = libraries.indexOf(library);
    if (index < 0) {
      throw new IllegalArgumentException("no library " + library);
    }
    return compartment[index];
  }

  private int indexOfMechanism(String name) {
    for (int m = 0; m < mechanisms.size(); m++) {
      if (mechanisms.get(m).name().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("mechanism " + name + " is not allowed");
  }

  private static int[] values(int count) {
    int[] values = new int[count];
    for (int i = 0; i < count; i++) {
      values[i] = i;
    }
    return values;
  }

  private static int[] toArray(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
