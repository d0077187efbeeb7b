package io.flexc.transformer;

import io.flexc.model.LibrarySpec;
import java.nio.file.Path;

/**
 * One source file to compile: {@code file} as the library lists it (which names its object and its
 * compile command) and {@code text}, where its text is read from (the file itself, or its rewrite).
 */
record Source(LibrarySpec library, Path file, Path text) {}
