package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A program whose library, in a compartment of its own, has the functions real C libraries have
 * and the protocol once could not carry: a printf-like function whose format the callee reads, an
 * ioctl-like one with one optional argument, an option list of (key, value) pairs ended by NULL,
 * eight integer and nine double arguments (past the registers), a K&R definition and one written
 * with an export macro. Built unmodified on fcall and proc, it prints what the plain program
 * prints; on ept, its images link.
 */
@Tag("slow")
class VariadicCallsCrossTest {

  private static final String EXPECTED = """
      fmt 37: answer=42 2.500 z -1234567890123 0x2a
      fmt 71: 1 2 3 4 5 6 7 8 9 10 | 0.5 1.5 2.5 3.5 4.5 5.5 6.5 7.5 8.5 9.5 | 1e+100
      ctl 0, value 30
      ctl without its argument 7
      opts 559
      opts none 0
      many 2829.000000
      old 42
      scaled 5.00
      tail bc
      """;

  @TempDir Path temporary;
  private Path application;
  private Path config;

  @BeforeEach
  void writeApplication() throws Exception {
    application = Files.createDirectories(temporary.resolve("formats"));
    Files.createDirectories(application.resolve("app"));
    Files.createDirectories(application.resolve("mylib"));
    Files.writeString(application.resolve("flexc.yaml"), """
        name: formats
        build:
          cflags: [-O2, -Wall, -Wextra]
        libraries:
          app: {metadata: app.meta, sources: [app]}
          mylib: {metadata: mylib.meta, sources: [mylib]}
        """);
    Files.writeString(application.resolve("app.meta"), """
        [Memory Access] ::= RA, WA
        [Call] ::= XA
        [API] ::= (main, SYMB)
        [Requires] ::= R, W, X
        """);
    Files.writeString(application.resolve("mylib.meta"), """
        [Memory Access] ::= R, W
        [Call] ::= X
        [API] ::= (fmt, SYMB) (ctl, SYMB) (opts, SYMB) (many, SYMB) (old_style, SYMB) (scaled, SYMB) (tail, SYMB)
        [Requires] ::=
        """);
    Files.writeString(application.resolve("mylib/mylib.h"), """
        #ifndef MYLIB_H
        #define MYLIB_H
        #define MYLIB_API extern
        #define CTL_GET 0x5401UL
        #define CTL_RESET 0x5402UL
        MYLIB_API int fmt(char *out, const char *format, ...);
        int ctl(int fd, unsigned long request, ...);
        long opts(const char *key, ...);
        double many(long a, long b, long c, long d, long e, long f, long g, long h, double x1, double x2,
                    double x3, double x4, double x5, double x6, double x7, double x8, double x9);
        long old_style(long a, int b);
        MYLIB_API double scaled(double x, int by);
        const char *tail(const char *text);
        #endif
        """);
    Files.writeString(application.resolve("mylib/mylib.c"), """
        #include <stdarg.h>
        #include <stdio.h>
        #include <string.h>
        #include "mylib.h"

        MYLIB_API int fmt(char *out, const char *format, ...)
        {
          va_list arguments;
          int length;

          va_start(arguments, format);
          length = vsnprintf(out, 256, format, arguments);
          va_end(arguments);
          return length;
        }

        int ctl(int fd, unsigned long request, ...)
        {
          va_list arguments;
          int *value;

          if (request == CTL_RESET)
            return 7;
          va_start(arguments, request);
          value = va_arg(arguments, int *);
          va_end(arguments);
          *value = fd * 10;
          return 0;
        }

        long opts(const char *key, ...)
        {
          va_list arguments;
          long sum = 0;

          va_start(arguments, key);
          for (; key != NULL; key = va_arg(arguments, const char *))
            sum += (long)strlen(key) * va_arg(arguments, long);
          va_end(arguments);
          return sum;
        }

        double many(long a, long b, long c, long d, long e, long f, long g, long h, double x1, double x2,
                    double x3, double x4, double x5, double x6, double x7, double x8, double x9)
        {
          return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h
              + x1 * 10 + x2 * 20 + x3 * 30 + x4 * 40 + x5 * 50 + x6 * 60 + x7 * 70 + x8 * 80 + x9 * 90;
        }

        long old_style(a, b)
          long a;
          int b;
        {
          return a * b;
        }

        MYLIB_API double scaled(double x, int by)
        {
          return x * by;
        }

        const char *tail(const char *text)
        {
          return text + 1;
        }
        """);
    Files.writeString(application.resolve("app/main.c"), """
        #include <stdio.h>
        #include "../mylib/mylib.h"

        int main(void)
        {
          char out[256];
          int value = 0;
          int length;

          length = fmt(out, "%s=%d %.3f %c %ld %#x", "answer", 42, 2.5, 'z', -1234567890123L, 42u);
          printf("fmt %d: %s\\n", length, out);
          length = fmt(out, "%d %d %d %d %d %d %d %d %d %d | %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f | %g",
                       1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 1e100);
          printf("fmt %d: %s\\n", length, out);
          printf("ctl %d, ", ctl(3, CTL_GET, &value));
          printf("value %d\\n", value);
          printf("ctl without its argument %d\\n", ctl(3, CTL_RESET));
          printf("opts %ld\\n", opts("width", 80L, "height", 24L, "depth", 3L, (const char *)NULL));
          printf("opts none %ld\\n", opts((const char *)NULL));
          printf("many %f\\n", many(1, 2, 3, 4, 5, 6, 7, 8, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5));
          printf("old %ld\\n", old_style(6, 7));
          printf("scaled %.2f\\n", scaled(1.25, 4));
          printf("tail %s\\n", tail("abc"));
          return 0;
        }
        """);
    config = Files.writeString(temporary.resolve("split.json"), "{\"compartments\": [[\"app\"], [\"mylib\"]]}");
  }

