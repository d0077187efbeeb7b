package io.flexc.solver;

import io.flexc.model.SourcePosition;
import java.util.List;

/**
 * How often each library called each other library in a measured run (CSV {@code
 * caller,callee,count}), so the cost model can weigh gates by how often they would be crossed.
 */
public record CallProfile(List<CallCount> counts) {

  public CallProfile {
    counts = List.copyOf(counts);
  }

  /** One row: {@code caller} called into {@code callee} {@code count} times. */
  public record CallCount(String caller, String callee, long count, SourcePosition position) {
    public CallCount {
      if (count < 0) {
        throw new IllegalArgumentException("a call count is not negative: " + count);
      }
    }
  }
}
