/**
 * The syntax of the metadata language: the ANTLR grammar ({@code Metadata.g4}, generated into this
 * package) and {@link io.flexc.metadata.parse.SectionParser}, which turns a file into {@link
 * io.flexc.metadata.parse.RawSection}s of shape-only {@link io.flexc.metadata.parse.RawItem}s.
 * Parse trees never leave this package; what each section means is decided in {@code
 * io.flexc.metadata}.
 */
package io.flexc.metadata.parse;
