package io.flexc.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.backends.EptGates;
import io.flexc.backends.FcallGates;
import io.flexc.backends.GeneratedSource;
import io.flexc.backends.CompartmentHeaps;
import io.flexc.backends.MpkGates;
import io.flexc.backends.MpkKernelStart;
import io.flexc.backends.ProcGates;
import io.flexc.linker.CompartmentObjects;
import io.flexc.linker.ImageLinkerScript;
import io.flexc.linker.KernelLinkerScript;
import io.flexc.linker.LinuxLinkerScript;
import io.flexc.linker.SharedSymbol;
import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.transformer.SharedData;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.Transformer;
import io.flexc.transformer.objects.CompileCommand;
import io.flexc.transformer.objects.Compiler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What {@code flexc transform} and {@code flexc build} share: the sources rewritten for a
 * configuration, the backend's gates and runtime generated (and compiled with the application's
 * flags), the linker script, and the report, all in one output directory.
 */
final class Transformation {

  /** The transformer's report and the compilations of the generated gates and runtime. */
  record Result(TransformReport report, List<Compiler.Job> gateJobs, List<String> linkerFlags) {}

  private static final String KERNEL_SCRIPT = "link/kernel.ld";
  private static final long KERNEL_BASE = 0x100000L;

  private Transformation() {}

  static Result run(Application application, Backend backend, MpkGates.StackMode stacks,
      Map<String, Integer> compartmentOf, List<String> violations, Transformer.Options options, Path directory)
      throws IOException, InterruptedException {
    if (backend == Backend.MPK) {
      options = withHeapFlags(options, compartmentOf);
    }
    TransformReport report = Transformer.transform(application, compartmentOf, options, directory);
    List<Compiler.Job> gateJobs = writeGates(backend, stacks, report, options, directory);
    ObjectNode json = TransformReportWriter.json(report, Optional.of(directory));
    PolicyViolations.put(json, violations);
    Files.writeString(directory.resolve("report.json"), Json.write(json) + "\n");
    try (PrintWriter text = new PrintWriter(
        Files.newBufferedWriter(directory.resolve("report.txt"), StandardCharsets.UTF_8))) {
      TransformReportWriter.summary(report, text);
      PolicyViolations.list(violations, text);
    }
    List<String> linkerFlags = backend == Backend.MPK ? stacks.linkerFlags() : List.of();
    if (!linkerFlags.isEmpty()) {
      // For links made by hand: gcc -T link/linux.ld ... $(cat link/flags)
      Files.createDirectories(directory.resolve("link"));
      Files.writeString(directory.resolve("link/flags"), String.join(" ", linkerFlags) + "\n");
    }
    return new Result(report, gateJobs, linkerFlags);
  }

  /** mpk compartments allocate from heaps of their own: each library's allocation calls renamed. */
  private static Transformer.Options withHeapFlags(Transformer.Options options, Map<String, Integer> compartmentOf) {
    Map<String, List<String>> flags = new LinkedHashMap<>(options.libraryFlags());
    CompartmentHeaps.compilerFlags(compartmentOf).forEach((library, heap) ->
        flags.merge(library, heap, (given, added) -> Stream.concat(given.stream(), added.stream()).toList()));
    return new Transformer.Options(options.sharedLocals(), options.objectLevel(), options.parallelism(), flags);
  }

