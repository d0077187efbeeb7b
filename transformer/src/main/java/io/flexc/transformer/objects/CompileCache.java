package io.flexc.transformer.objects;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Compilations kept by content between builds, the way ccache's direct mode keeps them, so that a
 * build repeated after a failed link or a one-file change compiles only what changed.
 *
 * <p>A compilation's <em>direct key</em> hashes what is known before running the compiler: the
 * compiler (its resolved file, size and modification time), the working directory, every word of
 * the command line (the object's path left out), the environment variables that move include
 * directories, and the source's bytes. Its manifest lists the files the compiler read last time
 * ({@code -MD}: every header, system headers included) with their hashes; the entry is found under
 * the hash of the direct key and those files' current contents, so a changed header is a miss
 * although the source did not change. An entry holds the compiler's verdict, its messages (warnings
 * included: the gates must compile without one) and the object, checked by a hash on reading.
 *
 * <p>Paths below a build's own output directory (its name differs in every build: {@code
 * .NAME.partialN}) are hashed relative to it, so a rewritten file that did not change hits.
 * Rewritten files change within a build (a rejected rewrite is written again), so only files outside
 * that directory, which flexc never writes, have their hashes remembered for the build.
 *
 * <p>Safe under concurrent builds: every file is written under a temporary name in the cache and
 * renamed into place, so a reader sees an entry whole or not at all; one that does not read back
 * (truncated, corrupted, removed meanwhile) is a miss and is written again. A compilation whose
 * inputs changed while it ran is not kept. {@link #trim} bounds the size, oldest-used entries first.
 */
public final class CompileCache {

  /** Above this size {@link #trim} removes the entries used least recently. */
  public static final long DEFAULT_LIMIT_BYTES = 2L << 30;

  private static final String ENTRY_MAGIC = "flexc-cache-entry 2";
  private static final String MANIFEST_MAGIC = "flexc-cache-manifest 1";
  /** Variables that change what gcc reads or how, besides its command line. */
  private static final List<String> ENVIRONMENT =
      List.of("CPATH", "C_INCLUDE_PATH", "GCC_EXEC_PREFIX", "COMPILER_PATH", "SOURCE_DATE_EPOCH");
  private static final String OUTPUT = "<output>";
  private static final String OBJECT = "<object>";
  /** Temporary files older than this were left by a build killed outright. */
  private static final long STALE_TEMPORARY_MILLIS = 3_600_000;

  /** Hits and misses of one build. */
  public record Statistics(int hits, int misses) {}

  /** Runs one compiler command line, the cache's dependency flags added. */
  @FunctionalInterface
  public interface Run {
    Compiler.Result run(List<String> line) throws IOException, InterruptedException;
  }

  private final Path directory;
  private final long limitBytes;
  private final Map<String, String> environment;
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicInteger misses = new AtomicInteger();
  /** Hashes of files outside the build's output, which do not change during a build. */
  private final Map<Path, String> inputHashes = new ConcurrentHashMap<>();
  private final Map<String, String> compilers = new ConcurrentHashMap<>();

  public CompileCache(Path directory, long limitBytes, Map<String, String> environment) {
    this.directory = directory.toAbsolutePath().normalize();
    this.limitBytes = limitBytes;
    this.environment = Map.copyOf(environment);
  }

  /** The cache of this user: {@code $XDG_CACHE_HOME/flexc}, else {@code ~/.cache/flexc}. */
  public static CompileCache ofUser(Map<String, String> environment) {
    String xdg = environment.getOrDefault("XDG_CACHE_HOME", "");
    Path base = !xdg.isEmpty() ? Path.of(xdg)
        : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
    return new CompileCache(base.resolve("flexc"), DEFAULT_LIMIT_BYTES, environment);
  }

  public Path directory() {
    return directory;
  }

  public Statistics statistics() {
    return new Statistics(hits.get(), misses.get());
  }

  /**
   * The result of running {@code line} for {@code job}: from an entry when one matches (its object,
   * if any, copied to {@code job.object()}), else from {@code run}, kept for next time.
   * {@code output}, the build's output directory, is where paths are hashed relative to; null for
   * none.
   */
  public Compiler.Result compile(Compiler.Job job, List<String> line, Path output, Run run)
      throws IOException, InterruptedException {
    Paths paths = new Paths(output, job.command().directory());
    String direct = directKey(job, line, paths);
    Optional<Compiler.Result> cached;
    Path dependencies;
    try {
      cached = lookUp(job, direct, paths);
      if (cached.isEmpty()) {
        Files.createDirectories(directory.resolve("tmp"));
        dependencies = Files.createTempFile(directory.resolve("tmp"), "deps", ".d");
      } else {
        dependencies = null;
      }
    } catch (IOException unusable) {
      // A cache that cannot be read or written (full, read-only) costs the build its speed, never
      // its result.
      misses.incrementAndGet();
      return run.run(line);
    }
    if (cached.isPresent()) {
      hits.incrementAndGet();
      return cached.get();
    }
    misses.incrementAndGet();
    try {
      List<String> withDependencies = new ArrayList<>(line);
      withDependencies.addAll(List.of("-MD", "-MF", dependencies.toString()));
      Instant started = Instant.now();
      Compiler.Result result = run.run(withDependencies);
      try {
        store(job, result, direct, dependencies, started, paths);
      } catch (IOException unusable) {
        // Not kept: the next build compiles it again.
      }
      return new Compiler.Result(job, result.succeeded(), result.messages());
    } finally {
      Files.deleteIfExists(dependencies);
    }
  }

  /**
   * Removes the entries used least recently until the cache holds at most 80% of its limit, when it
   * holds more, and temporary files older than an hour.
   */
  public void trim() throws IOException {
    Path entries = directory.resolve("entries");
    if (Files.isDirectory(directory.resolve("tmp"))) {
      long stale = System.currentTimeMillis() - STALE_TEMPORARY_MILLIS;
      for (Path file : list(directory.resolve("tmp"))) {
        if (modified(file) < stale) {
          Files.deleteIfExists(file);
        }
      }
    }
    if (!Files.isDirectory(entries)) {
      return;
    }
    List<Path> files = list(entries);
    long total = 0;
    for (Path file : files) {
      total += size(file);
    }
    if (total <= limitBytes) {
      return;
    }
    List<Path> oldestFirst = new ArrayList<>(files);
    oldestFirst.sort(Comparator.comparingLong(CompileCache::modified));
    for (Path file : oldestFirst) {
      if (total <= limitBytes * 8 / 10) {
        break;
      }
      total -= size(file);
      Files.deleteIfExists(file);
    }
  }

  private String directKey(Compiler.Job job, List<String> line, Paths paths) throws IOException {
    Hash hash = new Hash();
    hash.add("flexc compile cache 1");
    hash.add(compiler(line.getFirst(), job.command().directory()));
    hash.add(paths.relative(job.command().directory().toAbsolutePath().normalize().toString()));
    hash.add(Integer.toString(line.size()));
    String object = job.object() == null ? null : job.object().toString();
    for (String word : line) {
      hash.add(word.equals(object) ? OBJECT : paths.relative(word));
    }
    for (String variable : ENVIRONMENT) {
      hash.add(variable + "=" + environment.getOrDefault(variable, ""));
    }
    hash.add(hashOf(Files.readAllBytes(job.source())));
    return hash.hex();
  }

  private Optional<Compiler.Result> lookUp(Compiler.Job job, String direct, Paths paths) throws IOException {
    Optional<Manifest> manifest = Manifest.read(file("manifests", direct));
    if (manifest.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> key = entryKey(direct, manifest.get().dependencies(), paths);
    if (key.isEmpty() || !key.get().equals(manifest.get().entry())) {
      return Optional.empty();
    }
    Path entry = file("entries", key.get());
    Optional<Entry> read = Entry.read(entry);
    boolean objectExpected = job.object() != null && read.map(Entry::succeeded).orElse(false);
    if (read.isEmpty() || read.get().object().isPresent() != objectExpected) {
      return Optional.empty();
    }
    if (job.object() != null && read.get().succeeded()) {
      Files.createDirectories(job.object().getParent());
      Files.write(job.object(), read.get().object().get());
    }
    try {
      // Its age is its last use, which trim() goes by.
      Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
    } catch (NoSuchFileException removedMeanwhile) {
      // Trimmed by another build after it was read: the result stands.
    }
    return Optional.of(new Compiler.Result(job, read.get().succeeded(), paths.restored(read.get().messages())));
  }

  /** The entry's key from the dependencies' current contents; empty when one is gone. */
  private Optional<String> entryKey(String direct, List<String> dependencies, Paths paths) throws IOException {
    Hash hash = new Hash();
    hash.add(direct);
    for (String dependency : dependencies) {
      Path file = paths.absolute(dependency);
      Optional<String> content = contentHash(file, paths);
      if (content.isEmpty()) {
        return Optional.empty();
      }
      hash.add(dependency);
      hash.add(content.get());
    }
    return Optional.of(hash.hex());
  }

  private void store(Compiler.Job job, Compiler.Result result, String direct, Path dependencyFile, Instant started,
      Paths paths) throws IOException {
    if (!Files.isRegularFile(dependencyFile) || Files.size(dependencyFile) == 0) {
      return;
    }
    List<String> dependencies = new ArrayList<>();
    for (Path dependency : Dependencies.parse(Files.readString(dependencyFile, StandardCharsets.UTF_8),
        job.command().directory())) {
      if (Files.getLastModifiedTime(dependency).toInstant().isAfter(started)) {
        return;
      }
      dependencies.add(paths.relative(dependency.toString()));
    }
    Optional<String> key = entryKey(direct, dependencies, paths);
    if (key.isEmpty()) {
      return;
    }
    Optional<byte[]> object = Optional.empty();
    if (result.succeeded() && job.object() != null) {
      object = Optional.of(Files.readAllBytes(job.object()));
    }
    writeAtomically(file("entries", key.get()),
        new Entry(result.succeeded(), paths.relative(result.messages()), object).bytes());
    writeAtomically(file("manifests", direct),
        new Manifest(key.get(), dependencies).text().getBytes(StandardCharsets.UTF_8));
  }

  private Optional<String> contentHash(Path file, Paths paths) throws IOException {
    if (paths.inOutput(file)) {
      return readHash(file);
    }
    String known = inputHashes.get(file);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<String> read = readHash(file);
    read.ifPresent(hash -> inputHashes.put(file, hash));
    return read;
  }

  private static Optional<String> readHash(Path file) throws IOException {
    try {
      return Optional.of(hashOf(Files.readAllBytes(file)));
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    }
  }

  /** Which compiler {@code word} runs: its real file, size and modification time. */
  private String compiler(String word, Path workingDirectory) {
    return compilers.computeIfAbsent(word + "\0" + workingDirectory, key -> {
      Optional<Path> found = word.contains("/") ? Optional.of(workingDirectory.resolve(word))
          : Arrays.stream(environment.getOrDefault("PATH", "/usr/bin:/bin").split(":"))
              .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, word)).filter(Files::isExecutable).findFirst();
      if (found.isEmpty()) {
        return "unresolved " + word;
      }
      try {
        Path real = found.get().toRealPath();
        return real + " " + Files.size(real) + " " + Files.getLastModifiedTime(real).toMillis();
      } catch (IOException e) {
        return "unresolved " + word;
      }
    });
  }

  private Path file(String kind, String key) {
    return directory.resolve(kind).resolve(key.substring(0, 2)).resolve(key);
  }

  private void writeAtomically(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    Path temporary = Files.createTempFile(directory.resolve("tmp"), "write", ".partial");
    try {
      Files.write(temporary, bytes);
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        // Another build wrote the same key at the same moment: its file serves as well.
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static List<Path> list(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException gone) {
      return Long.MAX_VALUE;
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException gone) {
      return 0;
    }
  }

  static String hashOf(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** Paths as hashed: below the build's output directory relative to it, others absolute. */
  private record Paths(Path output, Path workingDirectory) {

    private Paths {
      output = output == null ? null : output.toAbsolutePath().normalize();
    }

    String relative(String word) {
      if (output == null) {
        return word;
      }
      return word.replace(output.toString(), OUTPUT);
    }

    /** Text kept with {@link #relative} paths, as this build's: a cached compiler message. */
    String restored(String kept) {
      return output == null ? kept : kept.replace(OUTPUT, output.toString());
    }

    Path absolute(String hashed) {
      String path = output == null ? hashed : hashed.replace(OUTPUT, output.toString());
      return workingDirectory.resolve(path).normalize();
    }

    boolean inOutput(Path file) {
      return output != null && file.toAbsolutePath().normalize().startsWith(output);
    }
  }

  /** A SHA-256 over strings, each ended so that no two sequences hash alike. */
  private static final class Hash {
    private final MessageDigest digest = digest();

    void add(String text) {
      digest.update(text.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }

    String hex() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  /** The dependencies a compilation read last time and the entry they gave. */
  private record Manifest(String entry, List<String> dependencies) {

    String text() {
      StringBuilder text = new StringBuilder(MANIFEST_MAGIC).append('\n').append(entry).append('\n');
      dependencies.forEach(dependency -> text.append(dependency).append('\n'));
      return text.toString();
    }

    static Optional<Manifest> read(Path file) throws IOException {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException absent) {
        return Optional.empty();
      } catch (java.nio.charset.MalformedInputException corrupted) {
        return Optional.empty();
      }
      if (lines.size() < 2 || !lines.get(0).equals(MANIFEST_MAGIC) || !lines.get(1).matches("[0-9a-f]{64}")) {
        return Optional.empty();
      }
      return Optional.of(new Manifest(lines.get(1), lines.subList(2, lines.size())));
    }
  }

  /** A compilation's verdict, messages and object; its first line checks the rest. */
  private record Entry(boolean succeeded, String messages, Optional<byte[]> object) {

    byte[] bytes() {
      byte[] text = messages.getBytes(StandardCharsets.UTF_8);
      byte[] code = object.orElse(new byte[0]);
      byte[] body = new byte[text.length + code.length];
      System.arraycopy(text, 0, body, 0, text.length);
      System.arraycopy(code, 0, body, text.length, code.length);
      String header = ENTRY_MAGIC + " " + (succeeded ? 1 : 0) + " " + text.length + " "
          + (object.isPresent() ? code.length : -1) + " " + hashOf(body) + "\n";
      byte[] head = header.getBytes(StandardCharsets.UTF_8);
      byte[] all = new byte[head.length + body.length];
      System.arraycopy(head, 0, all, 0, head.length);
      System.arraycopy(body, 0, all, head.length, body.length);
      return all;
    }

    static Optional<Entry> read(Path file) throws IOException {
      byte[] all;
      try {
        all = Files.readAllBytes(file);
      } catch (NoSuchFileException absent) {
        return Optional.empty();
      }
      int newline = 0;
      while (newline < all.length && all[newline] != '\n') {
        newline++;
      }
      String[] header = new String(all, 0, newline, StandardCharsets.UTF_8).split(" ");
      if (newline == all.length || header.length != 6 || !(header[0] + " " + header[1]).equals(ENTRY_MAGIC)) {
        return Optional.empty();
      }
      try {
        int text = Integer.parseInt(header[3]);
        int code = Integer.parseInt(header[4]);
        byte[] body = Arrays.copyOfRange(all, newline + 1, all.length);
        if (text < 0 || body.length != text + Math.max(0, code) || !hashOf(body).equals(header[5])) {
          return Optional.empty();
        }
        return Optional.of(new Entry(header[2].equals("1"), new String(body, 0, text, StandardCharsets.UTF_8),
            code < 0 ? Optional.empty() : Optional.of(Arrays.copyOfRange(body, text, body.length))));
      } catch (NumberFormatException corrupted) {
        return Optional.empty();
      }
    }
  }
}
