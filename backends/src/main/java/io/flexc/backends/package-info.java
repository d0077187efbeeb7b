/**
 * Stage 5 of the pipeline (see DESIGN.md, "Backends and gates"): gate stubs, runtime and build
 * flags for each {@link io.flexc.model.Backend}.
 */
package io.flexc.backends;
