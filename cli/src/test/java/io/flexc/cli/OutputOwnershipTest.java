package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code flexc build} and {@code flexc transform} write only a new directory or one flexc wrote:
 * every other output is refused before any work, with the reason, and nothing on disk changes; an
 * earlier output is replaced, and what a killed run left beside it is removed.
 */
class OutputOwnershipTest {

  @TempDir Path temporary;
  private Path root;
  private Path application;
  private Path config;

  @BeforeEach
  void copySample() throws IOException {
    root = temporary.toRealPath();
    application = root.resolve("apps").resolve("gates");
    GatesSample.copyTo(application);
    config = Files.writeString(root.resolve("split.json"), "{\"compartments\": [[\"a\"], [\"b\"]]}");
    Files.writeString(Files.createDirectories(root.resolve("mine")).resolve("notes.txt"), "mine\n");
    Files.writeString(root.resolve("notes.txt"), "mine too\n");
    Files.createSymbolicLink(root.resolve("link"), application);
  }

  private FlexcRun run(String command, Path output) {
    return command.equals("build")
        ? FlexcRun.run("build", application.toString(), "--config", config.toString(), "--quiet", "-o",
            output.toString())
        : FlexcRun.run("transform", application.toString(), "--config", config.toString(), "-o", output.toString());
  }

  /** Each output flexc must not write, and the reason it gives. */
  enum Refused {
    APPLICATION,
    PARENT_OF_APPLICATION,
    INSIDE_APPLICATION,
    UNRELATED_DIRECTORY,
    EXISTING_FILE,
    INSIDE_A_FILE,
    WORKING_DIRECTORY_ANCESTOR,
    SYMBOLIC_LINK_TO_APPLICATION
  }

  static Stream<Arguments> refusals() {
    return Stream.of("build", "transform")
        .flatMap(command -> Stream.of(Refused.values()).map(refused -> Arguments.of(command, refused)));
  }

  @ParameterizedTest(name = "{0} -o {1}")
  @MethodSource("refusals")
  void anOutputFlexcDidNotWriteIsRefusedAndNothingChanges(String command, Refused refused) throws Exception {
    String outside = "; choose a directory outside " + application;
    Path here = Path.of("").toRealPath();
    Path output;
    String reason;
    switch (refused) {
      case APPLICATION -> {
        output = application;
        reason = ": it is the application's directory, which flexc never writes" + outside;
      }
      case PARENT_OF_APPLICATION -> {
        output = root.resolve("apps");
        reason = ": it contains the application's directory " + application + ", which replacing it would delete"
            + outside;
      }
      case INSIDE_APPLICATION -> {
        output = application.resolve("out");
        reason = ": it is inside the application's directory " + application + ", which flexc never writes" + outside;
      }
      case UNRELATED_DIRECTORY -> {
        output = root.resolve("mine");
        reason = ": it exists and flexc did not write it (it has no .flexc-output); choose a directory that does not"
            + " exist, or remove this one";
      }
      case EXISTING_FILE -> {
        output = root.resolve("notes.txt");
        reason = ": it exists and is not a directory; choose a directory that does not exist";
      }
      case INSIDE_A_FILE -> {
        output = root.resolve("notes.txt").resolve("out");
        reason = ": " + root.resolve("notes.txt") + " is not a directory; choose a directory that does not exist";
      }
      case WORKING_DIRECTORY_ANCESTOR -> {
        output = Path.of("..");
        reason = " (" + here.getParent() + "): it contains the current directory " + here
            + ", which replacing it would delete; choose a new directory";
      }
      case SYMBOLIC_LINK_TO_APPLICATION -> {
        output = root.resolve("link");
        reason = " (" + application + "): it is the application's directory, which flexc never writes" + outside;
      }
      default -> throw new AssertionError(refused);
    }
    String before = hash(root);
    // Maven runs the tests in the module's directory: its parent is the worktree, less what builds write.
    String worktreeBefore = hash(here.getParent());

    FlexcRun run = run(command, output);

    assertEquals(Flexc.EXIT_USAGE, run.exit(), run.err());
    assertEquals("flexc: will not write to " + output + reason + "\n", run.err());
    assertEquals("", run.out());
    assertEquals(before, hash(root), "nothing changed under " + root);
    assertEquals(worktreeBefore, hash(here.getParent()), "nothing changed in the worktree");
  }

  @ParameterizedTest
  @ValueSource(strings = {"build", "transform"})
  void anEarlierOutputIsReplacedAndWhatAKilledRunLeftIsRemoved(String command) throws Exception {
    Path output = root.resolve("out");
    FlexcRun first = run(command, output);
    assertEquals(0, first.exit(), first.err());
    assertEquals("flexc " + command + " gates\nThis directory is flexc's output: flexc replaces it when told to write"
        + " here again.\n", Files.readString(output.resolve(".flexc-output")));
    Files.writeString(output.resolve("stale.txt"), "from before\n");
    Files.writeString(Files.createDirectories(root.resolve(".out.partial123")).resolve("half.c"), "int\n");
    Files.writeString(Files.createDirectories(root.resolve(".out.old456/content")).resolve("old.c"), "int\n");
    Files.createDirectories(root.resolve(".out.partial-not-flexc"));
    Files.createDirectories(root.resolve(".other.partial789"));
    String application = hash(this.application);

    FlexcRun second = run(command, output);

    assertEquals(0, second.exit(), second.err());
    assertFalse(Files.exists(output.resolve("stale.txt")), "the earlier output is replaced, not merged");
    assertTrue(Files.isRegularFile(output.resolve(".flexc-output")));
    try (Stream<Path> entries = Files.list(output)) {
      assertEquals(List.of(), entries.map(entry -> entry.getFileName().toString())
          .filter(name -> name.startsWith(".work")).toList(), "no scratch space is left in the output");
    }
    try (Stream<Path> entries = Files.list(root)) {
      assertEquals(Set.of("apps", "split.json", "mine", "notes.txt", "link", "out", ".out.partial-not-flexc",
          ".other.partial789"), Set.copyOf(entries.map(entry -> entry.getFileName().toString()).toList()),
          "what the killed run left is removed, and nothing else");
    }
    assertEquals(application, hash(this.application), "the input is not modified");
  }

  /** A digest of every path under {@code tree} (not following links), with each file's and link's content. */
  private static String hash(Path tree) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(tree)) {
      walk.filter(path -> !isBuildOutput(tree.relativize(path))).sorted().forEach(paths::add);
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

  /** What Maven writes while the tests run, and Git's own files. */
  private static boolean isBuildOutput(Path relative) {
    for (Path part : relative) {
      if (part.toString().equals("target") || part.toString().equals(".git")) {
        return true;
      }
    }
    return false;
  }
}
