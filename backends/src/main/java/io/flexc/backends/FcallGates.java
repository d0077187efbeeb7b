package io.flexc.backends;

import io.flexc.layout.Templates;
import io.flexc.model.Gate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code fcall} backend: no isolation, the baseline every other backend is measured against.
 * A gate is not code at all but a linker-script alias, {@code flexc_gate_c0_f = f;}: the linked
 * call instruction goes straight to the callee, so the program runs exactly the instructions it
 * ran before the rewrite. Shared memory is the ordinary heap.
 */
public final class FcallGates {

  private FcallGates() {}

  /** The linker script of aliases, an input of the link like an object. */
  public static final String ALIASES = "fcall_gates.ld";

  /**
   * Writes the gate aliases ({@link #ALIASES}) and the runtime the rewritten sources call into
   * {@code directory}; returns the runtime, the one file to compile.
   */
  public static List<GeneratedSource> write(List<Gate> gates, Path directory) throws IOException {
    Path runtime = SharedMemoryRuntime.write(directory);
    Files.writeString(directory.resolve(ALIASES), aliases(gates), StandardCharsets.UTF_8);
    return List.of(new GeneratedSource(runtime, java.util.Optional.empty()));
  }

  private static String aliases(List<Gate> gates) {
    return Templates.group(FcallGates.class, "fcall/fcall.stg").render("aliases", "gates", gates);
  }
}
