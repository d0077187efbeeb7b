/**
 * Stage 4 of the pipeline (see DESIGN.md, "Transformer"): finds every cross-compartment reference
 * in the libraries' C sources and rewrites it, out of place, into a call through a gate; hands the
 * backends the list of gate sites.
 */
package io.flexc.transformer;
