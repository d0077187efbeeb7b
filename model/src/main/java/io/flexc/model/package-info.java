/**
 * The records every stage of flexc shares: library safety metadata ({@link
 * io.flexc.model.LibraryMetadata}), hardening mechanisms ({@link io.flexc.model.HardeningMechanism}),
 * applications ({@link io.flexc.model.Application}), configurations ({@link
 * io.flexc.model.Configuration}), diagnostics ({@link io.flexc.model.Diagnostic}), and what the
 * transformer hands the backends: gates ({@link io.flexc.model.Gate}) with the prototypes the
 * compiler saw ({@link io.flexc.model.Prototype}), the sites that call them ({@link
 * io.flexc.model.GateSite}) and the data that must be shared ({@link io.flexc.model.SharedData}).
 *
 * <p>Everything here is an immutable record or enum that validates itself on construction; no
 * stage ever sees a parse tree or a YAML node, only these values. This module depends on nothing.
 */
package io.flexc.model;
