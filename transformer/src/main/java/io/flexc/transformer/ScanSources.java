package io.flexc.transformer;

import io.flexc.model.Application;
import io.flexc.model.LibrarySpec;
import io.flexc.transformer.objects.CompileCommand;
import io.flexc.transformer.source.CFile;
import io.flexc.transformer.source.CScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The transformer's first stage: reads and scans every source file of the application, and with
 * the object level on the headers its libraries can include (each header once, however many
 * libraries include it).
 */
final class ScanSources {

  /** How deep below an include directory headers are looked for ({@code lwip/priv/x.h} is 2). */
  private static final int HEADER_DEPTH = 4;

  private final Application application;
  private final Compilation compilation;
  private final boolean objectLevel;

  ScanSources(Application application, Compilation compilation, boolean objectLevel) {
    this.application = application;
    this.compilation = compilation;
    this.objectLevel = objectLevel;
  }

  ScannedSources scan() throws IOException {
    try {
      return scanAll();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private ScannedSources scanAll() throws IOException {
    Map<String, List<CFile>> filesOf = new LinkedHashMap<>();
    Map<String, List<CFile>> headersOf = new HashMap<>();
    Map<Path, CFile> scannedHeaders = new HashMap<>();
    for (LibrarySpec library : application.spec().libraries()) {
      filesOf.put(library.name(), library.sources().parallelStream().map(ScanSources::scanUnchecked).toList());
      List<CFile> headers = new ArrayList<>();
      if (objectLevel) {
        for (Path header : headersOf(library)) {
          headers.add(scannedHeaders.computeIfAbsent(header, ScanSources::scanUnchecked));
        }
      }
      headersOf.put(library.name(), List.copyOf(headers));
    }
    return new ScannedSources(filesOf, headersOf);
  }

  private static CFile scanUnchecked(Path file) {
    try {
      // Byte for byte (ISO-8859-1), so that the output differs only where edited.
      return CScanner.scan(file, Files.readString(file, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Headers a library's files can include: those in and below its source directories and its
   * project include directories (system directories under /usr are left out).
   */
  private Set<Path> headersOf(LibrarySpec library) throws IOException {
    Set<Path> directories = new TreeSet<>();
    for (Path source : library.sources()) {
      Path absolute = source.toAbsolutePath().normalize();
      directories.add(absolute.getParent());
      CompileCommand command = compilation.commandFor(library, absolute);
      List<String> words = command.compiler();
      for (int i = 0; i < words.size(); i++) {
        String word = words.get(i);
        if (word.startsWith("-I") || word.equals("-iquote") || word.equals("-isystem")) {
          String directory = word.length() > 2 && word.startsWith("-I") ? word.substring(2)
              : i + 1 < words.size() ? words.get(++i) : ".";
          directories.add(command.directory().resolve(directory).normalize());
        }
      }
    }
    Set<Path> headers = new TreeSet<>();
    for (Path directory : directories) {
      if (Files.isDirectory(directory) && !directory.startsWith("/usr")) {
        try (Stream<Path> walk = Files.walk(directory, HEADER_DEPTH)) {
          walk.filter(p -> p.toString().endsWith(".h")).forEach(headers::add);
        }
      }
    }
    return headers;
  }
}
