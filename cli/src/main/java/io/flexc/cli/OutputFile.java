package io.flexc.cli;

import io.flexc.build.AtomicFile;
import io.flexc.model.Application;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files a command writes because an option names them ({@code --json FILE}), checked before
 * any work: flexc replaces such a file (atomically, by {@link AtomicFile}), which is what a user
 * wants of an earlier output, but never what it reads or what another output of the same command
 * is. Refused are a file in the application's directory, an input flexc.yaml or the command line
 * names (or one inside such an input directory), the command's output directory or what would
 * hold it, an existing directory, a path below an existing file, and a file two options name.
 * Paths are compared as {@link OutputDirectory} compares them, symbolic links followed.
 */
final class OutputFile {

  /** A file an option names: what the command writes ({@code --json}) or reads ({@code --profile}). */
  record Named(String option, Path path) {}

  private OutputFile() {}

  /**
   * Whether the command may write every file of {@code outputs}, after printing why not for each
   * it may not. Options not given ({@code path} null) are skipped, among outputs and inputs.
   *
   * @param inputs the files the command line names for the command to read
   * @param directory the command's output directory, when it writes one
   */
  static boolean mayWrite(List<Named> outputs, Application application, List<Named> inputs,
      Optional<OutputDirectory> directory, PrintWriter err) throws IOException {
    boolean allowed = true;
    List<Named> claimed = new ArrayList<>();
    for (Named output : outputs) {
      if (output.path() == null) {
        continue;
      }
      Path resolved = OutputDirectory.resolve(output.path());
      Optional<String> refusal = refusal(resolved, application, inputs, directory);
      if (refusal.isEmpty()) {
        for (Named earlier : claimed) {
          if (OutputDirectory.resolve(earlier.path()).equals(resolved)) {
            refusal = Optional.of(earlier.option() + " writes it too; give each output its own file");
          }
        }
      }
      if (refusal.isPresent()) {
        String named = resolved.equals(output.path()) ? "" : " (" + resolved + ")";
        err.println("flexc: will not write " + output.option() + " to " + output.path() + named + ": " + refusal.get());
        allowed = false;
      }
      claimed.add(output);
    }
    return allowed;
  }

  private static Optional<String> refusal(Path resolved, Application application, List<Named> inputs,
      Optional<OutputDirectory> directory) throws IOException {
    Path input = application.spec().directory().toRealPath();
    if (resolved.startsWith(input)) {
      return Optional.of((resolved.equals(input) ? "it is the application's directory"
          : "it is inside the application's directory " + input) + ", which flexc never writes; choose a file outside "
          + input);
    }
    for (Path file : OutputDirectory.inputFiles(application)) {
      Optional<String> read = readByCommand(resolved, file, "an input of " + application.name());
      if (read.isPresent()) {
        return read;
      }
    }
    for (Named named : inputs) {
      if (named.path() != null) {
        Optional<String> read =
            readByCommand(resolved, OutputDirectory.resolve(named.path()), "the " + named.option() + " input");
        if (read.isPresent()) {
          return read;
        }
      }
    }
    if (directory.isPresent()) {
      Path written = directory.get().path();
      if (resolved.startsWith(written)) {
        return Optional.of("it is inside the output directory " + directory.get().given()
            + ", which flexc replaces; choose a file outside it");
      }
      if (written.startsWith(resolved)) {
        return Optional.of("the output directory " + directory.get().given() + " goes there; choose another file");
      }
    }
    if (Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of("it is a directory; name a file");
    }
    Path existing = resolved.getParent();
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    return Files.isDirectory(existing) ? Optional.empty()
        : Optional.of(existing + " is not a directory; choose a file in a directory");
  }

  /** Why {@code resolved} must not be written if it is {@code read}, or inside it, described as {@code what}. */
  private static Optional<String> readByCommand(Path resolved, Path read, String what) {
    if (resolved.equals(read)) {
      return Optional.of("it is " + what + ", which flexc never writes; choose another file");
    }
    if (resolved.startsWith(read)) {
      return Optional.of("it is inside " + read + ", " + what + ", which flexc never writes; choose a file outside it");
    }
    return Optional.empty();
  }
}
