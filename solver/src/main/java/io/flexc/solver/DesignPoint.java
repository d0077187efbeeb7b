package io.flexc.solver;

import io.flexc.model.Configuration;

/** One configuration of the design space, numbered in the order it was enumerated. */
public record DesignPoint(int id, Configuration configuration, Cost cost, Safety safety) {}
