/**
 * The {@code flexc} command line. {@link io.flexc.cli.Flexc} is the entry point; each subcommand is
 * one class ({@link io.flexc.cli.CheckCommand} …) that calls the public entry point of its stage
 * and prints through the command's writers, so tests capture exactly what users see. Building
 * and linking are {@link io.flexc.build}'s, measurement {@link io.flexc.measure}'s; what stays
 * here is options, claiming the output directory, and printing.
 *
 * <p>Exit codes: 0 success, 1 invalid input (diagnostics printed), 2 usage error, 3 unsatisfiable
 * policy, 4 solver timeout without an answer, 5 design space beyond {@code explore --limit}.
 */
package io.flexc.cli;
