/**
 * Stages 2 and 3 of the pipeline (see DESIGN.md, "Solver"): which libraries may share a
 * compartment under each choice of hardening, and which configuration to build.
 *
 * <p>Entry points: {@link io.flexc.solver.PlacementProblem#of} states the problem (application,
 * backend, allowed hardening, call graph, optional profile, extra pins);
 * {@link io.flexc.solver.ConfigurationSolver#solve} returns the provably best configuration or a
 * minimal set of conflicting rules; {@link io.flexc.solver.DesignSpaceExplorer} lays out every valid
 * configuration with its safety order; {@link io.flexc.solver.Compatibility} explains pairs; {@link
 * io.flexc.solver.ConfigurationChecker} is the independent referee of any configuration.
 */
package io.flexc.solver;
