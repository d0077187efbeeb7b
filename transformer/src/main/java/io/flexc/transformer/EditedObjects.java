package io.flexc.transformer;

import io.flexc.transformer.TransformReport.FileOutcome;
import io.flexc.transformer.TransformReport.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rewritten objects as the compiler left them, to tell which ones the object-level passes then
 * edited (gate redirects, function addresses routed to entry gates). An edited object keeps both
 * versions beside it, {@code X.o.compiled} and {@code X.o.edited}: a Makefile that compiles the
 * rewritten source again can then restore the edits when the compiler gives the same object, and
 * refuse when the source changed, instead of linking an object whose references escape their gates.
 */
final class EditedObjects {

  static final String COMPILED = ".compiled";
  static final String EDITED = ".edited";

  private final Map<Path, byte[]> compiled;

  private EditedObjects(Map<Path, byte[]> compiled) {
    this.compiled = compiled;
  }

  /** The objects of the files that kept their rewrite, as compiled. */
  static EditedObjects before(Rewrite rewrite) throws IOException {
    Map<Path, byte[]> compiled = new LinkedHashMap<>();
    for (FileOutcome outcome : rewrite.outcomes()) {
      if (outcome.status() != Status.FELL_BACK && outcome.object().isPresent()) {
        compiled.put(outcome.object().get(), Files.readAllBytes(outcome.object().get()));
      }
    }
    return new EditedObjects(compiled);
  }

  /** Writes both versions beside every object edited since {@link #before}; returns those objects. */
  List<Path> keep() throws IOException {
    List<Path> edited = new ArrayList<>();
    for (Map.Entry<Path, byte[]> entry : compiled.entrySet()) {
      Path object = entry.getKey();
      byte[] now = Files.readAllBytes(object);
      if (!Arrays.equals(now, entry.getValue())) {
        Files.write(sibling(object, COMPILED), entry.getValue());
        Files.write(sibling(object, EDITED), now);
        edited.add(object);
      }
    }
    return edited;
  }

  static Path sibling(Path object, String suffix) {
    return object.resolveSibling(object.getFileName() + suffix);
  }
}
