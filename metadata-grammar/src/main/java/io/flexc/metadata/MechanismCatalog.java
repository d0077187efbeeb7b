package io.flexc.metadata;

import io.flexc.model.Diagnostic;
import io.flexc.model.DiagnosticKind;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.Located;
import io.flexc.model.MechanismSection;
import io.flexc.model.Outcome;
import io.flexc.model.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every hardening mechanism an application can use: the built-in definitions shipped as resources
 * ({@code asan}, {@code cfi}, {@code sp}, {@code ubsan}) and, when given, every {@code *.mech} file
 * of a user directory, which may add mechanisms or replace built-in ones.
 *
 * <p>No mechanism is known to Java code; adding a file is enough to add a mechanism.
 */
public final class MechanismCatalog {

  private static final String RESOURCE_DIRECTORY = "mechanisms/";

  private MechanismCatalog() {}

  /** The built-in mechanisms, plus those of {@code userDirectory} when present. */
  public static Outcome<Map<String, Located<HardeningMechanism>>> load(Optional<Path> userDirectory) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    Map<String, Located<HardeningMechanism>> mechanisms = new LinkedHashMap<>();
    for (String name : builtinNames()) {
      String resource = RESOURCE_DIRECTORY + name + MetadataReader.MECHANISM_EXTENSION;
      Outcome<Located<HardeningMechanism>> outcome =
          MetadataReader.parseMechanism("flexc:" + resource, readResource(resource));
      // A broken built-in definition is a bug in flexc itself, not in the user's input.
      Located<HardeningMechanism> mechanism = outcome.value().orElseThrow(
          () -> new IllegalStateException("built-in mechanism " + name + ": " + outcome.diagnostics()));
      mechanisms.put(mechanism.value().name(), mechanism);
    }
    userDirectory.ifPresent(directory -> addUserMechanisms(directory, mechanisms, diagnostics));
    checkNeeds(mechanisms, diagnostics);
    return Outcome.of(Collections.unmodifiableMap(mechanisms), diagnostics);
  }

  private static void addUserMechanisms(
      Path directory,
      Map<String, Located<HardeningMechanism>> mechanisms,
      List<Diagnostic> diagnostics) {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(MetadataReader::isMechanismFile).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      diagnostics.add(
          Diagnostic.of(
              DiagnosticKind.IO_ERROR,
              SourcePosition.startOf(directory.toString()),
              directory,
              "not a readable directory of *.mech files"));
      return;
    }
    for (Path file : files) {
      Outcome<Located<HardeningMechanism>> outcome = MetadataReader.readMechanism(file);
      diagnostics.addAll(outcome.diagnostics());
      outcome.value().ifPresent(mechanism -> {
        Located<HardeningMechanism> replaced = mechanisms.put(mechanism.value().name(), mechanism);
        if (replaced != null) {
          diagnostics.add(
              Diagnostic.of(
                  DiagnosticKind.REDEFINED_MECHANISM,
                  mechanism.source().section(MechanismSection.MECHANISM.title()),
                  mechanism.value().name(),
                  replaced.source().file()));
        }
      });
    }
  }

  private static void checkNeeds(
      Map<String, Located<HardeningMechanism>> mechanisms, List<Diagnostic> diagnostics) {
    for (Located<HardeningMechanism> mechanism : mechanisms.values()) {
      for (String needed : mechanism.value().needs()) {
        if (!mechanisms.containsKey(needed)) {
          diagnostics.add(
              Diagnostic.of(
                  DiagnosticKind.UNKNOWN_MECHANISM,
                  mechanism.source().section(MechanismSection.NEEDS.title()),
                  needed,
                  String.join(", ", mechanisms.keySet())));
        }
      }
    }
  }

  private static List<String> builtinNames() {
    return readResource(RESOURCE_DIRECTORY + "index").lines().map(String::strip)
        .filter(line -> !line.isEmpty())
        .toList();
  }

  private static String readResource(String name) {
    try (InputStream in = MechanismCatalog.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("flexc is missing its resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
