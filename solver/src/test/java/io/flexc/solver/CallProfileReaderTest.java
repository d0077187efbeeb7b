package io.flexc.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flexc.model.Diagnostic;
import io.flexc.model.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallProfileReaderTest {

  @TempDir Path directory;

  private Outcome<CallProfile> read(String text) throws IOException {
    Path file = directory.resolve("profile.csv");
    Files.writeString(file, text);
    return CallProfileReader.read(file, Set.of("app", "alloc"));
  }

  @Test
  void readsRowsWithHeaderCommentsAndFunctionNames() throws IOException {
    CallProfile profile = read("caller,callee,count\n# measured\n\napp,alloc,10\napp::main, alloc::uk_malloc ,7\n").get();
    assertEquals(List.of("app->alloc:10", "app->alloc:7"),
        profile.counts().stream().map(c -> c.caller() + "->" + c.callee() + ":" + c.count()).toList());
    assertEquals(5, profile.counts().get(1).position().line());
  }

  @Test
  void reportsEveryBadRowWithItsPosition() throws IOException {
    Outcome<CallProfile> outcome = read("app,alloc\nap,alloc,3\n  app,alloc,-4\n");
    String file = directory.resolve("profile.csv").toString();
    assertEquals(
        List.of(
            file + ":1:1: error: expected caller,callee,count but found 2 fields",
            file + ":2:1: error: unknown library 'ap'; the application has " + String.join(", ", Set.of("app", "alloc")),
            file + ":3:3: error: call count '-4' is not a non-negative integer"),
        outcome.diagnostics().stream().map(Diagnostic::format).toList());
  }

  @Test
  void aMissingFileIsReported() {
    Outcome<CallProfile> outcome = CallProfileReader.read(directory.resolve("none.csv"), Set.of("app"));
    assertEquals(List.of(directory.resolve("none.csv") + ":1:1: error: profile does not exist: " + directory.resolve("none.csv")),
        outcome.diagnostics().stream().map(Diagnostic::format).toList());
  }
}
