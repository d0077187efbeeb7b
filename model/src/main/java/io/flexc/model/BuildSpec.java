package io.flexc.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How an application's C sources are compiled and linked, from flexc.yaml's {@code build:} key: an
 * optional {@code compile_commands.json} whose entries give each file's exact flags, the flags for
 * the files it does not list, the libraries the program links ({@code m} for {@code -lm}) and other
 * linker flags, on every backend; and how many threads (or forked processes) can be in calls across
 * compartments at once on the backends that give each a channel (proc, ept).
 */
public record BuildSpec(Optional<Path> compileCommands, List<String> cflags, List<String> libraries,
    List<String> ldflags, int channels) {

  /** Channels when flexc.yaml does not say. */
  public static final int DEFAULT_CHANNELS = 64;
  /** The most channels a build may ask for: each takes a server thread's stack in every compartment. */
  public static final int MAX_CHANNELS = 4096;

  /** No compilation database and no flags: files compile with the compiler's defaults. */
  public static final BuildSpec NONE = new BuildSpec(Optional.empty(), List.of());

  public BuildSpec {
    Objects.requireNonNull(compileCommands, "compileCommands");
    cflags = List.copyOf(cflags);
    libraries = List.copyOf(libraries);
    ldflags = List.copyOf(ldflags);
    if (channels < 1 || channels > MAX_CHANNELS) {
      throw new IllegalArgumentException("channels must be between 1 and " + MAX_CHANNELS + ", not " + channels);
    }
  }

  /** Compiling only: no libraries or linker flags of the application's own, the default channels. */
  public BuildSpec(Optional<Path> compileCommands, List<String> cflags) {
    this(compileCommands, cflags, List.of(), List.of(), DEFAULT_CHANNELS);
  }

  /** What the link adds for the application: its libraries as {@code -lNAME}, then its flags. */
  public List<String> linkWords() {
    return Stream.concat(libraries.stream().map(library -> "-l" + library), ldflags.stream())
        .toList();
  }
}
