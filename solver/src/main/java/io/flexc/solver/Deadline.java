package io.flexc.solver;

import java.time.Duration;
import org.chocosolver.solver.Solver;

/** The end of the time a whole solve may take, shared by its successive searches. */
final class Deadline {

  private final long endNanos;

  Deadline(Duration timeout) {
    this.endNanos = System.nanoTime() + timeout.toNanos();
  }

  boolean expired() {
    return remainingMillis() <= 0;
  }

  long remainingMillis() {
    return Math.max(0, (endNanos - System.nanoTime()) / 1_000_000);
  }

  /** Stops {@code solver} when the deadline passes. */
  void limit(Solver solver) {
    solver.limitTime(Math.max(1, remainingMillis()));
  }
}
