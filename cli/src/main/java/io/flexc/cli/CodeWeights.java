package io.flexc.cli;

import io.flexc.model.Application;
import io.flexc.model.LibrarySpec;
import io.flexc.model.SourcePosition;
import io.flexc.solver.CallProfile;
import io.flexc.transformer.objects.EstimatedCrossings;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The call profile the solver uses when none was given: crossings estimated from the compiled code
 * ({@link EstimatedCrossings}), rounded to whole calls per run of the program, a crossing estimated
 * at all counting at least one. Without sources for every library there is nothing to estimate
 * from, and the declared calls remain.
 */
final class CodeWeights {

  private CodeWeights() {}

  /** The estimated profile, or empty when some library has no sources. */
  static Optional<CallProfile> estimate(Application application) throws IOException, InterruptedException {
    if (application.spec().libraries().stream().map(LibrarySpec::sources).anyMatch(List::isEmpty)) {
      return Optional.empty();
    }
    SourcePosition where = SourcePosition.startOf(application.spec().configFile().toString());
    List<CallProfile.CallCount> counts = EstimatedCrossings
        .estimate(application, Runtime.getRuntime().availableProcessors()).stream()
        .map(crossing -> new CallProfile.CallCount(
            crossing.caller(), crossing.callee(), Math.max(1, Math.round(crossing.perRun())), where))
        .toList();
    return Optional.of(new CallProfile(counts, CallProfile.Source.CODE));
  }
}
