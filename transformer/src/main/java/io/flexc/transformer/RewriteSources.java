package io.flexc.transformer;

import io.flexc.model.Application;
import io.flexc.model.GateSite;
import io.flexc.model.LibrarySpec;
import io.flexc.model.SharedData;
import io.flexc.transformer.TransformReport.FileOutcome;
import io.flexc.transformer.TransformReport.Status;
import io.flexc.transformer.objects.CompileCommand;
import io.flexc.transformer.objects.ElfObject;
import io.flexc.transformer.source.CFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transformer's fourth stage: rewrites every file into {@code src/} of the output and, with
 * the object level on, compiles it into {@code objects/}. A file whose rewrite the compiler
 * rejects is rewritten again without the names the compiler complained about (left to the
 * object-level pass), up to {@link #MAX_ATTEMPTS} times, and then falls back to its original text.
 * A file the rewrite left as it was, and which includes nothing but headers (never rewritten),
 * compiles to what its original compiled to: its original object is taken instead of compiling it
 * again, which on a program where few files call into another compartment halves the compilation.
 */
final class RewriteSources {

  /** Rewrites of one file tried before the file falls back to its original text. */
  private static final int MAX_ATTEMPTS = 4;

  private static final Pattern QUOTED_NAME = Pattern.compile("'([A-Za-z_][A-Za-z0-9_]*)'");
  private static final Pattern INCLUDE = Pattern.compile("^\\s*#\\s*(include|include_next|import)\\b(.*)$",
      Pattern.MULTILINE);
  private static final Pattern HEADER = Pattern.compile("\\s*(<[^<>]*\\.h>|\"[^\"]*\\.h\")\\s*(/[/*].*)?");

  private final Application application;
  private final Compilation compilation;
  private final Transformer.Options options;
  private final Symbols symbols;

  RewriteSources(Application application, Compilation compilation, Transformer.Options options, Symbols symbols) {
    this.application = application;
    this.compilation = compilation;
    this.options = options;
    this.symbols = symbols;
  }

  Rewrite rewrite(ScannedSources scanned, Originals originals, Path output) throws IOException, InterruptedException {
    List<String> notes = new ArrayList<>();
    List<Source> rewritten = new ArrayList<>();
    Map<Path, SourceRewriter.Result> results = new LinkedHashMap<>();
    Map<Path, Set<String>> excluded = new HashMap<>();
    Map<Path, CFile> files = new HashMap<>();
    for (LibrarySpec library : application.spec().libraries()) {
      for (CFile file : scanned.filesOf().get(library.name())) {
        files.put(file.path(), file);
        excluded.put(file.path(), new TreeSet<>());
        Path target = output.resolve("src").resolve(compilation.relative(file.path()));
        Files.createDirectories(target.getParent());
        rewritten.add(new Source(library, file.path(), target));
      }
    }
    Map<Path, ElfObject> objects = new LinkedHashMap<>();
    Map<Path, String> fallbacks = new HashMap<>();
    Path objectDirectory = output.resolve("objects");
    List<Source> pending = rewritten;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      List<SourceRewriter.Result> attemptResults = pending.parallelStream()
          .map(source -> fallbacks.containsKey(source.file())
              ? unchanged(files.get(source.file()))
              : SourceRewriter.rewrite(files.get(source.file()), source.library().name(), symbols,
                  originals.macrosOf(source.file()), options.sharedLocals(), excluded.get(source.file())))
          .toList();
      for (int i = 0; i < pending.size(); i++) {
        Source source = pending.get(i);
        results.put(source.file(), attemptResults.get(i));
        Files.writeString(source.text(), attemptResults.get(i).text(), StandardCharsets.ISO_8859_1);
      }
      if (!options.objectLevel()) {
        break;
      }
      List<Source> compile = new ArrayList<>();
      for (int i = 0; i < pending.size(); i++) {
        Source source = pending.get(i);
        CFile file = files.get(source.file());
        ElfObject original = originals.objects().get(source.file());
        if (original != null && attemptResults.get(i).text().equals(file.text()) && includesOnlyHeaders(file)) {
          Path object = compilation.objectIn(objectDirectory, source.file());
          Files.createDirectories(object.getParent());
          Files.copy(original.path(), object, StandardCopyOption.REPLACE_EXISTING);
          objects.put(source.file(), ElfObject.read(object));
        } else {
          compile.add(source);
        }
      }
      Compilation.Compiled compiled = compilation.compile(objectDirectory, compile);
      objects.putAll(compiled.objects());
      List<Source> retry = new ArrayList<>();
      for (Source source : compile) {
        String errors = compiled.failures().get(source.file());
        if (errors == null) {
          continue;
        }
        if (fallbacks.containsKey(source.file())) {
          throw new IOException(source.file() + " compiled as given but not from the output tree:\n" + errors);
        }
        Set<String> rejected = rejectedNames(errors);
        if (attempt < MAX_ATTEMPTS && !rejected.isEmpty() && excluded.get(source.file()).addAll(rejected)) {
          notes.add(source.file() + ": the compiler rejected the rewrite of " + String.join(", ", rejected)
              + " (" + firstError(errors) + "); left to the object-level pass");
        } else {
          // Named as in the output (src/...): the directory being written is renamed when complete.
          Path written = source.text().toAbsolutePath();
          fallbacks.put(source.file(), "the rewritten file does not compile:\n"
              + errors.replace(written.toString(), output.toAbsolutePath().relativize(written).toString()));
        }
        retry.add(source);
      }
      pending = retry;
    }
    List<FileOutcome> outcomes = new ArrayList<>();
    List<GateSite> sites = new ArrayList<>();
    List<SharedData> shared = new ArrayList<>();
    Set<String> entryPoints = new TreeSet<>();
    for (Source source : rewritten) {
      SourceRewriter.Result result = results.get(source.file());
      Optional<Path> object = options.objectLevel()
          ? Optional.of(objectDirectory.resolve(compilation.relative(source.file()) + ".o"))
          : Optional.empty();
      CompileCommand command = compilation.commandFor(source.library(), source.file().toAbsolutePath().normalize());
      if (fallbacks.containsKey(source.file())) {
        outcomes.add(new FileOutcome(source.library().name(), source.file(), source.text(), object,
            Status.FELL_BACK, fallbacks.get(source.file()), command));
        continue;
      }
      sites.addAll(result.sites());
      shared.addAll(result.shared());
      entryPoints.addAll(result.entryPoints());
      notes.addAll(result.notes());
      boolean changed = !result.text().equals(files.get(source.file()).text());
      outcomes.add(new FileOutcome(source.library().name(), source.file(), source.text(), object,
          changed ? Status.REWRITTEN : Status.UNCHANGED, "", command));
    }
    return new Rewrite(outcomes, sites, shared, entryPoints, notes, objects);
  }

  /**
   * Whether every {@code #include} of {@code file} names a header literally: then its copy in
   * {@code src/} includes what the original includes, since only C files are rewritten there.
   */
  private static boolean includesOnlyHeaders(CFile file) {
    Matcher include = INCLUDE.matcher(file.text());
    while (include.find()) {
      if (!HEADER.matcher(include.group(2)).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Names the compiler complained about in a rewritten file: gates, callees, moved locals. */
  private static Set<String> rejectedNames(String errors) {
    Set<String> names = new TreeSet<>();
    for (String line : errors.lines().filter(l -> l.contains("error")).toList()) {
      Matcher matcher = QUOTED_NAME.matcher(line);
      while (matcher.find()) {
        names.add(matcher.group(1));
      }
    }
    return names;
  }

  private static String firstError(String errors) {
    return errors.lines().filter(l -> l.contains("error:")).findFirst()
        .map(l -> l.substring(l.indexOf("error:")).strip()).orElse("error");
  }

  private static SourceRewriter.Result unchanged(CFile file) {
    return new SourceRewriter.Result(file.text(), List.of(), List.of(), List.of(), Set.of());
  }
}
