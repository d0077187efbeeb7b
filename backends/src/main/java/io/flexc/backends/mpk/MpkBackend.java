package io.flexc.backends.mpk;

import io.flexc.backends.CompartmentHeaps;
import io.flexc.backends.GateSettings;
import io.flexc.backends.GateStubRefusals;
import io.flexc.backends.GeneratedGates;
import io.flexc.backends.IsolationBackend;
import io.flexc.backends.LinuxLayout;
import io.flexc.backends.MpkGates;
import io.flexc.backends.MpkKernelStart;
import io.flexc.backends.PkruWriteScan;
import io.flexc.linker.KernelLinkerScript;
import io.flexc.model.Backend;
import io.flexc.model.Gate;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.Transformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Intel memory protection keys: one key per compartment, 15 besides the shared one; the scheduler
 * and the allocator run the gates and hand out memory, so they must be verified. A crossing is a
 * PKRU switch with shared stacks, 62 cycles (108 with a data shadow stack; FlexOS, ASPLOS'22). The
 * program is linked {@code -static} and runs in QEMU, whose emulated CPU has protection keys.
 */
public final class MpkBackend implements IsolationBackend {

  private static final Backend MODEL = new Backend("mpk", Optional.of("intel-pku"), 62,
      OptionalInt.of(MpkGates.MAX_COMPARTMENTS), Set.of("scheduler", "allocator"), Set.of());

  private static final String KERNEL_SCRIPT = "link/kernel.ld";
  private static final long KERNEL_BASE = 0x100000L;

  @Override
  public Backend model() {
    return MODEL;
  }

  @Override
  public Optional<String> whyNoRunTimeLibraries() {
    return Optional.of("mpk programs are linked -static, to run in QEMU's minimal initramfs, and gcc links"
        + " no sanitizer run-time library statically");
  }

  /** mpk compartments allocate from heaps of their own: each library's allocation calls renamed. */
  @Override
  public Transformer.Options transformOptions(Transformer.Options options, Map<String, Integer> compartmentOf) {
    Map<String, List<String>> flags = new LinkedHashMap<>(options.libraryFlags());
    CompartmentHeaps.compilerFlags(compartmentOf).forEach((library, heap) ->
        flags.merge(library, heap, (given, added) -> Stream.concat(given.stream(), added.stream()).toList()));
    return options.withLibraryFlags(flags);
  }

  /**
   * Gates and runtime, {@code link/linux.ld}, and with shared stacks {@code link/kernel.ld} for one
   * kernel image with {@link MpkKernelStart}'s start-up, linked at 1 MiB, where a multiboot loader
   * (QEMU's {@code -kernel}) puts it, and entered at the platform's {@code _start}.
   */
  @Override
  public List<String> refusals(List<Gate> gates) {
    return GateStubRefusals.of(gates, label(), false);
  }

  @Override
  public boolean refusesSomeGates() {
    return true;
  }

  @Override
  public GeneratedGates writeGates(TransformReport report, GateSettings settings, Path gates) throws IOException {
    return new GeneratedGates(MpkGates.write(report.gates(), settings.compartmentNames(), settings.mainCompartment(),
        settings.stacks(), settings.trust(), gates), (objects, directory) -> {
          LinuxLayout layout = LinuxLayout.of(report, directory);
          layout.writeLinuxScript(directory);
          if (!settings.stacks().privateStacks()) {
            Files.writeString(directory.resolve(KERNEL_SCRIPT), KernelLinkerScript.generate(layout.compartments(),
                layout.shared(), KERNEL_BASE, "_start", "flexc, mpk kernel image"));
          }
        });
  }

  /** A reader's PKRU leaves the trusting compartment's key readable (or writable): its whole memory, stacks too. */
  @Override
  public boolean appliesTrust() {
    return true;
  }

  @Override
  public boolean linksStatically() {
    return true;
  }

  @Override
  public List<String> linkerFlags(GateSettings settings) {
    return settings.stacks().linkerFlags();
  }

  @Override
  public Optional<String> programCheck() {
    return Optional.of("the PKRU writes");
  }

  /**
   * The linked program's PKRU writes, which must all be the gates' checked ones: a program with
   * another is refused, since any compartment could jump to it with the rights it likes.
   */
  @Override
  public Optional<PkruWriteScan.Result> checkProgram(Path program, GateSettings settings)
      throws IOException, InterruptedException {
    PkruWriteScan.Result scan = PkruWriteScan.scan(program,
        MpkGates.pkruValues(settings.compartmentNames().size(), settings.trust()));
    if (!scan.uncheckedWrites().isEmpty()) {
      throw new IOException("mpk: " + program.getFileName() + " writes PKRU outside the gates' checks, where any"
          + " compartment could jump to set the rights it likes:\n  " + scan.uncheckedWrites().stream()
          .map(PkruWriteScan.Finding::toString).collect(Collectors.joining("\n  ")));
    }
    return Optional.of(scan);
  }

  @Override
  public Running running(String program) {
    return new Running.ThroughScript(QemuRunner.SCRIPT, QemuRunner.script(program));
  }
}
