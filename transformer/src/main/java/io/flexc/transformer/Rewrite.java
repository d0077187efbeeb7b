package io.flexc.transformer;

import io.flexc.model.GateSite;
import io.flexc.model.SharedData;
import io.flexc.transformer.TransformReport.FileOutcome;
import io.flexc.transformer.objects.ElfObject;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sources as rewritten: what became of each file, the gate sites, shared data and entry
 * points of the files that kept their rewrite, notes, and (object level) each file's compiled
 * object, to be checked.
 */
record Rewrite(
    List<FileOutcome> outcomes,
    List<GateSite> sites,
    List<SharedData> shared,
    Set<String> entryPoints,
    List<String> notes,
    Map<Path, ElfObject> objects) {

  Rewrite {
    outcomes = List.copyOf(outcomes);
    sites = List.copyOf(sites);
    shared = List.copyOf(shared);
    entryPoints = Collections.unmodifiableSet(new TreeSet<>(entryPoints));
    notes = List.copyOf(notes);
    objects = Collections.unmodifiableMap(new LinkedHashMap<>(objects));
  }
}
