package io.flexc.metadata;

import io.flexc.metadata.parse.RawSection;
import io.flexc.metadata.parse.SectionParser;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.InputFiles;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.Located;
import io.flexc.model.Outcome;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads metadata files: library metadata ({@code *.meta}, FlexOS's {@code Properties.def}) and
 * hardening-mechanism definitions ({@code *.mech}). Both are the same language; they differ in the
 * sections they accept.
 *
 * <p>Never throws on bad input: unreadable, special or oversized files ({@link InputFiles}), malformed
 * bytes (replaced by U+FFFD) and every syntax or semantic problem come back as diagnostics.
 */
public final class MetadataReader {

  /** The extension of hardening-mechanism definitions. */
  public static final String MECHANISM_EXTENSION = ".mech";

  private MetadataReader() {}

  /**
   * Reads the library metadata in {@code file}. A file without a {@code [Library]} section names
   * the library after itself ({@code sched.meta} is {@code sched}; a {@code Properties.def} after
   * its directory).
   */
  public static Outcome<Located<LibraryMetadata>> readLibrary(Path file) {
    return readLibrary(file, defaultLibraryName(file));
  }

  /** Reads the library metadata in {@code file}, naming it {@code defaultName} if it does not. */
  public static Outcome<Located<LibraryMetadata>> readLibrary(Path file, String defaultName) {
    Outcome<String> text = InputFiles.read(file);
    return text.succeeded()
        ? parseLibrary(file.toString(), text.get(), defaultName)
        : Outcome.failure(text.diagnostics());
  }

  /** Parses library metadata from {@code text}; {@code fileLabel} prefixes every diagnostic. */
  public static Outcome<Located<LibraryMetadata>> parseLibrary(
      String fileLabel, String text, String defaultName) {
    Outcome<List<RawSection>> sections = new SectionParser(fileLabel).parse(text);
    if (!sections.succeeded()) {
      return Outcome.failure(sections.diagnostics());
    }
    return new LibraryInterpreter(fileLabel, defaultName)
        .interpret(sections.get())
        .sortedByPosition()
        .limitedPerFile();
  }

  public static Outcome<Located<HardeningMechanism>> readMechanism(Path file) {
    Outcome<String> text = InputFiles.read(file);
    return text.succeeded() ? parseMechanism(file.toString(), text.get()) : Outcome.failure(text.diagnostics());
  }

  public static Outcome<Located<HardeningMechanism>> parseMechanism(String fileLabel, String text) {
    Outcome<List<RawSection>> sections = new SectionParser(fileLabel).parse(text);
    if (!sections.succeeded()) {
      return Outcome.failure(sections.diagnostics());
    }
    return new MechanismInterpreter(fileLabel).interpret(sections.get()).sortedByPosition().limitedPerFile();
  }

  public static boolean isMechanismFile(Path file) {
    return file.getFileName() != null
        && file.getFileName().toString().endsWith(MECHANISM_EXTENSION);
  }

  static String defaultLibraryName(Path file) {
    Path name = file.toAbsolutePath().normalize().getFileName();
    String base = name == null ? "" : name.toString();
    if (base.equals("Properties.def")) {
      Path directory = file.toAbsolutePath().normalize().getParent();
      return directory == null || directory.getFileName() == null
          ? base
          : directory.getFileName().toString();
    }
    int dot = base.lastIndexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }
}
