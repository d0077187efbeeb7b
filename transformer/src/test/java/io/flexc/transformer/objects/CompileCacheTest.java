package io.flexc.transformer.objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compile cache: what hits, what misses, and that damaged entries and racing builds do no harm. */
class CompileCacheTest {

  @TempDir Path temporary;
  private Path sources;
  private Path cacheDirectory;

  @BeforeEach
  void writeSources() throws IOException {
    sources = Files.createDirectories(temporary.resolve("src"));
    cacheDirectory = temporary.resolve("cache");
    Files.writeString(sources.resolve("answer.h"), "#define ANSWER 42\n");
    Files.writeString(sources.resolve("answer.c"), "#include \"answer.h\"\nint answer(void) { return ANSWER; }\n");
  }

  private CompileCache cache() {
    return new CompileCache(cacheDirectory, CompileCache.DEFAULT_LIMIT_BYTES, System.getenv());
  }

  /** Compiles answer.c with {@code flags} into {@code object} through a new cache; its statistics. */
  private CompileCache.Statistics compile(Path object, String... flags) throws Exception {
    CompileCache cache = cache();
    List<String> words = new ArrayList<>(List.of("gcc"));
    words.addAll(List.of(flags));
    Compiler.Job job = new Compiler.Job(new CompileCommand(sources, words), sources.resolve("answer.c"), object, null);
    Compiler.Result result = new Compiler(1, Optional.of(cache), temporary.resolve("out")).compileAll(List.of(job))
        .getFirst();
    assertTrue(result.succeeded(), result.messages());
    assertTrue(Files.isRegularFile(object));
    return cache.statistics();
  }

  @Test
  void aSecondCompilationOfTheSameFileHitsAndGivesTheSameObject() throws Exception {
    assertEquals(new CompileCache.Statistics(0, 1), compile(temporary.resolve("first.o"), "-O2"));
    assertEquals(new CompileCache.Statistics(1, 0), compile(temporary.resolve("second.o"), "-O2"));
    assertArrayEquals(Files.readAllBytes(temporary.resolve("first.o")), Files.readAllBytes(temporary.resolve("second.o")));
  }

  @Test
  void aChangedSourceMisses() throws Exception {
    compile(temporary.resolve("a.o"), "-O2");
    Files.writeString(sources.resolve("answer.c"), "#include \"answer.h\"\nint answer(void) { return ANSWER + 1; }\n");
    assertEquals(new CompileCache.Statistics(0, 1), compile(temporary.resolve("b.o"), "-O2"));
  }

  @Test
  void aChangedFlagMisses() throws Exception {
    compile(temporary.resolve("a.o"), "-O2");
    assertEquals(new CompileCache.Statistics(0, 1), compile(temporary.resolve("b.o"), "-O1"));
    assertEquals(new CompileCache.Statistics(1, 0), compile(temporary.resolve("c.o"), "-O1"));
  }

