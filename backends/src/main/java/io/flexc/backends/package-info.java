/**
 * Stage 5 of the pipeline (see DESIGN.md, "Backends and gates"): gate stubs, runtime and build
 * flags for each {@link io.flexc.model.Backend}. ept and proc share one call protocol, written
 * against a transport interface that each implements ({@code RpcProtocol}).
 */
package io.flexc.backends;
