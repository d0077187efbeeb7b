/**
 * Application configuration: {@link io.flexc.metadata.config.ApplicationLoader} reads an
 * application's {@code flexc.yaml}, every metadata file it names and the mechanisms it may use,
 * and cross-checks them into an {@link io.flexc.model.Application};
 * {@link io.flexc.metadata.config.KraftImporter} reads FlexOS's {@code kraft.yaml} as a fixed
 * configuration. YAML nodes stay in this package; positions travel on as diagnostics.
 */
package io.flexc.metadata.config;