  @Test
  void aChangedHeaderMissesThoughTheSourceIsTheSame() throws Exception {
    compile(temporary.resolve("a.o"), "-O2");
    Files.writeString(sources.resolve("answer.h"), "#define ANSWER 43\n");
    assertEquals(new CompileCache.Statistics(0, 1), compile(temporary.resolve("b.o"), "-O2"));
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(temporary.resolve("a.o")),
        Files.readAllBytes(temporary.resolve("b.o"))));
  }

  @Test
  void aCorruptedEntryIsAMissAndIsWrittenAgain() throws Exception {
    compile(temporary.resolve("a.o"), "-O2");
    List<Path> entries = files("entries");
    assertEquals(1, entries.size());
    byte[] bytes = Files.readAllBytes(entries.getFirst());
    bytes[bytes.length - 1] ^= 0x55;
    Files.write(entries.getFirst(), bytes);
    assertEquals(new CompileCache.Statistics(0, 1), compile(temporary.resolve("b.o"), "-O2"));
    assertArrayEquals(Files.readAllBytes(temporary.resolve("a.o")), Files.readAllBytes(temporary.resolve("b.o")));
    Files.write(entries.getFirst(), new byte[] {'x'});
    assertEquals(new CompileCache.Statistics(0, 1), compile(temporary.resolve("c.o"), "-O2"));
    assertEquals(new CompileCache.Statistics(1, 0), compile(temporary.resolve("d.o"), "-O2"));
  }

  @Test
  void failuresAndWarningsAreKeptWithTheirMessages() throws Exception {
    Files.writeString(sources.resolve("broken.c"), "int f(void) { return undeclared; }\n");
    Compiler.Job job = new Compiler.Job(new CompileCommand(sources, List.of("gcc")), sources.resolve("broken.c"),
        temporary.resolve("broken.o"), null);
    Compiler.Result first = new Compiler(1, Optional.of(cache()), null).compileAll(List.of(job)).getFirst();
    CompileCache again = cache();
    Compiler.Result second = new Compiler(1, Optional.of(again), null).compileAll(List.of(job)).getFirst();
    assertFalse(second.succeeded());
    assertEquals(first.messages(), second.messages());
    assertEquals(new CompileCache.Statistics(1, 0), again.statistics());
  }

  @Test
  void concurrentBuildsWritingTheSameEntriesEachGetAWholeObject() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<CompileCache.Statistics>> builds = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Path object = temporary.resolve("build" + i + ".o");
        builds.add(pool.submit((Callable<CompileCache.Statistics>) () -> compile(object, "-O2")));
      }
      for (Future<CompileCache.Statistics> build : builds) {
        CompileCache.Statistics statistics = build.get();
        assertEquals(1, statistics.hits() + statistics.misses());
      }
    } finally {
      pool.shutdownNow();
    }
    byte[] expected = Files.readAllBytes(temporary.resolve("build0.o"));
    for (int i = 1; i < 8; i++) {
      assertArrayEquals(expected, Files.readAllBytes(temporary.resolve("build" + i + ".o")));
    }
    assertEquals(1, files("entries").size());
    assertEquals(List.of(), files("tmp"));
  }

  @Test
  void pathsBelowTheOutputDirectoryAreHashedRelativeToIt() throws Exception {
    for (String build : List.of(".out.partial1", ".out.partial2")) {
      Path output = Files.createDirectories(temporary.resolve(build));
      Files.writeString(output.resolve("gate.c"), "#include \"answer.h\"\nint gate(void) { return ANSWER; }\n");
      Files.copy(sources.resolve("answer.h"), output.resolve("answer.h"));
      CompileCache cache = cache();
      Compiler.Job job = new Compiler.Job(new CompileCommand(output, List.of("gcc", "-I", output.toString())),
          output.resolve("gate.c"), output.resolve("gate.o"), null);
      assertTrue(new Compiler(1, Optional.of(cache), output).compileAll(List.of(job)).getFirst().succeeded());
      assertEquals(build.endsWith("1") ? new CompileCache.Statistics(0, 1) : new CompileCache.Statistics(1, 0),
          cache.statistics());
    }
  }

  @Test
  void macrosOfAPreprocessedFileAreCachedToo() throws Exception {
    Compiler.Job job = new Compiler.Job(new CompileCommand(sources, List.of("gcc")), sources.resolve("answer.c"), null,
        null);
    Compiler.Result first = new Compiler(1, Optional.of(cache()), null).macrosOfAll(List.of(job)).getFirst();
    CompileCache again = cache();
    Compiler.Result second = new Compiler(1, Optional.of(again), null).macrosOfAll(List.of(job)).getFirst();
    assertTrue(second.messages().contains("#define ANSWER 42"), second.messages());
    assertEquals(first.messages(), second.messages());
    assertEquals(new CompileCache.Statistics(1, 0), again.statistics());
  }

  @Test
  void aCacheThatCannotBeWrittenOnlyCostsSpeed() throws Exception {
    Files.writeString(cacheDirectory, "a file where the cache's directory should be");
    assertEquals(new CompileCache.Statistics(0, 1), compile(temporary.resolve("a.o"), "-O2"));
    assertEquals(new CompileCache.Statistics(0, 1), compile(temporary.resolve("b.o"), "-O2"));
  }

  @Test
  void trimRemovesTheOldestEntriesBeyondTheLimit() throws Exception {
    compile(temporary.resolve("a.o"), "-O2");
    compile(temporary.resolve("b.o"), "-O1");
    List<Path> entries = files("entries");
    assertEquals(2, entries.size());
    Files.setLastModifiedTime(entries.get(0), java.nio.file.attribute.FileTime.fromMillis(1000));
    // A limit both entries exceed, 80% of which still holds the newest.
    long limit = (Files.size(entries.get(1)) * 10 + 7) / 8;
    assertTrue(Files.size(entries.get(0)) + Files.size(entries.get(1)) > limit);
    new CompileCache(cacheDirectory, limit, Map.of()).trim();
    assertEquals(List.of(entries.get(1)), files("entries"));
  }

  private List<Path> files(String kind) throws IOException {
    Path directory = cacheDirectory.resolve(kind);
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
