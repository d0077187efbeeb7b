package io.flexc.transformer;

import io.flexc.model.Gate;
import io.flexc.model.Prototype;
import io.flexc.transformer.objects.ElfObject;
import io.flexc.transformer.source.CFile;
import io.flexc.transformer.source.FunctionDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transformer's third stage: decides which library owns each symbol. The original objects
 * speak first (they see through macros and generated code); the scanned definitions add what they
 * do not know and give each function its prototype. The first library to define a name owns it.
 */
final class ResolveOwnership {

  private final Compilation compilation;

  ResolveOwnership(Compilation compilation) {
    this.compilation = compilation;
  }

  Ownership resolve(ScannedSources scanned, Originals originals) {
    Map<String, String> functionOwners = new HashMap<>();
    Map<String, String> dataOwners = new HashMap<>();
    Map<String, Prototype> prototypes = new HashMap<>();
    Map<String, Path> dataFiles = new HashMap<>();
    List<String> notes = new ArrayList<>();
    for (Map.Entry<Path, ElfObject> entry : originals.objects().entrySet()) {
      String library = compilation.libraryOf(entry.getKey());
      for (ElfObject.Symbol symbol : entry.getValue().symbols()) {
        if (!symbol.global() || !symbol.isDefined()) {
          continue;
        }
        Map<String, String> owners =
            symbol.type() == ElfObject.Type.FUNCTION ? functionOwners
                : symbol.type() == ElfObject.Type.DATA ? dataOwners : null;
        if (owners != null) {
          dataFiles.putIfAbsent(symbol.name(), entry.getKey());
          String previous = owners.putIfAbsent(symbol.name(), library);
          if (previous != null && !previous.equals(library)) {
            notes.add("'" + symbol.name() + "' is defined by both " + previous + " and " + library
                + "; calls go to " + previous + "'s");
          }
        }
      }
    }
    scanned.filesOf().forEach((library, files) -> {
      for (CFile file : files) {
        for (FunctionDefinition function : file.functions()) {
          Prototype prototype = new Prototype(function.returnType(), function.parameters(),
              function.variadic(), file.path());
          if (function.isStatic()) {
            prototypes.putIfAbsent(Gate.staticAlias(library, file.path(), function.name()), prototype);
          } else {
            functionOwners.putIfAbsent(function.name(), library);
            if (functionOwners.get(function.name()).equals(library)) {
              prototypes.putIfAbsent(function.name(), prototype);
            }
          }
        }
      }
    });
    return new Ownership(functionOwners, dataOwners, prototypes, dataFiles, notes);
  }
}
