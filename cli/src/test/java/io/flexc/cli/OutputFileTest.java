package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The files that options name for flexc to write ({@code explore --json/--dot}, {@code analyze
 * --json}): an earlier output is replaced, but an input, a file in the application's directory or
 * the output directory, a directory, a path below a file and a file named twice are refused before
 * any work, with the reason, and nothing on disk changes.
 */
class OutputFileTest {

  @TempDir Path temporary;
  private Path root;
  private Path application;
  private Path metadata;
  private Path profile;

  /** The gates sample, its metadata of a moved outside its directory, and files of the user's beside it. */
  @BeforeEach
  void copySample() throws IOException {
    root = temporary.toRealPath();
    application = root.resolve("apps").resolve("gates");
    GatesSample.copyTo(application);
    metadata = root.resolve("shared").resolve("a.meta");
    Files.createDirectories(metadata.getParent());
    Files.move(application.resolve("meta").resolve("a.meta"), metadata);
    Path yaml = application.resolve("flexc.yaml");
    Files.writeString(yaml, Files.readString(yaml).replace("metadata: meta/a.meta", "metadata: ../../shared/a.meta"));
    profile = Files.writeString(root.resolve("calls.csv"), "a,b,10\n");
    Files.writeString(root.resolve("notes.txt"), "mine\n");
    Files.createDirectories(root.resolve("mine"));
    Files.createSymbolicLink(root.resolve("link.json"), application.resolve("flexc.yaml"));
  }

  /** The commands and options that write a file. */
  enum FileOption {
    EXPLORE_JSON("explore", "--json"),
    EXPLORE_DOT("explore", "--dot"),
    ANALYZE_JSON("analyze", "--json");

    final String command;
    final String option;

    FileOption(String command, String option) {
      this.command = command;
      this.option = option;
    }
  }

  /** Each file flexc must not write. */
  enum Refused {
    APPLICATION_FILE,
    NEW_FILE_IN_APPLICATION,
    INPUT_OUTSIDE_APPLICATION,
    PROFILE_INPUT,
    DIRECTORY,
    BELOW_A_FILE,
    SYMBOLIC_LINK_TO_APPLICATION_FILE,
    INSIDE_MEASURED_OUTPUT
  }

  static Stream<Arguments> refusals() {
    return Stream.of(FileOption.values()).flatMap(option -> Stream.of(Refused.values())
        // analyze reads no profile and writes no output directory.
        .filter(refused -> option.command.equals("explore")
            || (refused != Refused.PROFILE_INPUT && refused != Refused.INSIDE_MEASURED_OUTPUT))
        .map(refused -> Arguments.of(option, refused)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("refusals")
  void aFileFlexcMustNotWriteIsRefusedAndNothingChanges(FileOption option, Refused refused) throws Exception {
    String outside = "; choose a file outside " + application;
    List<String> extra = new ArrayList<>();
    Path file;
    String reason;
    switch (refused) {
      case APPLICATION_FILE -> {
        file = application.resolve("flexc.yaml");
        reason = ": it is inside the application's directory " + application + ", which flexc never writes" + outside;
      }
      case NEW_FILE_IN_APPLICATION -> {
        file = application.resolve("meta").resolve("space.json");
        reason = ": it is inside the application's directory " + application + ", which flexc never writes" + outside;
      }
      case INPUT_OUTSIDE_APPLICATION -> {
        file = metadata;
        reason = ": it is an input of gates, which flexc never writes; choose another file";
      }
      case PROFILE_INPUT -> {
        file = profile;
        extra = List.of("--profile", profile.toString());
        reason = ": it is the --profile input, which flexc never writes; choose another file";
      }
      case DIRECTORY -> {
        file = root.resolve("mine");
        reason = ": it is a directory; name a file";
      }
      case BELOW_A_FILE -> {
        file = root.resolve("notes.txt").resolve("space.json");
        reason = ": " + root.resolve("notes.txt") + " is not a directory; choose a file in a directory";
      }
      case SYMBOLIC_LINK_TO_APPLICATION_FILE -> {
        file = root.resolve("link.json");
        reason = " (" + application.resolve("flexc.yaml") + "): it is inside the application's directory "
            + application + ", which flexc never writes" + outside;
      }
      case INSIDE_MEASURED_OUTPUT -> {
        file = root.resolve("measured").resolve("space.json");
        extra = List.of("--measure", "-o", root.resolve("measured").toString());
        reason = ": it is inside the output directory " + root.resolve("measured")
            + ", which flexc replaces; choose a file outside it";
      }
      default -> throw new AssertionError(refused);
    }
    List<String> arguments = new ArrayList<>(List.of(option.command, application.toString()));
    arguments.addAll(extra);
    arguments.addAll(List.of(option.option, file.toString()));
    String before = hash(root);

    FlexcRun run = FlexcRun.run(arguments.toArray(String[]::new));

    assertEquals(Flexc.EXIT_USAGE, run.exit(), run.err());
    assertEquals("flexc: will not write " + option.option + " to " + file + reason + "\n", run.err());
    assertEquals("", run.out());
    assertEquals(before, hash(root), "nothing changed under " + root);
  }

  @Test
  void oneFileNamedByTwoOptionsIsRefused() throws Exception {
    Path file = root.resolve("space.out");
    String before = hash(root);

    FlexcRun run = FlexcRun.run("explore", application.toString(), "--json", file.toString(), "--dot", file.toString());

    assertEquals(Flexc.EXIT_USAGE, run.exit(), run.err());
    assertEquals("flexc: will not write --dot to " + file + ": --json writes it too; give each output its own file\n",
        run.err());
    assertEquals(before, hash(root), "nothing changed under " + root);
  }

  @ParameterizedTest
  @MethodSource("fileOptions")
  void anEarlierOutputIsReplaced(FileOption option) throws Exception {
    Path file = root.resolve("earlier.out");
    Files.writeString(file, "from an earlier run\n");
    String application = hash(this.application);

    FlexcRun run = FlexcRun.run(option.command, this.application.toString(), option.option, file.toString());

    assertEquals(0, run.exit(), run.err());
    String written = Files.readString(file);
    assertTrue(option == FileOption.EXPLORE_DOT ? written.contains("digraph design_space {") : written.startsWith("{"),
        written);
    try (Stream<Path> entries = Files.list(root)) {
      assertEquals(Set.of("apps", "shared", "calls.csv", "notes.txt", "mine", "link.json", "earlier.out"),
          Set.copyOf(entries.map(entry -> entry.getFileName().toString()).toList()), "no partial file is left");
    }
    assertEquals(application, hash(this.application), "the input is not modified");
  }

  static Stream<FileOption> fileOptions() {
    return Stream.of(FileOption.values());
  }

  /** A digest of every path under {@code tree} (not following links), with each file's and link's content. */
  private static String hash(Path tree) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(tree)) {
      paths = walk.sorted().toList();
    }
    for (Path path : paths) {
      digest.update(tree.relativize(path).toString().getBytes(StandardCharsets.UTF_8));
      if (Files.isSymbolicLink(path)) {
        digest.update(("-> " + Files.readSymbolicLink(path)).getBytes(StandardCharsets.UTF_8));
      } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        digest.update(Files.readAllBytes(path));
      }
      digest.update((byte) 0);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