  /**
   * The backend's gates and runtime into gates/, compiled into objects/flexc/ when compiling, and
   * the linker script into link/linux.ld. Link in OUT with {@code gcc -T link/linux.ld $(find
   * objects -name '*.o') gates/*.ld} (fcall's gates are a script of aliases). An ept build has one
   * image per compartment instead, {@code gates/image_c<k>/} and {@code link/image_c<k>.ld} each, its C
   * compiled here for Linux (KVM transport) only to check it.
   */
  private static List<Compiler.Job> writeGates(Backend backend, MpkGates.StackMode stacks, TransformReport report,
      Transformer.Options options, Path directory) throws IOException, InterruptedException {
    Path gates = directory.resolve("gates");
    List<String> names = compartmentNames(report);
    List<EptGates.Image> images = List.of();
    List<GeneratedSource> sources = switch (backend) {
      case FCALL -> FcallGates.write(report.gates(), gates);
      case MPK -> MpkGates.write(report.gates(), names, mainCompartment(report), stacks, gates);
      case PROC -> ProcGates.write(report.gates(), names, mainCompartment(report), gates);
      case EPT -> {
        refuseGlobalsAcrossImages(report);
        images = EptGates.write(report.gates(), names, mainCompartment(report), gates);
        yield images.stream().flatMap(image -> image.sources().stream()).distinct().toList();
      }
    };
    if (!options.objectLevel()) {
      return List.of();
    }
    List<Compiler.Job> compileJobs = new ArrayList<>();
    for (GeneratedSource source : sources) {
      CompileCommand command = new CompileCommand(directory, List.of("gcc", "-O2"));
      Path quote = null;
      if (source.compileLike().isPresent()) {
        Path like = source.compileLike().get();
        command = report.files().stream().filter(f -> f.original().equals(like)).findFirst()
            .map(TransformReport.FileOutcome::command).orElse(command);
        quote = like.toAbsolutePath().getParent();
      }
      List<String> words = new ArrayList<>(command.compiler());
      words.addAll(List.of("-Wall", "-Wextra", "-I", gates.toString()));
      if (backend == Backend.EPT) {
        words.add("-DFLEXC_EPT_KVM");
      }
      Path object = directory.resolve("objects/flexc").resolve(gates.relativize(source.file()) + ".o");
      compileJobs.add(new Compiler.Job(new CompileCommand(command.directory(), words), source.file(), object, quote));
    }
    for (Compiler.Result result : new Compiler(options.parallelism()).compileAll(compileJobs)) {
      if (!result.succeeded() || result.messages().contains("warning")) {
        throw new IOException("generated " + result.job().source().getFileName() + " does not compile cleanly:\n"
            + result.messages());
      }
    }
    if (backend == Backend.EPT) {
      writeImageLinkerScripts(report, images, compileJobs, directory);
    } else {
      writeLinkerScripts(report, backend == Backend.MPK && !stacks.privateStacks(), directory);
    }
    return compileJobs;
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
      List<Compiler.Job> compileJobs, Path directory) throws IOException {
    Map<Integer, List<Path>> objects = objectsByCompartment(report, directory);
    for (EptGates.Image image : images) {
      List<Path> own = new ArrayList<>(objects.getOrDefault(image.compartment(), List.of()));
      List<Path> stubs = new ArrayList<>();
      for (Compiler.Job job : compileJobs) {
        Path object = directory.relativize(job.object());
        if (image.gateStubs().stream().anyMatch(source -> source.file().equals(job.source()))) {
          stubs.add(object);
        } else if (image.sources().stream().anyMatch(source -> source.file().equals(job.source()))) {
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

  static int mainCompartment(TransformReport report) {
    return report.mainLibrary().map(report.compartmentOf()::get).orElse(0);
  }

  /** Each compartment's libraries joined with '+', by compartment number: how reports name them. */
  static List<String> compartmentNames(TransformReport report) {
    Map<Integer, List<String>> libraries = new TreeMap<>();
    new TreeMap<>(report.compartmentOf()).forEach((library, k) ->
        libraries.computeIfAbsent(k, c -> new ArrayList<>()).add(library));
    return libraries.values().stream().map(names -> String.join("+", names)).toList();
  }

  /**
   * {@code link/linux.ld}, and with {@code kernel} (mpk, shared stacks) {@code link/kernel.ld} for
   * one kernel image with {@link MpkKernelStart}'s start-up, linked at 1 MiB, where a multiboot
   * loader (QEMU's {@code -kernel}) puts it, and entered at the platform's {@code _start}.
   */
  private static void writeLinkerScripts(TransformReport report, boolean kernel, Path directory) throws IOException {
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
    Path script = directory.resolve("link/linux.ld");
    Files.createDirectories(script.getParent());
    Files.writeString(script, LinuxLinkerScript.generate(compartments, shared, "flexc"));
    if (kernel) {
      Files.writeString(directory.resolve(KERNEL_SCRIPT),
          KernelLinkerScript.generate(compartments, shared, KERNEL_BASE, "_start", "flexc, mpk kernel image"));
    }
  }
}
