/**
 * Stage 6 of the pipeline (see DESIGN.md, "Linker scripts"): GNU ld scripts that lay out each
 * compartment's sections, page-aligned, with start and end symbols.
 */
package io.flexc.linker;
