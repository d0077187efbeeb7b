/**
 * Stage 4 of the pipeline (see DESIGN.md, "Transformer"): finds every cross-compartment reference
 * in the libraries' C sources and rewrites it, out of place, into a call through a gate; hands the
 * backends the list of gate sites.
 *
 * <p>{@link io.flexc.transformer.Transformer#transform} runs these stages in order, each a class
 * with one method that returns an immutable record for the next:
 *
 * <ol>
 *   <li>{@code ScanSources} → {@code ScannedSources}: every source file scanned, and (object level)
 *       the headers each library can include;
 *   <li>{@code CompileOriginals} → {@code Originals} (object level): the sources compiled as given,
 *       and each file's active macros;
 *   <li>{@code ResolveOwnership} → {@code Ownership}: which library defines each function and
 *       datum, from the original objects first and then the scanned definitions, and each
 *       function's prototype;
 *   <li>{@code PlanGates} → {@code GatePlan} (object level): the call gates the configuration needs,
 *       from the original objects, which the caller's {@code GatePlan.Check} may refuse before
 *       anything is rewritten;
 *   <li>{@code RewriteSources} → {@code Rewrite}: each file rewritten by {@code SourceRewriter}
 *       into {@code src/} and compiled into {@code objects/}, again without the names the compiler
 *       rejected, then falling back to the original text;
 *   <li>{@code CheckObjects} → {@code CheckedObjects} (object level): references the rewrite did
 *       not reach redirected with objcopy, data used across compartments listed, coverage counted;
 *   <li>{@code RouteAddresses} → {@code RoutedAddresses} (object level): every address of a function
 *       the objects take (a relocation that is not a call) in an exposed compartment pointed at the
 *       function's entry gate, relocation by relocation ({@code objects.RelocationEditor});
 *   <li>{@code PrunedGates} (object level): the gates no object references left out, with why.
 * </ol>
 *
 * <p>{@code EditedObjects} keeps both versions of every object the object level edited, for the
 * Makefile to restore.
 *
 * <p>{@code SourceRewriter} rewrites one file by running one class per rewrite rule over it, each
 * adding position-tied edits ({@code Edits}) to the file's {@code FileRewrite}:
 * {@code CallGateRule}, {@code CallbackRule}, {@code SharedLocalRule}, {@code SharedAllocationRule},
 * {@code FlexosAnnotationRule} and {@code MacroExpansionRule}.
 *
 * <p>{@code Compilation} is what the stages share: each file's compile command and where its
 * object goes.
 */
package io.flexc.transformer;
