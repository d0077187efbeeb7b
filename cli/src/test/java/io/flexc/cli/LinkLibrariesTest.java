package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * flexc.yaml's {@code build: {libraries: [m]}} links the program with {@code -lm} on every backend
 * that links one program: a library in its own compartment calls {@code cbrt}, which gcc never
 * inlines, so the link fails without it.
 */
@Tag("slow")
class LinkLibrariesTest {

  @TempDir Path temporary;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fcall", "proc"})
  void theProgramLinksTheLibrariesFlexcYamlNames(String backend) throws Exception {
    Path application = Files.createDirectories(temporary.resolve("roots"));
    Files.writeString(application.resolve("flexc.yaml"), """
        name: roots
        build:
          cflags: [-O2, -Wall, -Wextra]
          libraries: [m]
        libraries:
          app: {metadata: app.meta, sources: [app.c]}
          roots: {metadata: roots.meta, sources: [roots.c]}
        """);
    Files.writeString(application.resolve("app.meta"), """
        [Memory Access] ::= RA, WA
        [Call] ::= XA
        [API] ::= (main, SYMB)
        [Requires] ::= R, W, X
        """);
    Files.writeString(application.resolve("roots.meta"), """
        [Memory Access] ::= R, W
        [Call] ::= X
        [API] ::= (cube_root, SYMB, "double cube_root(double x)")
        [Requires] ::=
        """);
    Files.writeString(application.resolve("app.c"), """
        #include <stdio.h>
        #include <stdlib.h>
        double cube_root(double x);
        int main(int argc, char **argv) {
          double x = argc > 1 ? atof(argv[1]) : 27.0;
          printf("cube root of %.1f: %.3f\\n", x, cube_root(x));
          return 0;
        }
        """);
    Files.writeString(application.resolve("roots.c"), """
        #include <math.h>
        double cube_root(double x) { return cbrt(x); }
        """);
    Path output = temporary.resolve("out");
    FlexcRun run = FlexcRun.run("build", application.toString(), "--backend", backend, "-o", output.toString(),
        "--quiet");
    assertEquals(0, run.exit(), run.err() + run.out());
    assertTrue(Files.readString(output.resolve("Makefile")).contains("-lm"));
    String printed = Program.succeed(temporary, List.of(output.resolve("bin/roots").toString(), "8"));
    assertEquals("cube root of 8.0: 2.000\n", printed);
    // The output's Makefile links as flexc did: the library after the objects that need it.
    Files.delete(output.resolve("bin/roots"));
    Program.succeed(output, List.of("make", "--no-print-directory"));
    assertEquals(printed, Program.succeed(temporary, List.of(output.resolve("bin/roots").toString(), "8")));
  }
}
