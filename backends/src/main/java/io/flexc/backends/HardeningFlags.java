package io.flexc.backends;

import io.flexc.model.HardeningMechanism;
import io.flexc.transformer.ScratchDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The flags that apply a configuration's hardening: each library's compiler flags from the
 * definitions of the mechanisms chosen for it, and the linker flags of every mechanism chosen
 * anywhere (a sanitizer's run-time library is linked once for the whole program).
 */
public record HardeningFlags(Map<String, List<String>> compilerFlags, List<String> linkerFlags) {

  public HardeningFlags {
    compilerFlags = Map.copyOf(compilerFlags);
    linkerFlags = List.copyOf(linkerFlags);
  }

  public static HardeningFlags of(Map<String, Set<String>> hardening, Map<String, HardeningMechanism> mechanisms) {
    Map<String, List<String>> compiler = new TreeMap<>();
    Set<String> linker = new LinkedHashSet<>();
    hardening.forEach((library, chosen) -> {
      Set<String> flags = new LinkedHashSet<>();
      chosen.stream().sorted().map(mechanisms::get).forEach(mechanism -> {
        flags.addAll(mechanism.compilerFlags());
        linker.addAll(mechanism.linkerFlags());
      });
      if (!flags.isEmpty()) {
        compiler.put(library, List.copyOf(flags));
      }
    });
    return new HardeningFlags(compiler, List.copyOf(linker));
  }

  /**
   * The mechanisms whose flags {@code compiler} cannot apply (it rejects them compiling and linking
   * an empty program), each with the compiler's first line of complaint.
   */
  public static Map<String, String> unsupported(List<HardeningMechanism> mechanisms, String compiler)
      throws IOException, InterruptedException {
    Map<String, String> rejected = new TreeMap<>();
    if (mechanisms.isEmpty()) {
      return rejected;
    }
    try (ScratchDirectory probe = ScratchDirectory.createTemporary("flexc-flags")) {
      Path scratch = probe.path();
      Path program = scratch.resolve("probe.c");
      Files.writeString(program, "int main(void) { return 0; }\n");
      for (HardeningMechanism mechanism : mechanisms) {
        List<String> line = new ArrayList<>(List.of(compiler));
        line.addAll(mechanism.compilerFlags());
        line.addAll(List.of(program.toString(), "-o", scratch.resolve("probe").toString()));
        line.addAll(mechanism.linkerFlags());
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
          rejected.put(mechanism.name(), output.lines().findFirst().orElse("exit status " + process.exitValue()));
        }
      }
    }
    return rejected;
  }
}