  private FlexcRun build(String backend, Path output) {
    return FlexcRun.run("build", application.toString(), "--backend", backend, "--config", config.toString(), "-o",
        output.toString(), "--quiet");
  }

  @Test
  void thePlainProgramPrintsTheExpectedText() throws Exception {
    Program.succeed(application, List.of("gcc", "-O2", "-o", temporary.resolve("plain").toString(), "app/main.c", "mylib/mylib.c"));
    assertEquals(EXPECTED, Program.succeed(application, List.of(temporary.resolve("plain").toString())));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fcall", "proc"})
  void variadicAndManyArgumentCallsCrossUnmodified(String backend) throws Exception {
    Path output = temporary.resolve(backend);
    FlexcRun build = build(backend, output);
    assertEquals(0, build.exit(), build.err() + build.out());
    assertEquals(EXPECTED, Program.succeed(output, List.of(output.resolve("bin/formats").toString())));
    if (backend.equals("proc")) {
      String gates = Files.readString(output.resolve("gates/proc_gates_mylib.c"));
      for (String function : List.of("ctl", "fmt", "many", "old_style", "opts", "scaled", "tail")) {
        assertTrue(gates.contains("FLEXC_RPC_GATE(flexc_gate_c0_" + function + ", 1, "), gates);
      }
    }
  }

  /** ept's images (the gates in every one, each image's table of its own functions) link. */
  @Test
  void eptImagesLink() throws Exception {
    Path output = temporary.resolve("ept");
    FlexcRun build = build("ept", output);
    assertEquals(0, build.exit(), build.err() + build.out());
    for (String platform : List.of("linux_threads.c", "fake_ivshmem.c")) {
      Files.copy(Path.of("src/test/resources/ept").resolve(platform), output.resolve(platform));
    }
    for (int k = 0; k < 2; k++) {
      List<String> link = new ArrayList<>(List.of("gcc", "-no-pie", "-DFLEXC_EPT_KVM", "-I", "gates", "-o",
          "image_c" + k, "-T", "link/image_c" + k + ".ld", "linux_threads.c", "fake_ivshmem.c"));
      Matcher object = Pattern.compile("\"(objects/[^\"]+)\"")
          .matcher(Files.readString(output.resolve("link/image_c" + k + ".ld")));
      while (object.find()) {
        if (!link.contains(object.group(1))) {
          link.add(object.group(1));
        }
      }
      Program.succeed(output, link);
      assertTrue(Files.isExecutable(output.resolve("image_c" + k)));
    }
  }
}
