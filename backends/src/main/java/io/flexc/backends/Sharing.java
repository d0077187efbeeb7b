package io.flexc.backends;

import java.util.Optional;

/**
 * Where a build's shared memory comes from besides the transformer's rules (issue 17): nothing
 * more (static), a build that records sharing ({@code --profile-sharing}), or a recorded profile
 * ({@code --sharing FILE}, measured): its heap sites come from the shared heap and its globals go
 * to {@code .data_shared}. Only proc records and uses profiles.
 */
public record Sharing(Source source, Optional<SharingProfile> profile) {

  public static final Sharing STATIC = new Sharing(Source.STATIC, Optional.empty());
  public static final Sharing PROFILING = new Sharing(Source.PROFILING, Optional.empty());

  public static Sharing measured(SharingProfile profile) {
    return new Sharing(Source.MEASURED, Optional.of(profile));
  }

  /** What report.json's {@code sharing.source} says. */
  public enum Source {
    STATIC,
    PROFILING,
    MEASURED;

    public String label() {
      return name().toLowerCase();
    }
  }
}
