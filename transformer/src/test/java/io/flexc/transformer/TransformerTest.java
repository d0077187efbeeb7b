package io.flexc.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.model.Application;
import io.flexc.model.CallShape;
import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.model.Outcome;
import io.flexc.model.Prototype;
import io.flexc.model.SharedData.Placement;
import io.flexc.model.SharedData;
import io.flexc.transformer.TransformReport.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer on the {@code gates} sample (test resources): a program and a library whose
 * references cover every rewrite kind, compiled with gcc before and after the rewrite.
 */
class TransformerTest {

  private static final Map<String, Integer> SPLIT = Map.of("a", 0, "b", 1);

  @TempDir Path temporary;
  private Path application;

  @BeforeEach
  void copySample() throws IOException, URISyntaxException {
    Path sample = Path.of(TransformerTest.class.getResource("/gates/flexc.yaml").toURI()).getParent();
    application = temporary.resolve("gates");
    try (Stream<Path> walk = Files.walk(sample)) {
      for (Path path : walk.toList()) {
        Path target = application.resolve(sample.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  private Application load() {
    Outcome<Application> loaded = ApplicationLoader.load(application, TestBackends.CATALOG);
    assertTrue(loaded.succeeded(), () -> loaded.diagnostics().toString());
    return loaded.get();
  }

  private TransformReport transform(Map<String, Integer> split, Placement placement, Path output)
      throws IOException, InterruptedException {
    Files.createDirectories(output);
    return Transformer.transform(load(), split, new Transformer.Options(placement, true, 2), output);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Long> kinds(TransformReport report) {
    return report.sites().stream()
        .collect(Collectors.groupingBy(s -> s.level() + " " + s.kind(), TreeMap::new, Collectors.counting()));
  }

  @Test
  void everyKindOfCrossCompartmentReferenceIsRewrittenInTheSource() throws Exception {
    Path output = temporary.resolve("out");
    TransformReport report = transform(SPLIT, Placement.DSS, output);
    String main = read(output.resolve("src/a/main.c"));

    // Calls, whatever they return or however many arguments they take, and in both #if branches.
    assertTrue(main.contains("struct pair p = flexc_gate_c0_b_pair(3);"));
    assertTrue(main.contains("int sum = flexc_gate_c0_b_sum(2, 1, 2);"));
    assertTrue(main.contains("int sum = flexc_gate_c0_b_sum(3, 1, 2, 3);"));
    assertTrue(main.contains("extern __typeof__(b_pair) flexc_gate_c0_b_pair; /* flexc gate */"));
    // Address uses, here in a file-scope table.
    assertTrue(main.contains("static int (*const operations[])(int, int) = { flexc_gate_c0_b_add };"));
    // Callbacks: a static one through a global alias, a global one directly.
    assertTrue(main.contains("flexc_gate_c0_b_register(flexc_gate_c1_flexc_static_a_main_twice);"));
    assertTrue(main.contains("extern __typeof__(twice) flexc_static_a_main_twice __attribute__((alias(\"twice\")));"));
    assertTrue(main.contains("flexc_gate_c0_b_register(flexc_gate_c1_plus_one);"));
    // A local whose address crosses, and a local array, move to the shared stack.
    assertTrue(main.contains("int (*flexc_shared_filled) __attribute__((cleanup(flexc_dss_release)))"
        + " = flexc_dss_alloc(sizeof(*flexc_shared_filled));"));
    assertTrue(main.contains("char (*flexc_shared_buffer)[8] __attribute__((cleanup(flexc_dss_release)))"));
    assertTrue(main.contains("flexc_gate_c0_b_fill_array((*flexc_shared_buffer), sizeof (*flexc_shared_buffer));"));
    // An allocation handed across comes from the shared heap.
    assertTrue(main.contains("owned = flexc_shared_malloc(16);"));
    // A macro's call is expanded in place; a pasted name (##) cannot be and is left to objcopy.
    assertTrue(main.contains("flexc_gate_c0_b_add((5), (5))"));
    assertTrue(main.contains("B_CALL(add)"));
    // A moved local among its arguments is renamed, a word in a string is not.
    assertTrue(main.contains("(flexc_gate_c0_b_fill(&(*flexc_shared_filled)), \"filled, a string\")"), main);
    // FlexOS's annotations.
    assertTrue(main.contains("flexc_gate_c0_b_fill(&(*flexc_shared_filled));"));
    assertTrue(main.contains("flexos_result = flexc_gate_c0_b_add(40, 2);"));
    assertTrue(main.contains("owned = flexc_shared_malloc(4);\n\tflexc_shared_free(owned);"));
    assertTrue(read(output.resolve("src/b/b.c")).contains("int /* flexc: flexos_whitelist */ b_open_to_all(void)"));
    // Comments, strings and same-compartment calls are left alone.
    assertTrue(main.contains("/* a comment mentioning b_add(1, 2) is not a call */"));
    assertTrue(main.contains("\"b_add(1, 2) in a string is not a call either\""));
    assertTrue(main.contains("a_square(4)"));

    assertEquals(Map.of(
            "SOURCE CALL", 15L, "SOURCE ADDRESS", 1L, "SOURCE CALLBACK", 2L, "SOURCE ANNOTATION", 2L,
            "OBJECT CALL", 1L),
        kinds(report));
    GateSite pasted = report.sites().stream().filter(s -> s.level() == GateSite.Level.OBJECT).findFirst().orElseThrow();
    assertEquals(List.of("a", "main", "b_add", "flexc_gate_c0_b_add"),
        List.of(pasted.callerLibrary(), pasted.callerFunction(), pasted.function(), pasted.gate()));
    TransformReport.ObjectCheck check = report.objectCheck().orElseThrow();
    assertEquals(18, check.crossReferences());
    assertEquals(1, check.redirected());
    assertEquals(0, check.remaining(), "every cross-compartment reference goes through a gate");
    assertEquals(check.objectFunctions(), check.foundFunctions());
    assertTrue(report.entryPoints().containsAll(List.of("flexc_static_a_main_twice", "plus_one", "b_open_to_all")));
    assertTrue(report.shared().contains(new SharedData.Global("b_counter", "b",
        application.resolve("b/b.c"), java.util.Set.of("a"))), report.shared().toString());
    assertTrue(report.shared().stream().anyMatch(d -> d instanceof SharedData.Local local
        && local.variable().equals("filled") && local.placement() == Placement.DSS));
    Gate variadic = report.gates().stream().filter(g -> g.function().equals("b_sum")).findFirst().orElseThrow();
    assertEquals("int b_sum(int count, ...)", variadic.prototype().orElseThrow().declaration("b_sum"));
    assertTrue(variadic.prototype().orElseThrow().variadic());
  }

  @Test
  void gatePrototypesComeFromTheCompiler() throws Exception {
    TransformReport report = transform(SPLIT, Placement.DSS, temporary.resolve("out"));
    Map<String, Prototype> prototypes = new TreeMap<>();
    report.gates().forEach(g -> prototypes.put(g.function(), g.prototype().orElseThrow()));
    assertTrue(prototypes.values().stream().allMatch(p -> p.shape().isPresent()), prototypes.toString());
    assertEquals("struct pair b_pair(long int x)", prototypes.get("b_pair").declaration("b_pair"));
    assertEquals(new CallShape(1, true, 0, 0, false), prototypes.get("b_sum").shape().orElseThrow());
    assertEquals(new CallShape(1, false, 0, 0, false), prototypes.get("b_pair").shape().orElseThrow());
    assertEquals(application.resolve("b/b.c"), prototypes.get("b_pair").definedIn());
  }

  @Test
  void apiPrototypesThatDifferFromTheCompilersAreErrorsAtTheirEntries() throws Exception {
    Files.writeString(application.resolve("meta/b.meta"), """
        # Test library b.
        [Library] ::= b
        [Memory Access] ::= RA, WA
        [Call] ::= XA
        [API] ::= (b_add, SYMB, "int b_add(int x)") \\
                  (b_sum, SYMB, "int b_sum(int count)") \\
                  (b_pair, SYMB, "B_API double b_pair(long x)") \\
                  (b_fill, SYMB, "B_API int b_fill(int *out)") \\
                  (b_checksum, SYMB, "int b_checksum(const char *data, int size, ...)")
        [Requires] ::= R, W, X
        """);
    IOException thrown = assertThrows(IOException.class,
        () -> transform(SPLIT, Placement.DSS, temporary.resolve("out")));
    String meta = application.resolve("meta/b.meta").toString();
    assertEquals("the [API] prototypes of the metadata do not match the compiler's:\n"
        + meta + ":5:11: error: the [API] prototype of b_add, 'int b_add(int x)', does not match the compiler's,"
        + " 'int b_add(int x, int y)' (defined in b/b.c): 1 parameter in the [API], 2 in the compiler's\n"
        + meta + ":6:11: error: the [API] prototype of b_sum, 'int b_sum(int count)', does not match the compiler's,"
        + " 'int b_sum(int count, ...)' (defined in b/b.c): variadic in the compiler's, not in the [API]\n"
        + meta + ":7:11: error: the [API] prototype of b_pair, 'B_API double b_pair(long x)', does not match the"
        + " compiler's, 'struct pair b_pair(long int x)' (defined in b/b.c): the result is SSE in the [API],"
        + " INTEGER in the compiler's\n"
        + meta + ":9:11: error: the [API] prototype of b_checksum, 'int b_checksum(const char *data, int size, ...)',"
        + " does not match the compiler's, 'int b_checksum(const char *data, int size)' (defined in b/b.c):"
        + " variadic in the [API], not in the compiler's", thrown.getMessage());
  }

  @Test
  void heapPlacementMovesLocalsToTheSharedHeap() throws Exception {
    Path output = temporary.resolve("out");
    transform(SPLIT, Placement.HEAP, output);
    String main = read(output.resolve("src/a/main.c"));
    assertTrue(main.contains("int (*flexc_shared_filled) __attribute__((cleanup(flexc_shared_release)))"
        + " = flexc_shared_alloc(sizeof(*flexc_shared_filled));"));
  }

  @Test
  void oneCompartmentNeedsNoGate() throws Exception {
    Path output = temporary.resolve("out");
    TransformReport report = transform(Map.of("a", 0, "b", 0), Placement.DSS, output);
    assertEquals(List.of(), report.sites());
    String main = read(output.resolve("src/a/main.c"));
    assertFalse(main.contains("flexc_gate"), main);
    // FlexOS's annotations still become what they mean: here a plain call.
    assertTrue(main.contains("\tb_fill(&filled);"));
    assertEquals(read(application.resolve("a/util.c")), read(output.resolve("src/a/util.c")));
  }

  @Test
  void theInputIsNeverModifiedAndTheOutputIsDeterministic() throws Exception {
    Map<String, String> before = tree(application);
    transform(SPLIT, Placement.DSS, temporary.resolve("first"));
    transform(SPLIT, Placement.DSS, temporary.resolve("second"));
    assertEquals(before, tree(application));
    assertEquals(tree(temporary.resolve("first/src")), tree(temporary.resolve("second/src")));
  }

  private static Map<String, String> tree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .collect(Collectors.toMap(p -> root.relativize(p).toString(), TransformerTest::read, (x, y) -> x, TreeMap::new));
    }
  }

  @Test
  void aRewriteTheCompilerRejectsIsRetriedWithoutTheRejectedName() throws Exception {
    Files.writeString(application.resolve("b/hidden.c"), "int b_hidden(void)\n{\n\treturn 1;\n}\n");
    Files.writeString(application.resolve("a/table.c"), """
        #ifdef NEVER_DEFINED
        int b_hidden(void);
        #endif
        int (*const hidden_table[])(void) = {
        #ifdef NEVER_DEFINED
        \tb_hidden,
        #endif
        \t0
        };
        """);
    TransformReport report = transform(SPLIT, Placement.DSS, temporary.resolve("out"));
    assertTrue(report.notes().stream().anyMatch(n -> n.contains("table.c: the compiler rejected the rewrite of")
        && n.contains("b_hidden")), report.notes().toString());
    TransformReport.FileOutcome table = report.files().stream()
        .filter(f -> f.original().endsWith("table.c")).findFirst().orElseThrow();
    assertEquals(Status.UNCHANGED, table.status());
    assertEquals(0, report.objectCheck().orElseThrow().remaining());
  }

  @Test
  void sourcesThatDoNotCompileAsGivenAreAnError() throws Exception {
    Files.writeString(application.resolve("a/broken.c"), "int broken(void) { return }\n");
    IOException error = assertThrows(IOException.class,
        () -> transform(SPLIT, Placement.DSS, temporary.resolve("out")));
    assertTrue(error.getMessage().contains("the original sources do not compile"));
    assertTrue(error.getMessage().contains("broken.c"));
  }

  @Test
  void sourceOnlyRewritesWithoutCompiling() throws Exception {
    Path output = temporary.resolve("out");
    Files.createDirectories(output);
    TransformReport report = Transformer.transform(load(), SPLIT, new Transformer.Options(Placement.DSS, false, 2), output);
    assertTrue(report.objectCheck().isEmpty());
    assertFalse(Files.exists(output.resolve("objects")));
    assertTrue(read(output.resolve("src/a/main.c")).contains("flexc_gate_c0_b_pair(3)"));
  }
}
