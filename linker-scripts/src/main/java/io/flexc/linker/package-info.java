/**
 * Stage 6 of the pipeline (see DESIGN.md, "Linker scripts"): GNU ld scripts that lay out each
 * compartment's sections, page-aligned, with start and end symbols: {@link
 * io.flexc.linker.LinuxLinkerScript} for one Linux program, {@link io.flexc.linker.ImageLinkerScript}
 * for each image of a one-image-per-compartment backend (ept), the shared section at a fixed address,
 * {@link io.flexc.linker.KernelLinkerScript} for one kernel image holding every compartment (mpk).
 *
 * <p>The scripts' text is ld as written, in one StringTemplate group (src/main/resources/io/flexc/linker/ld.stg),
 * rendered through {@link io.flexc.layout.Templates}; the names of sections and symbols come from
 * {@link io.flexc.layout.Layout}, which the backends' runtimes read them from too. The Java only
 * quotes the objects and fills in the addresses ({@code ScriptTemplates}).
 */
package io.flexc.linker;
