/**
 * The layout shared by the backends (stage 5) and the linker scripts (stage 6), between the
 * transformer and them in the pipeline (see DESIGN.md): the names of each compartment's sections
 * and of the symbols that bracket them ({@link io.flexc.layout.CompartmentSection}), of the
 * sections every compartment shares ({@link io.flexc.layout.SharedSection}), gathered for a program
 * or an image in {@link io.flexc.layout.Layout}. A linker script defines these symbols and a
 * runtime reads them; both take the names from here, their templates never compose one.
 *
 * <p>It also holds {@link io.flexc.layout.Templates}, the StringTemplate 4 renderer both stages
 * (and the cli's scripts) write their text with: the text stays in resources, C as C, ld as ld,
 * and the Java builds the records the templates read.
 */
package io.flexc.layout;
