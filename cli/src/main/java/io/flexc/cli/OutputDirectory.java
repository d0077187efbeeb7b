package io.flexc.cli;

import io.flexc.build.AtomicDirectory;
import io.flexc.build.AtomicFile;
import io.flexc.build.BuildTarget;
import io.flexc.measure.ExplorationOutput;
import io.flexc.model.Application;
import io.flexc.model.LibrarySpec;
import io.flexc.transformer.Directories;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An output directory flexc may write: one that does not exist yet, or one a previous flexc run
 * wrote, which it marks with {@value #MARKER} (naming the tool, the command and the application).
 * Anything else is refused before any work starts, since writing there would replace what the user
 * keeps in it: the application's directory, a directory inside it or containing it or any of its
 * input files, the current directory or one containing it, an existing file, or a directory flexc
 * did not write. Paths are compared as the file system resolves them, symbolic links followed.
 */
final class OutputDirectory implements BuildTarget, ExplorationOutput {

  static final String MARKER = ".flexc-output";

  private final Path given;
  private final Path path;
  private final String stamp;

  private OutputDirectory(Path given, Path path, String command, String application) {
    this.given = given;
    this.path = path;
    this.stamp = "flexc " + command + " " + application + "\n"
        + "This directory is flexc's output: flexc replaces it when told to write here again.\n";
  }

  /**
   * The output directory {@code requested} for {@code command} on {@code application}, or empty
   * after printing why flexc will not write there.
   */
  static Optional<OutputDirectory> claim(Path requested, Application application, String command, PrintWriter err)
      throws IOException {
    Path resolved = resolve(requested);
    Optional<String> refusal = refusal(resolved, application);
    if (refusal.isPresent()) {
      String named = resolved.equals(requested) ? "" : " (" + resolved + ")";
      err.println("flexc: will not write to " + requested + named + ": " + refusal.get());
      return Optional.empty();
    }
    return Optional.of(new OutputDirectory(requested, resolved, command, application.name()));
  }

  private static Optional<String> refusal(Path resolved, Application application) throws IOException {
    Path input = application.spec().directory().toRealPath();
    String outsideInput = "choose a directory outside " + input;
    if (resolved.equals(input)) {
      return Optional.of("it is the application's directory, which flexc never writes; " + outsideInput);
    }
    if (input.startsWith(resolved)) {
      return Optional.of("it contains the application's directory " + input + ", which replacing it would delete; "
          + outsideInput);
    }
    if (resolved.startsWith(input)) {
      return Optional.of("it is inside the application's directory " + input + ", which flexc never writes; "
          + outsideInput);
    }
    for (Path file : inputFiles(application)) {
      if (file.startsWith(resolved)) {
        return Optional.of("it contains " + file + ", an input of " + application.name()
            + ", which replacing it would delete; choose a directory that holds no input");
      }
    }
    Path here = Path.of("").toRealPath();
    if (here.startsWith(resolved)) {
      return Optional.of((here.equals(resolved) ? "it is the current directory" : "it contains the current directory "
          + here) + ", which replacing it would delete; choose a new directory");
    }
    if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
      Path existing = resolved.getParent();
      while (!Files.exists(existing)) {
        existing = existing.getParent();
      }
      return Files.isDirectory(existing) ? Optional.empty()
          : Optional.of(existing + " is not a directory; choose a directory that does not exist");
    }
    if (!Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of("it exists and is not a directory; choose a directory that does not exist");
    }
    if (!Files.isRegularFile(resolved.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of("it exists and flexc did not write it (it has no " + MARKER + "); choose a directory that"
          + " does not exist, or remove this one");
    }
    return Optional.empty();
  }

  /**
   * {@code requested} as the file system resolves it: its longest existing part by its real path
   * (symbolic links followed), the rest, which does not exist yet, appended. {@link OutputFile}
   * compares its files the same way.
   */
  static Path resolve(Path requested) throws IOException {
    Path absolute = requested.toAbsolutePath();
    Path existing = absolute;
    while (existing.getParent() != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (!Files.exists(existing)) {
      return absolute.normalize();
    }
    Path resolved = existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
    // A dangling symbolic link is itself what is there: it must not be replaced as if nothing were.
    return Files.isSymbolicLink(absolute) && !Files.exists(absolute) ? absolute.normalize() : resolved;
  }

  /**
   * The files and directories outside the application's directory it reads too (flexc.yaml may
   * name them), {@linkplain #resolve resolved}.
   */
  static List<Path> inputFiles(Application application) throws IOException {
    List<Path> files = new ArrayList<>();
    application.spec().mechanismDirectory().ifPresent(files::add);
    application.spec().build().compileCommands().ifPresent(files::add);
    for (LibrarySpec library : application.spec().libraries()) {
      files.add(library.metadata());
      files.addAll(library.sources());
    }
    List<Path> resolved = new ArrayList<>();
    for (Path file : files) {
      resolved.add(resolve(file));
    }
    return resolved;
  }

  /** The directory as the user named it, for messages and summaries. */
  @Override
  public Path given() {
    return given;
  }

  /** Where the directory is, symbolic links resolved. */
  @Override
  public Path path() {
    return path;
  }

  /** A directory that does not exist yet inside scratch space flexc made itself, which it owns. */
  static OutputDirectory inScratch(Path directory, String command, Application application) {
    return new OutputDirectory(directory, directory, command, application.name());
  }

  /** A directory inside this one, which flexc owns as it owns this one. */
  @Override
  public OutputDirectory inside(Path relative, String command, String application) {
    return new OutputDirectory(given.resolve(relative), path.resolve(relative), command, application);
  }

  /**
   * Writes the directory completely or not at all ({@link AtomicDirectory}), marked as flexc's; what
   * was there before is replaced.
   */
  @Override
  public void replace(AtomicDirectory.Content content) throws IOException, InterruptedException {
    AtomicDirectory.write(path, directory -> {
      content.writeInto(directory);
      Files.writeString(directory.resolve(MARKER), stamp);
    });
  }

  /** Empties the directory and marks it as flexc's, for output written in place (a measured exploration). */
  @Override
  public void recreate() throws IOException {
    Directories.delete(path);
    Files.createDirectories(path);
    AtomicFile.write(path.resolve(MARKER), writer -> writer.write(stamp));
  }
}
