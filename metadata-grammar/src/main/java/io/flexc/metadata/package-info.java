/**
 * Stage 1 of the pipeline: the safety-metadata language. {@link io.flexc.metadata.MetadataReader}
 * reads library metadata and mechanism definitions into {@code model} records with precise
 * diagnostics; {@link io.flexc.metadata.MetadataPrinter} writes them back canonically; {@link
 * io.flexc.metadata.MechanismCatalog} holds the built-in and user-defined hardening mechanisms.
 * The grammar and its parse trees stay in {@code io.flexc.metadata.parse}.
 */
package io.flexc.metadata;
