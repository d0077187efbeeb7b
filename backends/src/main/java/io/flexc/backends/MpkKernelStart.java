package io.flexc.backends;

import io.flexc.layout.Layout;
import io.flexc.layout.Templates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mpk} backend's start-up for a kernel build (Unikraft-style: one image, ring 0, every
 * compartment in it), in place of {@code flexc_mpk_runtime.c}, which needs Linux: the table of each
 * compartment's data and bss ranges (the kernel linker script's symbols), {@code
 * flexc_mpk_kernel_start()}, which has the platform give compartment k's pages key k + 1 and then
 * enters the compartment of {@code main}, {@code flexc_mpk_compartment_of()} for the platform's
 * page-fault report, and {@code flexc_mpk_violation()}, which has the platform report and halt. The
 * C is freestanding ({@code <stddef.h>} and {@code <stdint.h>} only); what the platform must
 * provide is declared in {@code flexc_mpk_kernel.h}. The gate stubs and {@code flexc_mpk.h} are the
 * Linux build's, unchanged. Shared stacks only: private stacks are set up by the Linux runtime,
 * per thread.
 */
public final class MpkKernelStart {

  public static final String SOURCE = "flexc_mpk_kernel.c";
  public static final String HEADER = "flexc_mpk_kernel.h";

  private MpkKernelStart() {}

  /**
   * Writes {@link #HEADER} and {@link #SOURCE} into {@code directory} for the compartments named
   * {@code names} (compartment k is {@code names.get(k)}); returns the source.
   */
  public static Path write(List<String> names, int mainCompartment, Path directory) throws IOException {
    Files.createDirectories(directory);
    Templates mpk = Templates.group(MpkKernelStart.class, "mpk/mpk.stg");
    Files.writeString(directory.resolve(HEADER), mpk.render("kernelHeader", "compartments", names.size()),
        StandardCharsets.UTF_8);
    List<String> literals = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      literals.add("\"" + names.get(k).replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }
    Path source = directory.resolve(SOURCE);
    Files.writeString(source, mpk.render("kernelSource", "names", literals, "layout", Layout.of(names.size()), "main", mainCompartment),
        StandardCharsets.UTF_8);
    return source;
  }
}
