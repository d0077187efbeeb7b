package io.flexc.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.backends.Sharing;
import io.flexc.backends.SharingProfile;
import io.flexc.model.SharedData;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.objects.ElfObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A build's sharing from a recorded profile ({@code --sharing FILE}): the globals it lists join
 * the transformer's shared globals (to {@code .data_shared}, each from the object that defines
 * it), its heap sites go to the generated runtime (the proc backend); what it cannot share is a
 * note. Also the {@code sharing} entry of report.json and the summary's line.
 */
final class MeasuredSharing {

  private MeasuredSharing() {}

  /** {@code report} with the profile's globals shared and notes for what stays private. */
  static TransformReport apply(TransformReport report, Sharing sharing) throws IOException {
    if (sharing.profile().isEmpty()) {
      return report;
    }
    SharingProfile profile = sharing.profile().get();
    List<SharedData> shared = new ArrayList<>(report.shared());
    List<String> notes = new ArrayList<>(report.notes());
    Set<String> already = new TreeSet<>();
    report.shared().stream().filter(SharedData.Global.class::isInstance)
        .forEach(data -> already.add(((SharedData.Global) data).symbol()));
    for (String global : profile.of(SharingProfile.Kind.GLOBAL)) {
      if (already.contains(global)) {
        continue;
      }
      Set<String> accessors = new TreeSet<>();
      profile.entries().stream().filter(e -> e.kind() == SharingProfile.Kind.GLOBAL && e.what().equals(global))
          .forEach(e -> accessors.addAll(List.of(e.accessor().split("\\+"))));
      TransformReport.FileOutcome definer = definer(report, global);
      if (definer == null) {
        notes.add(profile.file() + ": the global " + global + " is defined by no object of the program; it stays private");
      } else {
        shared.add(new SharedData.Global(global, definer.library(), definer.original(), accessors));
      }
    }
    for (SharingProfile.Entry entry : profile.unplaced()) {
      notes.add(profile.file() + ": " + entry.accessor() + " touched " + entry.owner() + "'s " + entry.kind().label()
          + " " + entry.count() + " times where the runtime could not name " + (entry.kind() == SharingProfile.Kind.HEAP
              ? "the block's allocation site" : "the global (" + entry.what() + ")")
          + "; that memory stays private, and those accesses fault");
    }
    for (String function : profile.of(SharingProfile.Kind.STACK)) {
      notes.add(profile.file() + ": another compartment's stack was touched in " + function + "; a profile cannot share"
          + " a stack: pass the local's address through a gate (the data shadow stack) or allocate it");
    }
    return new TransformReport(report.application(), report.compartmentOf(), report.sites(), report.gates(),
        report.prunedGates(), report.addressSites(), shared, report.entryPoints(), report.files(),
        report.editedObjects(), notes, report.objectCheck(), report.mainLibrary());
  }

  /** The file whose object defines {@code symbol}, or null. */
  private static TransformReport.FileOutcome definer(TransformReport report, String symbol) throws IOException {
    for (TransformReport.FileOutcome file : report.files()) {
      if (file.object().isEmpty()) {
        continue;
      }
      for (ElfObject.Symbol defined : ElfObject.read(file.object().get()).symbols()) {
        if (defined.name().equals(symbol) && defined.type() == ElfObject.Type.DATA && defined.isDefined()) {
          return file;
        }
      }
    }
    return null;
  }

  /** report.json's {@code sharing}: its source, the profile's file and entries. */
  static void put(ObjectNode json, Sharing sharing) {
    ObjectNode node = json.putObject("sharing");
    node.put("source", sharing.source().label());
    sharing.profile().ifPresent(profile -> {
      node.put("file", profile.file().toAbsolutePath().normalize().toString());
      ArrayNode entries = node.putArray("entries");
      for (SharingProfile.Entry entry : profile.entries()) {
        ObjectNode line = entries.addObject();
        line.put("accessor", entry.accessor());
        line.put("owner", entry.owner());
        line.put("kind", entry.kind().label());
        line.put("what", entry.what());
        line.put("count", entry.count());
      }
    });
  }

  /** The summary's line. */
  static String summary(Sharing sharing) {
    return switch (sharing.source()) {
      case STATIC -> "sharing:        static (the transformer's rules)";
      case PROFILING -> "sharing:        profiling: run the program to record a sharing profile (FLEXC_SHARING_PROFILE,"
          + " else sharing-profile.txt in this directory), then build with --sharing FILE";
      case MEASURED -> {
        SharingProfile profile = sharing.profile().orElseThrow();
        yield "sharing:        measured, " + profile.file() + ": " + profile.of(SharingProfile.Kind.HEAP).size()
            + " heap sites, " + profile.of(SharingProfile.Kind.GLOBAL).size() + " globals, "
            + profile.of(SharingProfile.Kind.STACK).size() + " stack functions (not shared)";
      }
    };
  }
}
