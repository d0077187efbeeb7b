/**
 * The solver benchmark: {@link io.flexc.benchmarks.GeneratedApplication} builds reproducible
 * applications of any size from a seed, {@link io.flexc.benchmarks.SeedBaseline} runs the seed's
 * algorithm (every combination of hardening, one colouring each) under a wall-clock cap, and
 * {@link io.flexc.benchmarks.SolverBenchmark} times the constraint solver against it and prints
 * the Markdown table recorded in BENCHMARKS.md. Run by {@code scripts/bench-solver.sh}; not part
 * of the unit tests.
 */
package io.flexc.benchmarks;
