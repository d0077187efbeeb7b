package io.flexc.metadata;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.IntFunction;

/**
 * Checks that work grows linearly with input size by doubling the size, not by a wall-clock limit
 * on one size: the time at 4n over the time at n is about 4 when linear and 16 when quadratic.
 * Each size is warmed up and timed several times, keeping the fastest run, and a failed comparison
 * is tried again, so that a busy machine only makes the test slower, not wrong.
 */
public final class LinearTime {

  /** Well above linear growth (4) and well below quadratic growth (16). */
  private static final double MAX_RATIO = 9;
  private static final int RUNS = 5;
  private static final int ATTEMPTS = 3;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private LinearTime() {}

  /** Asserts that {@code work.apply(size)} (prepared before timing) takes linear time in size. */
  public static void assertLinear(String what, int n, IntFunction<Runnable> work) {
    Runnable small = work.apply(n);
    Runnable large = work.apply(4 * n);
    small.run();
    large.run();
    // Load from other processes only ever raises a ratio, so the lowest of a few attempts counts.
    String report = "";
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      // Interleaved, so that a burst of load does not fall on one size only.
      double smallTime = Double.MAX_VALUE;
      double largeTime = Double.MAX_VALUE;
      for (int i = 0; i < RUNS; i++) {
        smallTime = Math.min(smallTime, time(small));
        largeTime = Math.min(largeTime, time(large));
      }
      double ratio = largeTime / smallTime;
      if (ratio < MAX_RATIO) {
        return;
      }
      report += String.format("%n%d took %d µs, %d took %d µs: ratio %.1f",
          n, (long) smallTime / 1000, 4 * n, (long) largeTime / 1000, ratio);
    }
    fail(what + " does not grow linearly:" + report);
  }

  /**
   * The CPU time of this thread: unlike wall-clock time it leaves out waiting for a core and the
   * garbage collector's threads, which on a loaded machine hit the larger size harder.
   */
  private static double time(Runnable run) {
    System.gc();
    long start = THREADS.getCurrentThreadCpuTime();
    run.run();
    return THREADS.getCurrentThreadCpuTime() - start;
  }
}
