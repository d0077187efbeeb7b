package io.flexc.transformer;

import io.flexc.model.Prototype;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who defines what: the library of each global function and global datum, each function's
 * prototype (a static one under its alias), the file defining each global symbol as its object
 * says, and notes on symbols two libraries define.
 */
record Ownership(
    Map<String, String> functionOwners,
    Map<String, String> dataOwners,
    Map<String, Prototype> prototypes,
    Map<String, Path> dataFiles,
    List<String> notes) {

  Ownership {
    functionOwners = Map.copyOf(functionOwners);
    dataOwners = Map.copyOf(dataOwners);
    prototypes = Map.copyOf(prototypes);
    dataFiles = Map.copyOf(dataFiles);
    notes = List.copyOf(notes);
  }

  /**
   * The file that defines {@code function}: the one whose object defines it, else the one the
   * scanner found its definition in (a static function, under its alias).
   */
  Optional<Path> definingFile(String function) {
    return Optional.ofNullable(dataFiles.get(function))
        .or(() -> Optional.ofNullable(prototypes.get(function)).map(Prototype::definedIn));
  }

  /**
   * What the rewrite of a file needs to know, for the configuration {@code compartmentOf}, where
   * the globals {@code referencedAcross} are used by code of another compartment than their owner's.
   */
  Symbols symbols(Map<String, Integer> compartmentOf, Set<String> referencedAcross) {
    return new Symbols() {
      @Override
      public Optional<String> functionOwner(String name) {
        return Optional.ofNullable(functionOwners.get(name));
      }

      @Override
      public int compartmentOf(String library) {
        return compartmentOf.get(library);
      }

      @Override
      public boolean isReferencedAcross(String global) {
        return referencedAcross.contains(global);
      }
    };
  }
}
