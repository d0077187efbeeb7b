package io.flexc.backends;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A C file a backend generated, and the application source whose flags it compiles with (a gate
 * stub needs its callee's headers); empty for files that need only the C library.
 */
public record GeneratedSource(Path file, Optional<Path> compileLike) {}
