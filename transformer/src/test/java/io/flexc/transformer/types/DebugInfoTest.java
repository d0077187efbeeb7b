package io.flexc.transformer.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flexc.model.CallShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DWARF reader and the System V classifier on small C compiled by gcc: each function's
 * spelling and call shape, however its definition was written.
 */
class DebugInfoTest {

  private static final String HEADER = """
      static inline int twice(int x) { return 2 * x; }
      """;

  private static final String SOURCE = """
      #include "h.h"
      #define REALC_API extern
      typedef int binop(int, int);
      typedef int (*callback_t)(int, void *);
      typedef unsigned long size;
      struct pair { long a; double b; };
      struct big { long a, b, c; };
      struct v2 { float x, y; };
      struct flags { unsigned a : 3; unsigned b : 5; float f; };
      struct mixed { unsigned a : 3; double d; };
      struct __attribute__((packed)) tight { char c; int i; };
      union number { int i; float f; };

      int kr(a, b, c) int a; char *b; float c; { return a + *b + (int) c; }
      REALC_API int exported(const char *s) { return *s; }
      binop add;
      int add(int a, int b) { return a + b; }
      int run(callback_t cb, void *arg) { return cb(1, arg) + twice(2); }
      int (*pick(int which))(int, void *) { (void) which; return 0; }
      int logf_(int level, const char *fmt, ...) { return level + *fmt; }
      struct pair make_pair(struct pair p, int x) { p.a += x; return p; }
      struct big grow(struct big b, long x) { b.c += x; return b; }
      long double ld(long double x, int y) { return x + y; }
      double mix(float a, double b, int c, float d, ...) { return a + b + c + d; }
      double nine(double a0, double a1, double a2, double a3, double a4, double a5, double a6,
          double a7, double a8) { return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8; }
      long seven(long a, long b, long c, long d, long e, long f, long g) { return a + b + c + d + e + f + g; }
      float vec(struct v2 v) { return v.x + v.y; }
      int bits(struct flags f, struct mixed m) { return (int) (f.a + m.d); }
      int packed(struct tight t) { return t.i; }
      float un(union number n) { return n.f; }
      __int128 wide(int a, int b, int c, int d, int e, __int128 f) { return a + b + c + d + e + f; }
      const char *const *names(size n, char *const argv[]) { return (const char *const *) argv + n; }
      static void hidden(void) {}
      void (*keep)(void) = hidden;
      """;

  private static Map<String, CompiledFunction> functions;
  private static Path directory;

  @BeforeAll
  static void compile(@TempDir Path temporary) throws IOException, InterruptedException {
    directory = temporary;
    Files.writeString(directory.resolve("h.h"), HEADER);
    Files.writeString(directory.resolve("t.c"), SOURCE);
    functions = new LinkedHashMap<>();
    for (CompiledFunction function : read("-g")) {
      functions.put(function.name(), function);
    }
  }

  private static List<CompiledFunction> read(String debugFlag) throws IOException, InterruptedException {
    Process gcc = new ProcessBuilder("gcc", "-O2", debugFlag, "-c", "t.c", "-o", "t.o")
        .directory(directory.toFile()).inheritIO().start();
    assertEquals(0, gcc.waitFor());
    return DebugInfo.read(directory.resolve("t.o"));
  }

  private static void check(String name, String declaration, CallShape shape) {
    CompiledFunction function = functions.get(name);
    assertEquals(declaration, function.declaration(), name);
    assertEquals(shape, SystemVClassifier.shape(function.type()), name);
  }

  @Test
  void dwarf4ReadsAsDwarf5() throws IOException, InterruptedException {
    List<CompiledFunction> dwarf4 = read("-gdwarf-4");
    assertEquals(List.copyOf(functions.values()), dwarf4);
  }

  @Test
  void objectWithoutDebugInformationDefinesNothingHere() throws IOException, InterruptedException {
    assertEquals(List.of(), read("-g0"));
  }

  @Test
  void knrDefinitionIsSpelledWithPromotedParameters() {
    check("kr", "int kr(int a, char *b, double c)", new CallShape(3, false, 0, 0, false));
    assertEquals(false, functions.get("kr").type().prototyped());
  }

  @Test
  void exportMacroIsGone() {
    check("exported", "int exported(const char *s)", new CallShape(1, false, 0, 0, false));
  }

  @Test
  void typedefdFunctionTypes() {
    check("add", "int add(int a, int b)", new CallShape(2, false, 0, 0, false));
    check("run", "int run(callback_t cb, void *arg)", new CallShape(2, false, 0, 0, false));
    check("pick", "int (*pick(int which))(int, void *)", new CallShape(1, false, 0, 0, false));
    check("names", "const char *const *names(size n, char *const *argv)", new CallShape(2, false, 0, 0, false));
  }

  @Test
  void staticFunctionsAreRead() {
    assertEquals(false, functions.get("twice").external());
    check("twice", "int twice(int x)", new CallShape(1, false, 0, 0, false));
    assertEquals(false, functions.get("hidden").external());
    check("hidden", "void hidden(void)", new CallShape(0, false, 0, 0, false));
  }

  @Test
  void variadicFunctions() {
    check("logf_", "int logf_(int level, const char *fmt, ...)", new CallShape(2, true, 0, 0, false));
    check("mix", "double mix(float a, double b, int c, float d, ...)", new CallShape(4, true, 0, 0, false));
  }

  @Test
  void structuresByValue() {
    check("make_pair", "struct pair make_pair(struct pair p, int x)", new CallShape(2, false, 0, 0, false));
    check("grow", "struct big grow(struct big b, long int x)", new CallShape(2, false, 24, 24, false));
    check("vec", "float vec(struct v2 v)", new CallShape(1, false, 0, 0, false));
    check("un", "float un(union number n)", new CallShape(1, false, 0, 0, false));
  }

  @Test
  void registersRunOut() {
    check("nine", "double nine(double a0, double a1, double a2, double a3, double a4, double a5, double a6,"
        + " double a7, double a8)", new CallShape(9, false, 8, 0, false));
    check("seven", "long int seven(long int a, long int b, long int c, long int d, long int e, long int f,"
        + " long int g)", new CallShape(7, false, 8, 0, false));
    // f needs two integer registers where one is left: on the stack, aligned to 16.
    check("wide", "__int128 wide(int a, int b, int c, int d, int e, __int128 f)", new CallShape(6, false, 16, 0, false));
  }

  @Test
  void longDoubleGoesOnTheStackAndComesBackOnX87() {
    check("ld", "long double ld(long double x, int y)", new CallShape(2, false, 16, 0, true));
  }

  @Test
  void bitFieldsAndPackedMembers() {
    check("bits", "int bits(struct flags f, struct mixed m)", new CallShape(2, false, 0, 0, false));
    assertEquals(List.of(SystemVClassifier.Kind.INTEGER),
        List.of(SystemVClassifier.classify(functions.get("bits").type().parameters().get(0).resolved())));
    assertEquals(List.of(SystemVClassifier.Kind.INTEGER, SystemVClassifier.Kind.SSE),
        List.of(SystemVClassifier.classify(functions.get("bits").type().parameters().get(1).resolved())));
    check("packed", "int packed(struct tight t)", new CallShape(1, false, 8, 0, false));
  }
}
