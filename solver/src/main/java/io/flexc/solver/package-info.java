/**
 * Stage 2 and 3 of the pipeline (see DESIGN.md, "Solver"): decides which libraries may share a
 * compartment under each choice of hardening, and picks a provably minimal {@link
 * io.flexc.model.Configuration} with a Choco constraint model seeded by JGraphT colouring bounds,
 * or lays out the whole design space. Input: an {@link io.flexc.model.Application}; nothing
 * downstream of {@code model} is visible here.
 */
package io.flexc.solver;
