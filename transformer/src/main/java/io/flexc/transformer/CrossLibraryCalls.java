package io.flexc.transformer;

import io.flexc.model.Application;
import io.flexc.model.Prototype;
import io.flexc.transformer.objects.ElfObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every function of one library that code of another refers to, as the sources compiled as given
 * show, with the callee's prototype as the compiler saw it: what a backend is asked about before a configuration is chosen,
 * so that a call it cannot gate keeps its caller's library with its callee's. The same stages as a
 * transform's first three ({@link ScanSources}, {@link CompileOriginals}, {@link ResolveOwnership}),
 * with the options' compile cache, so the transform that follows compiles nothing twice.
 */
public final class CrossLibraryCalls {

  /** {@code callerLibrary}'s files {@code callers} refer to {@code function} of {@code calleeLibrary}. */
  public record Call(String callerLibrary, String calleeLibrary, String function, Optional<Prototype> prototype,
      List<Path> callers) {

    public Call {
      callers = List.copyOf(callers);
    }
  }

  private CrossLibraryCalls() {}

  /** The calls between {@code application}'s libraries, by caller library, then function, as compiled. */
  public static List<Call> find(Application application, Transformer.Options options)
      throws IOException, InterruptedException {
    try (ScratchDirectory work = ScratchDirectory.createTemporary("flexc-calls")) {
      Compilation compilation = new Compilation(application, options, work.path());
      ScannedSources scanned = new ScanSources(application, compilation, true).scan();
      Originals originals = new CompileOriginals(compilation).compile(work.path().resolve("original"));
      Ownership ownership = new ResolveOwnership(compilation).resolve(scanned, originals);
      Map<List<String>, Set<Path>> callers = new LinkedHashMap<>();
      for (Map.Entry<Path, ElfObject> entry : originals.objects().entrySet()) {
        String library = compilation.libraryOf(entry.getKey());
        for (ElfObject.Relocation relocation : entry.getValue().relocations()) {
          ElfObject.Symbol symbol = relocation.symbol();
          String owner = ownership.functionOwners().get(symbol.name());
          if (!symbol.isDefined() && symbol.type() != ElfObject.Type.SECTION && owner != null
              && !owner.equals(library)) {
            callers.computeIfAbsent(List.of(library, owner, symbol.name()), key -> new LinkedHashSet<>())
                .add(entry.getKey());
          }
        }
      }
      Set<Path> callees = new LinkedHashSet<>();
      callers.keySet().forEach(key -> ownership.definingFile(key.get(2)).ifPresent(callees::add));
      CompiledPrototypes compiled = new ReadCompiledPrototypes(compilation)
          .read(callees, originals, work.path().resolve("debug"));
      List<Call> calls = new ArrayList<>();
      callers.forEach((key, files) -> calls.add(new Call(key.get(0), key.get(1), key.get(2),
          Transformer.prototype(key.get(2), ownership, compiled), new ArrayList<>(files))));
      return calls;
    }
  }
}
