package io.flexc.backends.ept;

import io.flexc.backends.EptGates;
import io.flexc.backends.GateSettings;
import io.flexc.backends.GateStubRefusals;
import io.flexc.backends.GeneratedGates;
import io.flexc.backends.IsolationBackend;
import io.flexc.linker.CompartmentObjects;
import io.flexc.linker.ImageLinkerScript;
import io.flexc.model.Backend;
import io.flexc.model.Gate;
import io.flexc.model.SharedData;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.Transformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * One VM per compartment, calls by RPC over a shared area; every compartment carries its own
 * scheduler and allocator. A crossing is an RPC between VMs, 462 cycles (FlexOS, ASPLOS'22). The
 * build is one unikernel image per compartment, {@code gates/image_c<k>/} and {@code
 * link/image_c<k>.ld} each, its C compiled here for Linux (KVM transport) only to check it: there is
 * no single program, and flexc cannot boot the images here.
 */
public final class EptBackend implements IsolationBackend {

  private static final Backend MODEL = new Backend(
      "ept", Optional.of("vmept"), 462, OptionalInt.empty(), Set.of(), Set.of("scheduler", "allocator"));

  /** Where an ept build's images are, in build.json and in why flexc run cannot run them. */
  private static final String IMAGES = "gates/image_c<k>, link/image_c<k>.ld";

  @Override
  public Backend model() {
    return MODEL;
  }

  /** Its compartments are separate images: a function's address means nothing in another (see EntryGates). */
  @Override
  public Transformer.Options transformOptions(Transformer.Options options, Map<String, Integer> compartmentOf) {
    return options.withoutEntryGates();
  }

  @Override
  public List<String> refusals(List<Gate> gates) {
    return GateStubRefusals.of(gates, label(), true);
  }

  @Override
  public boolean refusesSomeGates() {
    return true;
  }

  @Override
  public GeneratedGates writeGates(TransformReport report, GateSettings settings, Path gates) throws IOException {
    refuseGlobalsAcrossImages(report);
    List<EptGates.Image> images =
        EptGates.write(report.gates(), settings.compartmentNames(), settings.mainCompartment(), settings.channels(),
            gates);
    return new GeneratedGates(images.stream().flatMap(image -> image.sources().stream()).distinct().toList(),
        (objects, directory) -> writeImageLinkerScripts(report, images, objects, directory));
  }

  /**
   * The images of an ept build cannot share a global yet: another image would need the global's
   * address, which only the owner's link fixes (flexc does not lay shared globals out itself).
   */
  private static void refuseGlobalsAcrossImages(TransformReport report) throws IOException {
    List<String> globals = report.shared().stream().filter(SharedData.Global.class::isInstance)
        .map(data -> ((SharedData.Global) data).symbol()).sorted().toList();
    if (!globals.isEmpty()) {
      throw new IOException("ept: the globals " + String.join(", ", globals) + " are used by more than one"
          + " compartment, and ept images cannot share globals yet; pass them through the calls, or use the"
          + " proc backend");
    }
  }

  /** {@code link/image_c<k>.ld}: compartment k's objects and its image's generated ones, .data_shared at the fixed address. */
  private static void writeImageLinkerScripts(TransformReport report, List<EptGates.Image> images,
      Map<Path, Path> objectOfSource, Path directory) throws IOException {
    Map<Integer, List<Path>> objects = objectsByCompartment(report, directory);
    for (EptGates.Image image : images) {
      List<Path> own = new ArrayList<>(objects.getOrDefault(image.compartment(), List.of()));
      List<Path> stubs = new ArrayList<>();
      for (Map.Entry<Path, Path> compiled : objectOfSource.entrySet()) {
        Path object = directory.relativize(compiled.getValue());
        if (image.gateStubs().stream().anyMatch(source -> source.file().equals(compiled.getKey()))) {
          stubs.add(object);
        } else if (image.sources().stream().anyMatch(source -> source.file().equals(compiled.getKey()))) {
          own.add(object);
        }
      }
      Path script = directory.resolve("link").resolve(EptGates.imageDirectory(image.compartment()) + ".ld");
      Files.createDirectories(script.getParent());
      Files.writeString(script, ImageLinkerScript.generate(new CompartmentObjects(image.compartment(), own), List.of(),
          EptGates.SHARED_DATA_ADDRESS, EptGates.AREA_ADDRESS,
          new ImageLinkerScript.SharedText(EptGates.SHARED_TEXT_ADDRESS, stubs), "ept backend"));
    }
  }

  private static Map<Integer, List<Path>> objectsByCompartment(TransformReport report, Path directory) {
    Map<Integer, List<Path>> objects = new TreeMap<>();
    for (TransformReport.FileOutcome file : report.files()) {
      // Named as a link run in OUT names them: ld matches input files by the name it was given.
      file.object().map(directory::relativize).ifPresent(object ->
          objects.computeIfAbsent(report.compartmentOf().get(file.library()), k -> new ArrayList<>()).add(object));
    }
    return objects;
  }

  @Override
  public List<String> gateCompilerFlags() {
    return List.of("-DFLEXC_EPT_KVM");
  }

  @Override
  public Optional<String> images() {
    return Optional.of(IMAGES);
  }

  @Override
  public List<String> imagesSummary(int compartments, Path target) {
    List<String> lines = new ArrayList<>();
    lines.add("images:         one unikernel image per compartment, the call protocol between them over the"
        + " hypervisor's shared memory");
    for (int k = 0; k < compartments; k++) {
      lines.add("  image " + k + ":      sources " + target.resolve("gates/" + EptGates.imageDirectory(k))
          + ", linker script " + target.resolve("link/" + EptGates.imageDirectory(k) + ".ld"));
    }
    lines.add("shared:         protocol " + target.resolve("gates/flexc_rpc.c") + ", transport "
        + target.resolve("gates/" + EptGates.TRANSPORT) + " (-DFLEXC_EPT_KVM or -DFLEXC_EPT_XEN)");
    lines.add("checked:        every generated file compiled for Linux with -Wall -Wextra; objects in "
        + target.resolve("objects"));
    lines.add("run it:         not here: the images need Unikraft and KVM or Xen; the proc backend runs the same"
        + " protocol as Linux processes");
    lines.add("report:         " + target.resolve("report.txt"));
    return lines;
  }

  @Override
  public Running running(String program) {
    return new Running.NotHere("one unikernel image per compartment (" + IMAGES + "), which needs Unikraft to"
        + " build and KVM or Xen to boot; flexc cannot run it here. The proc backend runs the same call protocol"
        + " between Linux processes: flexc build APP_DIR --backend proc");
  }
}
