/**
 * Measurement: a measured exploration builds each configuration of a design space
 * ({@link io.flexc.build}), runs its workload and records the figures in a resumable table, then
 * draws the throughput plot and the measured poset and names the picks. Below the command line (no
 * picocli here): the caller claims the output directory and reads the options.
 */
package io.flexc.measure;
