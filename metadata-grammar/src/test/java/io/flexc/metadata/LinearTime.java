package io.flexc.metadata;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.IntFunction;

/**
 * Checks that work grows linearly with input size by quadrupling the size, not by a wall-clock
 * limit on one size: the work at 4n over the work at n is about 4 when linear and 16 when quadratic.
 *
 * <p>Work is measured as the bytes this thread allocates, not as time: on a machine shared by
 * several builds, time (even CPU time) of the larger size was measured 3 to 5 times too high, while
 * allocation does not depend on the load or on the garbage collector. Every step of the readers
 * and of ANTLR's prediction allocates (the quadratic {@code [Call]} parse built configuration sets
 * at every token it looked ahead), so quadratic work shows as quadratic allocation.
 */
public final class LinearTime {

  /** Well above linear growth (4) and well below quadratic growth (16). */
  private static final double MAX_RATIO = 9;

  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  private LinearTime() {}

  /** Asserts that {@code work.apply(size)} (prepared before measuring) does linear work in size. */
  public static void assertLinear(String what, int n, IntFunction<Runnable> work) {
    Runnable small = work.apply(n);
    Runnable large = work.apply(4 * n);
    small.run(); // warm-up: class loading and first-use caches are not the input's work
    large.run();
    double ratio = (double) allocated(large) / allocated(small);
    assertTrue(ratio < MAX_RATIO,
        what + ": quadrupling the input multiplied the work by " + ratio + ", which is not linear growth");
  }

  private static long allocated(Runnable run) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    run.run();
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }
}
