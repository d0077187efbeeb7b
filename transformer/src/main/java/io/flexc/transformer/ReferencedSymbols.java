package io.flexc.transformer;

import io.flexc.transformer.TransformReport.FileOutcome;
import io.flexc.transformer.objects.ElfObject;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/** The symbols the output's objects reference without defining them: the gates the program needs. */
final class ReferencedSymbols {

  private ReferencedSymbols() {}

  static Set<String> of(Rewrite rewrite) throws IOException {
    Set<String> names = new TreeSet<>();
    for (FileOutcome outcome : rewrite.outcomes()) {
      if (outcome.object().isPresent()) {
        for (ElfObject.Relocation relocation : ElfObject.read(outcome.object().get()).relocations()) {
          if (!relocation.symbol().isDefined() && relocation.symbol().type() != ElfObject.Type.SECTION) {
            names.add(relocation.symbol().name());
          }
        }
      }
    }
    return names;
  }
}
