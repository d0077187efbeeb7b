package io.flexc.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A failing stage's diagnostic names the stage and the file; one a deeper stage made is kept. */
class StageTest {

  @Test
  void anIOExceptionBecomesAFailureOfTheStageOnTheFile() {
    StageFailure failure = assertThrows(StageFailure.class, () -> Stage.LINK.run(Path.of("bin/app"), () -> {
      throw new IOException("failed (gcc -o bin/app):\nundefined reference to 'f'");
    }));
    assertEquals("link: bin/app: failed (gcc -o bin/app):\nundefined reference to 'f'", failure.getMessage());
    assertEquals(Stage.LINK, failure.stage());
    assertEquals(Path.of("bin/app"), failure.file());
    assertEquals("failed (gcc -o bin/app):\nundefined reference to 'f'", failure.detail());
  }

  @Test
  void aFailureOfAnInnerStageIsKept() {
    StageFailure inner = new StageFailure(Stage.COMPILE_GATES, Path.of("gates/gates.c"), "does not compile cleanly:\n");
    assertSame(inner, assertThrows(StageFailure.class, () -> Stage.WRITE_REPORTS.run(Path.of("summary.txt"), () -> {
      throw inner;
    })));
  }

  @Test
  void whatAStageGivesIsReturned() throws Exception {
    assertEquals("linked", Stage.LINK.run(Path.of("bin/app"), () -> "linked"));
  }
}
