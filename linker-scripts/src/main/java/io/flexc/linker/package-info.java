/**
 * Stage 6 of the pipeline (see DESIGN.md, "Linker scripts"): GNU ld scripts that lay out each
 * compartment's sections, page-aligned, with start and end symbols: {@link
 * io.flexc.linker.LinuxLinkerScript} for one Linux program, {@link io.flexc.linker.ImageLinkerScript}
 * for each image of a one-image-per-compartment backend (ept), the shared section at a fixed address,
 * {@link io.flexc.linker.KernelLinkerScript} for one kernel image holding every compartment (mpk).
 */
package io.flexc.linker;
