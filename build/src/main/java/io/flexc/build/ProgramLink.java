package io.flexc.build;

import io.flexc.backends.HardeningFlags;
import io.flexc.backends.IsolationBackend;
import io.flexc.backends.IsolationBackends;
import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.model.HardeningMechanism;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The link of a built program, run in the output directory with paths relative to it (the linker
 * script names objects that way): every object, the linker script, fcall's alias scripts, the
 * backend's flags and the hardening's linker flags; static where the backend says (mpk, to run in
 * QEMU's minimal initramfs).
 */
public record ProgramLink(List<String> objects, List<String> command) {

  public static String program(String application) {
    return "bin/" + application;
  }

  /** Why a program for {@code backend} cannot include {@code mechanism}, if it cannot (the backend says). */
  public static Optional<String> whyCannotLink(Backend backend, HardeningMechanism mechanism) {
    return IsolationBackends.of(backend).whyCannotLink(mechanism);
  }

  /**
   * Links the program in {@code directory}: the objects, the linker script and the gates' scripts,
   * then the backend's and the hardening's flags, then the application's own libraries and flags
   * (flexc.yaml's {@code build: {libraries, ldflags}}), last so that they resolve the objects'
   * references.
   */
  public static ProgramLink link(Application application, IsolationBackend backend, HardeningFlags flags,
      List<String> backendFlags, Path directory) throws IOException, InterruptedException {
    List<String> objects;
    try (Stream<Path> walk = Files.walk(directory.resolve("objects"))) {
      objects = walk.filter(p -> p.toString().endsWith(".o")).map(p -> directory.relativize(p).toString())
          .sorted().toList();
    }
    List<String> command = new ArrayList<>(List.of("gcc"));
    if (backend.linksStatically()) {
      command.add("-static");
    }
    command.addAll(List.of("-T", "link/linux.ld", "-o", program(application.name())));
    command.addAll(objects);
    try (Stream<Path> gates = Files.list(directory.resolve("gates"))) {
      gates.filter(p -> p.toString().endsWith(".ld")).map(p -> directory.relativize(p).toString()).sorted()
          .forEach(command::add);
    }
    command.addAll(backendFlags);
    command.addAll(flags.linkerFlags());
    command.addAll(application.spec().build().linkWords());
    ProgramLink link = new ProgramLink(objects, command);
    Files.createDirectories(directory.resolve("bin"));
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String messages = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("failed (" + String.join(" ", command) + "):\n"
          + messages);
    }
    return link;
  }
}
