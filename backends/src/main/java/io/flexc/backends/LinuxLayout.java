package io.flexc.backends;

import io.flexc.linker.CompartmentObjects;
import io.flexc.linker.LinuxLinkerScript;
import io.flexc.linker.SharedSymbol;
import io.flexc.model.SharedData;
import io.flexc.transformer.TransformReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Linux program's layout: each compartment's objects and the globals compartments share, as
 * the linker script {@code link/linux.ld} places them in page-aligned sections.
 */
public record LinuxLayout(List<CompartmentObjects> compartments, List<SharedSymbol> shared) {

  public LinuxLayout {
    compartments = List.copyOf(compartments);
    shared = List.copyOf(shared);
  }

  public static LinuxLayout of(TransformReport report, Path directory) {
    Map<Integer, List<Path>> objects = new TreeMap<>();
    Map<Path, Path> objectOf = new HashMap<>();
    for (TransformReport.FileOutcome file : report.files()) {
      // Named as a link run in OUT names them: ld matches input files by the name it was given.
      file.object().map(directory::relativize).ifPresent(object -> {
        objects.computeIfAbsent(report.compartmentOf().get(file.library()), k -> new ArrayList<>()).add(object);
        objectOf.put(file.original().toAbsolutePath().normalize(), object);
      });
    }
    List<CompartmentObjects> compartments = new ArrayList<>();
    objects.forEach((k, list) -> compartments.add(new CompartmentObjects(k, list)));
    List<SharedSymbol> shared = new ArrayList<>();
    for (SharedData data : report.shared()) {
      if (data instanceof SharedData.Global global && global.file() != null) {
        Path object = objectOf.get(global.file().toAbsolutePath().normalize());
        if (object != null) {
          shared.add(new SharedSymbol(object, global.symbol()));
        }
      }
    }
    return new LinuxLayout(compartments, shared);
  }

  /** Writes {@code link/linux.ld} into the build {@code directory}. */
  public void writeLinuxScript(Path directory) throws IOException {
    Path script = directory.resolve("link/linux.ld");
    Files.createDirectories(script.getParent());
    Files.writeString(script, LinuxLinkerScript.generate(compartments, shared, "flexc"));
  }
}
