package io.flexc.linker;

import java.nio.file.Path;

/**
 * A global that more than one compartment touches: its own section in {@code object} (from
 * {@code -fdata-sections}: {@code .data.name}, {@code .bss.name} or {@code .rodata.name}) goes to
 * {@code .data_shared}.
 */
public record SharedSymbol(Path object, String symbol) {}
