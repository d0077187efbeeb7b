package io.flexc.cli;

import io.flexc.backends.IsolationBackends;
import io.flexc.build.Counted;
import io.flexc.build.TextTable;
import io.flexc.metadata.MetadataPrinter;
import io.flexc.metadata.MetadataReader;
import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.metadata.config.KraftImporter;
import io.flexc.model.Application;
import io.flexc.model.Behaviour;
import io.flexc.model.Constraint;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.ImportedConfiguration;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.Located;
import io.flexc.model.Permission;
import io.flexc.model.Printable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code flexc check PATH…}: validates application directories (flexc.yaml, every metadata file
 * it names, and kraft.yaml when there is one) or single files (library metadata, {@code *.mech}
 * mechanism definitions, a flexc.yaml or a kraft.yaml), and prints what it read as a table.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Validate applications and metadata files and show what they say.",
      "Exit 0 when everything is valid, 1 when there are errors (all are printed), 2 on usage errors."
    })
final class CheckCommand implements Callable<Integer> {

  private static final String KRAFT_FILE = "kraft.yaml";

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "An application directory (with flexc.yaml), a metadata file (*.meta,"
          + " Properties.def), a mechanism definition (*.mech), a flexc.yaml or a kraft.yaml.")
  private List<Path> paths;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "No such file or directory: " + Printable.escape(path.toString()));
      }
      if (Files.isDirectory(path)) {
        ProblemOptions.requireApplicationDirectory(path, spec.commandLine());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    boolean valid = true;
    for (Path path : paths) {
      valid &= check(path, out);
    }
    out.flush();
    return valid ? 0 : Flexc.EXIT_INVALID_INPUT;
  }

  private boolean check(Path path, PrintWriter out) {
    String fileName = path.getFileName() == null ? "" : path.getFileName().toString();
    if (Files.isDirectory(path) || fileName.equals(ApplicationLoader.CONFIG_FILE)) {
      return checkApplication(path, out);
    }
    if (fileName.equals(KRAFT_FILE)) {
      return Diagnostics.report(KraftImporter.read(path, IsolationBackends.catalog()), err()).map(kraft -> printKraft(kraft, out)).isPresent();
    }
    if (MetadataReader.isMechanismFile(path)) {
      return Diagnostics.report(MetadataReader.readMechanism(path), err())
          .map(mechanism -> printMechanisms(List.of(mechanism), out))
          .isPresent();
    }
    return Diagnostics.report(MetadataReader.readLibrary(path), err())
        .map(library -> printLibraries(List.of(library.value()), out))
        .isPresent();
  }

  private boolean checkApplication(Path path, PrintWriter out) {
    Optional<Application> application = Diagnostics.report(ApplicationLoader.load(path, IsolationBackends.catalog()), err());
    if (application.isEmpty()) {
      return false;
    }
    Application app = application.get();
    out.printf(
        "%s: %s, backend %s, hardening allowed: %s%n",
        app.name(),
        Counted.of(app.libraries().size(), "library", "libraries"),
        app.spec().backend().label(),
        app.spec().hardening().isEmpty() ? "none" : String.join(", ", app.spec().hardening()));
    printLibraries(app.libraries().values().stream().map(Located::value).toList(), out);
    for (Constraint constraint : app.spec().constraints()) {
      out.println("constraint " + constraint.describe());
    }
    Path directory = Files.isDirectory(path) ? path : app.spec().directory();
    Path kraft = directory.resolve(KRAFT_FILE);
    if (Files.exists(kraft)) {
      return Diagnostics.report(KraftImporter.readFor(kraft, app, IsolationBackends.catalog()), err()).map(k -> printKraft(k, out)).isPresent();
    }
    return true;
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }

  private static boolean printLibraries(List<LibraryMetadata> libraries, PrintWriter out) {
    TextTable table =
        new TextTable("LIBRARY", "MEMORY", "CALL", "REQUIRES", "API", "ROLE", "VERIFIED", "BEHAVIOURS");
    for (LibraryMetadata library : libraries) {
      table.row(
          library.name(),
          orDash(String.join(", ", MetadataPrinter.memoryAccess(library.memoryAccess()))),
          String.join(", ", MetadataPrinter.call(library.call())),
          orDash(new TreeSet<>(library.requires()).stream().map(Permission::name).collect(Collectors.joining(", "))),
          Integer.toString(library.api().size()),
          library.role().orElse("-"),
          library.verifiedWith().orElse("no"),
          orDash(new TreeSet<>(library.behaviours()).stream().map(Behaviour::notation).collect(Collectors.joining(", "))));
    }
    table.print(out);
    return true;
  }

  private static boolean printMechanisms(List<Located<HardeningMechanism>> mechanisms, PrintWriter out) {
    TextTable table = new TextTable("MECHANISM", "EFFECT", "NEEDS", "COST", "SAFETY", "FLAGS");
    for (Located<HardeningMechanism> located : mechanisms) {
      HardeningMechanism mechanism = located.value();
      table.row(
          mechanism.name(),
          orDash(new TreeSet<>(mechanism.restricts()).stream()
              .map(b -> b.notation() + " -> " + b.restrictedNotation())
              .collect(Collectors.joining(", "))),
          orDash(String.join(", ", new TreeSet<>(mechanism.needs()))),
          mechanism.cost() + "%",
          Integer.toString(mechanism.safety()),
          orDash(String.join(" ", mechanism.compilerFlags())));
    }
    table.print(out);
    return true;
  }

  private static boolean printKraft(ImportedConfiguration kraft, PrintWriter out) {
    out.printf(
        "kraft.yaml %s: %s (%s), backend %s%n",
        kraft.name(),
        Counted.of(kraft.compartmentNames().size(), "compartment"),
        String.join(", ", kraft.compartmentNames()),
        kraft.backend().label());
    TextTable table = new TextTable("LIBRARY", "COMPARTMENT", "HARDENING");
    for (Map.Entry<String, Integer> entry : kraft.configuration().compartmentOf().entrySet()) {
      table.row(
          entry.getKey(),
          kraft.compartmentNames().get(entry.getValue()),
          orDash(String.join(", ", new TreeSet<>(kraft.configuration().hardeningOf(entry.getKey())))));
    }
    table.print(out);
    return true;
  }

  private static String orDash(String text) {
    return text.isEmpty() ? "-" : text;
  }
}
