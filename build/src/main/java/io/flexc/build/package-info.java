/**
 * Building and linking one configuration of an application into an output directory: the
 * sources rewritten, the backend's gates generated and compiled, the linker script written, the
 * program linked and checked, the Makefile and reports written. Below the command line (no
 * picocli here): the caller claims the output directory and prints what a build reports.
 */
package io.flexc.build;
