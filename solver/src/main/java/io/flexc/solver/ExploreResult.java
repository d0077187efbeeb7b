package io.flexc.solver;

/** What exploring a design space gave: the whole space, or a polite refusal with the count. */
public sealed interface ExploreResult {

  record Explored(DesignSpace space) implements ExploreResult {}

  /**
   * More valid configurations than the limit.
   *
   * @param candidates how many (partition, hardening) pairs exist before any rule, for scale
   */
  record TooLarge(long limit, String candidates) implements ExploreResult {}
}
