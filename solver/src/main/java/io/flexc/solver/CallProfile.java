package io.flexc.solver;

import io.flexc.model.SourcePosition;
import java.util.List;
import java.util.Objects;

/**
 * How often each library called each other library in a measured run (CSV {@code
 * caller,callee,count}), or as estimated from the compiled code, so the cost model can weigh gates
 * by how often they would be crossed.
 */
public record CallProfile(List<CallCount> counts, Source source) {

  /** Where the counts come from, and what one unit of them is. */
  public enum Source {
    MEASURED("the call profile", "calls in the profiled run"),
    RECORDED("a call profile recorded by one run of flexc.yaml's workload on the finest split (--profile-run)",
        "calls in that run"),
    CODE("the code (gcc's static estimate of each call site's frequency)", "estimated calls per run of the program");

    private final String description;
    private final String unit;

    Source(String description, String unit) {
      this.description = description;
      this.unit = unit;
    }

    public String description() {
      return description;
    }

    public String unit() {
      return unit;
    }
  }

  public CallProfile {
    counts = List.copyOf(counts);
    Objects.requireNonNull(source, "source");
  }

  /** A measured profile. */
  public CallProfile(List<CallCount> counts) {
    this(counts, Source.MEASURED);
  }

  /** The same counts from another source. */
  public CallProfile from(Source other) {
    return new CallProfile(counts, other);
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
