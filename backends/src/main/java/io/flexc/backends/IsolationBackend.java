package io.flexc.backends;

import io.flexc.model.Backend;
import io.flexc.model.Gate;
import io.flexc.model.HardeningMechanism;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.Transformer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One isolation mechanism, everything about it that flexc decides by it: what the solver must know
 * ({@link #model()}: gate cost, limits, roles), what it cannot carry, the files it generates (gates,
 * runtime, linker layout), how the program is linked and how it runs. The commands only ask; none
 * of them names a backend.
 *
 * <p>Not sealed: Java permits a sealed interface's classes in other packages only inside a named
 * module, and flexc runs on the class path. {@link IsolationBackends} is the closed list instead;
 * adding a backend is a package with its implementation plus one line there.
 */
public interface IsolationBackend {

  /** What the metadata and the solver know of this backend: names, gate cost and limits. */
  Backend model();

  default String label() {
    return model().label();
  }

  /**
   * Why a program on this backend cannot include {@code mechanism}, if it cannot: a sanitizer's
   * linker flag ({@code -fsanitize=…}) brings its run-time library, which not every backend can
   * carry; other linker flags (a library such as {@code -lm}) are linked like the program's own.
   */
  default Optional<String> whyCannotLink(HardeningMechanism mechanism) {
    boolean runTimeLibrary = mechanism.linkerFlags().stream().anyMatch(flag -> flag.startsWith("-fsanitize"));
    return runTimeLibrary ? whyNoRunTimeLibraries() : Optional.empty();
  }

  /** Why this backend's programs cannot carry a hardening mechanism's run-time library, if they cannot. */
  default Optional<String> whyNoRunTimeLibraries() {
    return Optional.empty();
  }

  /** The transformer's options on this backend: by default {@code options} as they are. */
  default Transformer.Options transformOptions(Transformer.Options options, Map<String, Integer> compartmentOf) {
    return options;
  }

  /**
   * Why this backend cannot carry each of {@code gates} that it cannot, one message per gate, from
   * the callees' prototypes alone: asked before the sources are rewritten, so that a configuration
   * it cannot carry stops the build before its longest stage. By default it carries every gate.
   */
  default List<String> refusals(List<Gate> gates) {
    return List.of();
  }

  /**
   * Whether {@link #refusals} can refuse any gate at all: when it can, the calls between libraries
   * are looked at before the solver chooses, which costs a compilation of the sources.
   */
  default boolean refusesSomeGates() {
    return false;
  }

  /**
   * Writes the gates and the runtime for the transformed program into {@code gates}; refuses with
   * {@link IOException} what the backend cannot carry ({@link #refusals} says so earlier).
   */
  GeneratedGates writeGates(TransformReport report, GateSettings settings, Path gates) throws IOException;

  /**
   * Whether the runtime applies flexc.yaml's trust ({@link GateSettings#trust}): opens a trusting
   * compartment's memory to its readers. Where it does not, a reader still cannot read it.
   */
  default boolean appliesTrust() {
    return false;
  }

  /** Flags the generated C is compiled with, besides the application's. */
  default List<String> gateCompilerFlags() {
    return List.of();
  }

  /**
   * Where the build's images are when the backend links no single program (one image per
   * compartment, say); empty when it links {@code bin/NAME}.
   */
  default Optional<String> images() {
    return Optional.empty();
  }

  /** For a backend with {@link #images()}: the summary's lines saying where each image is. */
  default List<String> imagesSummary(int compartments, Path target) {
    return List.of();
  }

  /** Whether the program is linked {@code -static}. */
  default boolean linksStatically() {
    return false;
  }

  /** Flags the program's link needs, after the objects (also written to {@code link/flags}). */
  default List<String> linkerFlags(GateSettings settings) {
    return List.of();
  }

  /** What {@link #checkProgram} checks in the linked program, for progress lines; empty: nothing. */
  default Optional<String> programCheck() {
    return Optional.empty();
  }

  /** Checks the linked {@code program}, refusing it with {@link IOException} when unsafe. */
  default Optional<PkruWriteScan.Result> checkProgram(Path program, GateSettings settings)
      throws IOException, InterruptedException {
    return Optional.empty();
  }

  /** How {@code program} (a path relative to the build) runs: by default here, as a process. */
  default Running running(String program) {
    return new Running.Natively();
  }

  /**
   * Whether {@code explore --measure} can measure its builds: it runs each one here as a process
   * serving on loopback, so only a backend whose programs run natively.
   */
  default boolean measurable() {
    return running(label()) instanceof Running.Natively;
  }

  /** How a built program runs. */
  sealed interface Running {
    /** Here, as a process: {@code flexc run} starts it and {@code explore --measure} can measure it. */
    record Natively() implements Running {}

    /** Here, through a script written beside it, named {@code file}, of {@code text}. */
    record ThroughScript(String file, String text) implements Running {}

    /** Not here, for {@code reason}. */
    record NotHere(String reason) implements Running {}
  }
}
