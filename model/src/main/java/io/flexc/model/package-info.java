/**
 * The records every stage of flexc shares: library safety metadata ({@link
 * io.flexc.model.LibraryMetadata}), hardening mechanisms ({@link io.flexc.model.HardeningMechanism}),
 * applications ({@link io.flexc.model.Application}), configurations ({@link
 * io.flexc.model.Configuration}) and diagnostics ({@link io.flexc.model.Diagnostic}).
 *
 * <p>Everything here is an immutable record or enum that validates itself on construction; no
 * stage ever sees a parse tree or a YAML node, only these values. This module depends on nothing.
 */
package io.flexc.model;
