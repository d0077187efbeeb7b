package io.flexc.solver;

import io.flexc.model.Behaviour;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.LibraryMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hardening the solver may apply to a library: the allowed mechanisms and the sets of them a
 * library can receive.
 *
 * <p>A mechanism is only applied together with everything it needs ({@code cfi} with {@code sp}):
 * CFI's flags without a backward-edge protection would cost without restricting {@code XA}. So the
 * choices for one library are the <em>need-closed</em> subsets of the allowed mechanisms, and a
 * mechanism whose needs are not all allowed is unusable and left out.
 */
public final class HardeningSpace {

  private final Map<String, HardeningMechanism> mechanisms;
  private final List<String> unusable;
  private final List<Set<String>> choices;

  public HardeningSpace(Map<String, HardeningMechanism> known, List<String> allowed) {
    Map<String, HardeningMechanism> usable = new LinkedHashMap<>();
    List<String> dropped = new ArrayList<>();
    for (String name : allowed) {
      HardeningMechanism mechanism = known.get(name);
      if (mechanism == null) {
        throw new IllegalArgumentException("unknown mechanism " + name);
      }
      if (allowed.containsAll(mechanism.needs())) {
        usable.put(name, mechanism);
      } else {
        dropped.add(name);
      }
    }
    this.mechanisms = Collections.unmodifiableMap(usable);
    this.unusable = List.copyOf(dropped);
    this.choices = needClosedSubsets(List.copyOf(usable.values()));
  }

  /** The mechanisms that may be applied, in the order the application allows them. */
  public List<HardeningMechanism> mechanisms() {
    return List.copyOf(mechanisms.values());
  }

  public HardeningMechanism mechanism(String name) {
    HardeningMechanism mechanism = mechanisms.get(name);
    if (mechanism == null) {
      throw new IllegalArgumentException("mechanism " + name + " is not allowed");
    }
    return mechanism;
  }

  /** Allowed mechanisms that need one that is not allowed, so can never take effect. */
  public List<String> unusable() {
    return unusable;
  }

  /** Every set of mechanisms one library may receive, smallest first; the first is empty. */
  public List<Set<String>> choices() {
    return choices;
  }

  /** {@code library}'s behaviours towards co-located libraries once {@code applied} is applied. */
  public Set<Behaviour> effectiveBehaviours(LibraryMetadata library, Set<String> applied) {
    EnumSet<Behaviour> behaviours = EnumSet.noneOf(Behaviour.class);
    behaviours.addAll(library.behaviours());
    for (String name : applied) {
      behaviours.removeAll(mechanism(name).restricts());
    }
    return behaviours;
  }

  /** The mechanisms that take {@code behaviour} away. */
  public List<HardeningMechanism> restrictorsOf(Behaviour behaviour) {
    return mechanisms.values().stream().filter(m -> m.restricts().contains(behaviour)).toList();
  }

  public int cost(Set<String> applied) {
    return applied.stream().mapToInt(name -> mechanism(name).cost()).sum();
  }

  /**
   * How much safer {@code applied} makes a library: each mechanism counts one plus its declared
   * safety, so adding any mechanism makes a configuration strictly safer, as the safety order says.
   */
  public int safety(Set<String> applied) {
    return applied.stream().mapToInt(name -> safetyWeight(mechanism(name))).sum();
  }

  static int safetyWeight(HardeningMechanism mechanism) {
    return mechanism.safety() + 1;
  }

  private static List<Set<String>> needClosedSubsets(List<HardeningMechanism> usable) {
    List<Set<String>> subsets = new ArrayList<>();
    int count = usable.size();
    if (count > 20) {
      throw new IllegalArgumentException("at most 20 mechanisms may be allowed at once: " + count);
    }
    for (int mask = 0; mask < (1 << count); mask++) {
      Set<String> subset = new TreeSet<>();
      for (int i = 0; i < count; i++) {
        if ((mask & (1 << i)) != 0) {
          subset.add(usable.get(i).name());
        }
      }
      boolean closed = true;
      for (int i = 0; i < count && closed; i++) {
        if ((mask & (1 << i)) != 0 && !subset.containsAll(usable.get(i).needs())) {
          closed = false;
        }
      }
      if (closed) {
        subsets.add(Set.copyOf(subset));
      }
    }
    subsets.sort(
        Comparator.<Set<String>>comparingInt(Set::size)
            .thenComparing(subset -> String.join(",", new TreeSet<>(subset))));
    return List.copyOf(subsets);
  }
}
