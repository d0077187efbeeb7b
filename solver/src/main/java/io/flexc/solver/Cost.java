package io.flexc.solver;

/**
 * The predicted cost of a configuration: the hardening it applies (the sum of its mechanisms'
 * declared costs, in points) and the cycles its gates spend (cross-compartment calls times the
 * backend's gate cost).
 *
 * <p>One number is needed to compare against a budget, so 1000 gate cycles count as one hardening
 * point: {@link #total()}.
 */
public record Cost(int hardening, long gateCycles) {

  public static final int CYCLES_PER_POINT = 1000;

  public double total() {
    return hardening + (double) gateCycles / CYCLES_PER_POINT;
  }
}
