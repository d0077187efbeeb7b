/**
 * Stage 5 of the pipeline (see DESIGN.md, "Backends and gates"): gate stubs, runtime and build
 * flags for each isolation backend. Each mechanism is one {@link io.flexc.backends.IsolationBackend}
 * in a package of its own ({@code fcall}, {@code mpk}, {@code ept}, {@code proc}), listed in {@link
 * io.flexc.backends.IsolationBackends}. ept and proc share one call protocol, written against a
 * transport interface that each implements ({@code RpcProtocol}).
 *
 * <p>The C, headers and linker scripts are resources beside these classes
 * (src/main/resources/io/flexc/backends/): a runtime part without per-configuration holes is a
 * plain {@code .c} or {@code .h} file, copied as it is, so it can be read, linted, compiled and
 * unit-tested as C on its own (src/test/c, run by {@code RuntimeInCTest}); a part with holes is a
 * StringTemplate 4 group ({@code .stg}), whose attributes are small records, the output model the
 * Java builds. StringTemplate is the template engine of ANTLR's own code generator, and it is
 * logic-less: a template can only test an attribute and iterate over a list, so every decision
 * stays in Java and every line of C stays in a template ({@link io.flexc.layout.Templates}). The
 * Java only chooses, fills in and writes them. The names of the compartments' sections and their
 * symbols, which the runtimes read, come from {@link io.flexc.layout.Layout}, as the linker
 * scripts' do.
 */
package io.flexc.backends;
