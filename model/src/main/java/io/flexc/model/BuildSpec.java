package io.flexc.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How an application's C sources are compiled, from flexc.yaml's {@code build:} key: an optional
 * {@code compile_commands.json} whose entries give each file's exact flags, and the flags for the
 * files it does not list.
 */
public record BuildSpec(Optional<Path> compileCommands, List<String> cflags) {

  /** No compilation database and no flags: files compile with the compiler's defaults. */
  public static final BuildSpec NONE = new BuildSpec(Optional.empty(), List.of());

  public BuildSpec {
    Objects.requireNonNull(compileCommands, "compileCommands");
    cflags = List.copyOf(cflags);
  }
}
