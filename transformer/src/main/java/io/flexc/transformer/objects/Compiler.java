package io.flexc.transformer.objects;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the C compiler on many files at once, one process per available core, and keeps each
 * file's diagnostics: a failed compilation is a result to report, not an exception. With a {@link
 * CompileCache}, a compilation whose inputs did not change since an earlier build is taken from it.
 */
public final class Compiler {

  /** One compilation to run: {@code source} into {@code object}, as {@code command} says. */
  public record Job(CompileCommand command, Path source, Path object, Path quoteDirectory) {}

  /** What a compilation gave: the object on success, the compiler's messages either way. */
  public record Result(Job job, boolean succeeded, String messages) {}

  private final int parallelism;
  private final Optional<CompileCache> cache;
  private final Path output;

  public Compiler(int parallelism) {
    this(parallelism, Optional.empty(), null);
  }

  /**
   * A compiler using {@code cache}, where paths below {@code output} (the build's output directory,
   * named anew by each build) are hashed relative to it; {@code output} may be null.
   */
  public Compiler(int parallelism, Optional<CompileCache> cache, Path output) {
    this.parallelism = Math.max(1, parallelism);
    this.cache = cache;
    this.output = output;
  }

  public List<Result> compileAll(List<Job> jobs) throws IOException, InterruptedException {
    return runAll(jobs, false);
  }

  /**
   * Preprocesses each job's source with {@code -E -dM}: the result's messages are the macros the
   * translation unit really defines, with its flags and its {@code #if}s decided.
   */
  public List<Result> macrosOfAll(List<Job> jobs) throws IOException, InterruptedException {
    return runAll(jobs, true);
  }

  private List<Result> runAll(List<Job> jobs, boolean macros) throws IOException, InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<Result>> futures = new ArrayList<>();
      for (Job job : jobs) {
        futures.add(pool.submit(() -> macros ? cached(job, macroLine(job)) : compile(job)));
      }
      List<Result> results = new ArrayList<>();
      for (Future<Result> future : futures) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> macroLine(Job job) {
    List<String> line = new ArrayList<>(job.command().compiler());
    line.addAll(List.of("-E", "-dM", job.source().toString()));
    return line;
  }

  private Result compile(Job job) throws IOException, InterruptedException {
    Files.createDirectories(job.object().getParent());
    return cached(job, job.command().commandLine(job.source(), job.object(), job.quoteDirectory()));
  }

  private Result cached(Job job, List<String> line) throws IOException, InterruptedException {
    if (cache.isEmpty()) {
      return run(job, line);
    }
    return cache.get().compile(job, line, output, withDependencies -> run(job, withDependencies));
  }

  private static Result run(Job job, List<String> line) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(line).directory(job.command().directory().toFile()).redirectErrorStream(true);
    // Plain ASCII quotes in messages, which the rewrite's retry reads names from.
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    String messages = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean succeeded = process.waitFor() == 0 && (line.contains("-E") || Files.isRegularFile(job.object()));
    return new Result(job, succeeded, messages);
  }

  /** Renames symbols in an object ({@code objcopy --redefine-sym}): the object-level redirect. */
  public static void redefineSymbols(Path object, List<String[]> renames)
      throws IOException, InterruptedException {
    if (renames.isEmpty()) {
      return;
    }
    List<String> line = new ArrayList<>(List.of("objcopy"));
    for (String[] rename : renames) {
      line.add("--redefine-sym");
      line.add(rename[0] + "=" + rename[1]);
    }
    line.add(object.toString());
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String messages = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("objcopy failed on " + object + ": " + messages.strip());
    }
  }
}
