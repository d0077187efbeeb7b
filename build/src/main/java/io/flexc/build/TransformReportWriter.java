package io.flexc.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.model.AddressSite;
import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.model.Prototype;
import io.flexc.model.SharedData;
import io.flexc.transformer.TransformReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The transform report as JSON (every site, for tools) and as a summary (for people). */
public final class TransformReportWriter {

  private static final String COMPILER = "compiler";
  private static final String SOURCE_TEXT = "source text";
  private static final String UNKNOWN = "unknown";

  private TransformReportWriter() {}

  /**
   * The report as JSON; the rewritten files and objects are named relative to {@code output}, the
   * directory they were written to, or left out when the transform's output was not kept.
   */
  public static ObjectNode json(TransformReport report, Optional<Path> output) {
    ObjectNode node = Json.object();
    node.put("application", report.application());
    ObjectNode assignment = node.putObject("assignment");
    new TreeMap<>(report.compartmentOf()).forEach(assignment::put);
    ArrayNode sites = node.putArray("gateSites");
    for (GateSite site : report.sites()) {
      ObjectNode entry = sites.addObject();
      entry.put("file", site.file().toAbsolutePath().normalize().toString());
      entry.put("line", site.line());
      entry.put("column", site.column());
      entry.put("callerLibrary", site.callerLibrary());
      entry.put("callerFunction", site.callerFunction());
      entry.put("callerCompartment", report.compartmentOf().get(site.callerLibrary()));
      entry.put("gateCompartment", site.gateCompartment());
      entry.put("calleeLibrary", site.calleeLibrary());
      entry.put("calleeCompartment", report.compartmentOf().get(site.calleeLibrary()));
      entry.put("function", site.function());
      entry.put("gate", site.gate());
      entry.put("kind", site.kind().name().toLowerCase(Locale.ROOT));
      entry.put("level", site.level().name().toLowerCase(Locale.ROOT));
      entry.put("count", site.count());
    }
    ArrayNode gates = node.putArray("gates");
    for (Gate gate : report.gates()) {
      ObjectNode entry = gates.addObject();
      entry.put("name", gate.name());
      if (gate.isEntry()) {
        entry.put("from", "any");
      } else {
        entry.put("from", gate.callerCompartment());
      }
      entry.put("to", gate.calleeCompartment());
      entry.put("library", gate.calleeLibrary());
      entry.put("function", gate.function());
      gate.prototype().ifPresentOrElse(
          p -> {
            entry.put("prototype", p.declaration(gate.function()));
            entry.put("variadic", p.variadic());
          },
          () -> entry.putNull("prototype"));
      entry.put("prototypeFrom", prototypeFrom(gate));
      gate.prototype().flatMap(Prototype::shape).ifPresent(shape -> {
        ObjectNode call = entry.putObject("callShape");
        call.put("parameters", shape.parameters());
        call.put("variadic", shape.variadic());
        call.put("fixedStackBytes", shape.fixedStackBytes());
        call.put("resultInMemoryBytes", shape.resultInMemoryBytes());
        call.put("resultOnX87", shape.resultOnX87());
      });
    }
    ArrayNode pruned = node.putArray("prunedGates");
    for (TransformReport.PrunedGate gate : report.prunedGates()) {
      ObjectNode entry = pruned.addObject();
      entry.put("name", gate.gate().name());
      entry.put("function", gate.gate().function());
      entry.put("reason", gate.reason());
      ArrayNode places = entry.putArray("sites");
      gate.sites().forEach(site -> places.add(site.file().toAbsolutePath().normalize() + ":" + site.line()
          + ":" + site.column()));
    }
    ArrayNode addresses = node.putArray("addressSites");
    for (AddressSite site : report.addressSites()) {
      ObjectNode entry = addresses.addObject();
      entry.put("file", site.file().toAbsolutePath().normalize().toString());
      entry.put("line", site.line());
      entry.put("library", site.library());
      entry.put("referrer", site.referrer());
      entry.put("function", site.function());
      entry.put("functionLibrary", site.functionLibrary());
      entry.put("kind", site.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '));
      entry.put("count", site.count());
      entry.put("routed", site.entry().isPresent());
      site.entry().ifPresentOrElse(gate -> entry.put("entryGate", gate), () -> entry.put("note", site.note()));
    }
    ArrayNode shared = node.putArray("shared");
    for (SharedData data : report.shared()) {
      ObjectNode entry = shared.addObject();
      switch (data) {
        case SharedData.Global global -> {
          entry.put("kind", "global");
          entry.put("symbol", global.symbol());
          entry.put("owner", global.ownerLibrary());
          entry.put("file", String.valueOf(global.file()));
          ArrayNode users = entry.putArray("referencedBy");
          global.referencedBy().stream().sorted().forEach(users::add);
        }
        case SharedData.Local local -> {
          entry.put("kind", "local");
          entry.put("file", local.file().toString());
          entry.put("line", local.line());
          entry.put("function", local.function());
          entry.put("variable", local.variable());
          entry.put("placement", local.placement().name().toLowerCase(Locale.ROOT));
        }
        case SharedData.Allocation allocation -> {
          entry.put("kind", "allocation");
          entry.put("file", allocation.file().toString());
          entry.put("line", allocation.line());
          entry.put("function", allocation.function());
          entry.put("allocator", allocation.allocator());
        }
      }
    }
    ArrayNode entryPoints = node.putArray("entryPoints");
    report.entryPoints().forEach(entryPoints::add);
    ArrayNode files = node.putArray("files");
    for (TransformReport.FileOutcome file : report.files()) {
      ObjectNode entry = files.addObject();
      entry.put("library", file.library());
      entry.put("original", file.original().toString());
      output.ifPresent(directory -> {
        entry.put("rewritten", directory.relativize(file.rewritten()).toString());
        file.object().ifPresent(o -> entry.put("object", directory.relativize(o).toString()));
      });
      entry.put("status", file.status().name().toLowerCase(Locale.ROOT));
      if (!file.detail().isEmpty()) {
        entry.put("detail", file.detail());
      }
    }
    report.objectCheck().ifPresent(check -> {
      ObjectNode entry = node.putObject("objectCheck");
      entry.put("crossReferences", check.crossReferences());
      entry.put("handledAtSource", check.handledAtSource());
      entry.put("redirected", check.redirected());
      entry.put("remaining", check.remaining());
      entry.put("objectFunctions", check.objectFunctions());
      entry.put("foundFunctions", check.foundFunctions());
      ArrayNode missed = entry.putArray("missedFunctions");
      check.missedFunctions().forEach(missed::add);
    });
    ArrayNode notes = node.putArray("notes");
    report.notes().forEach(notes::add);
    return node;
  }

  public static void summary(TransformReport report, PrintWriter out) {
    long sourceSites = report.sites().stream().filter(s -> s.level() == GateSite.Level.SOURCE).count();
    int objectSites = report.sites().stream().filter(s -> s.level() == GateSite.Level.OBJECT)
        .mapToInt(GateSite::count).sum();
    Map<TransformReport.Status, Long> statuses = new TreeMap<>();
    report.files().forEach(f -> statuses.merge(f.status(), 1L, Long::sum));
    out.printf("%s: %d files (%d rewritten, %d unchanged, %d fell back to object level)%n",
        report.application(), report.files().size(),
        statuses.getOrDefault(TransformReport.Status.REWRITTEN, 0L),
        statuses.getOrDefault(TransformReport.Status.UNCHANGED, 0L),
        statuses.getOrDefault(TransformReport.Status.FELL_BACK, 0L));
    Map<GateSite.Kind, Long> kinds = new TreeMap<>();
    report.sites().stream().filter(s -> s.level() == GateSite.Level.SOURCE)
        .forEach(s -> kinds.merge(s.kind(), 1L, Long::sum));
    out.printf("gate sites rewritten in the source: %d (%s)%n", sourceSites, describe(kinds));
    out.printf("references redirected in objects: %d%n", objectSites);
    out.printf("gates: %d; entry points: %d%n", report.gates().size(), report.entryPoints().size());
    Map<String, List<String>> from = new TreeMap<>();
    report.gates().forEach(g -> from.computeIfAbsent(prototypeFrom(g), k -> new ArrayList<>()).add(g.name()));
    if (!report.gates().isEmpty()) {
      out.printf("gate prototypes: %d from the compiler%n", from.getOrDefault(COMPILER, List.of()).size());
      if (from.containsKey(SOURCE_TEXT)) {
        out.printf("  without the compiler's, guessed from the source text (%d): %s%n",
            from.get(SOURCE_TEXT).size(), String.join(", ", from.get(SOURCE_TEXT)));
      }
      if (from.containsKey(UNKNOWN)) {
        out.printf("  without any prototype (%d): %s%n", from.get(UNKNOWN).size(), String.join(", ", from.get(UNKNOWN)));
      }
    }
    prunedAndRouted(report, out);
    Map<String, Long> shared = new TreeMap<>();
    report.shared().forEach(d -> shared.merge(d.getClass().getSimpleName().toLowerCase(Locale.ROOT), 1L, Long::sum));
    out.printf("shared data: %s%n", shared.isEmpty() ? "none" : shared.toString().replaceAll("[{}]", ""));
    report.objectCheck().ifPresent(check -> {
      out.printf("compiler check: %d cross-compartment references to functions in the original objects;"
              + " %d through gates rewritten in the source (%s), %d redirected with objcopy, %d left%n",
          check.crossReferences(), check.handledAtSource(),
          percent(check.handledAtSource(), check.crossReferences()), check.redirected(), check.remaining());
      out.printf("function definitions found in the sources: %d of %d in the objects (%s)%n",
          check.foundFunctions(), check.objectFunctions(), percent(check.foundFunctions(), check.objectFunctions()));
    });
    if (!report.notes().isEmpty()) {
      out.printf("notes (%d):%n", report.notes().size());
      report.notes().stream().limit(20).forEach(n -> out.println("  " + n));
      if (report.notes().size() > 20) {
        out.printf("  ... and %d more in the JSON report%n", report.notes().size() - 20);
      }
    }
  }

  /**
   * Where a gate's prototype came from: the compiler (its DWARF, with the call's shape), the
   * source text as the scanner read it (a guess: export macros and K&R definitions mislead it), or
   * nowhere.
   */
  static String prototypeFrom(Gate gate) {
    return gate.prototype().map(p -> p.shape().isPresent() ? COMPILER : SOURCE_TEXT).orElse(UNKNOWN);
  }

  /**
   * The gates left out because no compiled object references them, and the address-taken
   * functions routed to entry gates: for report.txt and summary.txt.
   */
  public static void prunedAndRouted(TransformReport report, PrintWriter out) {
    long entries = report.gates().stream().filter(Gate::isEntry).count();
    long routed = report.addressSites().stream().filter(s -> s.entry().isPresent()).count();
    out.printf("function addresses taken: %d sites, %d routed to %d entry gates%n",
        report.addressSites().size(), routed, entries);
    Map<String, Long> unrouted = new TreeMap<>();
    report.addressSites().stream().filter(s -> s.entry().isEmpty()).forEach(s -> unrouted.merge(s.note(), 1L, Long::sum));
    unrouted.forEach((why, count) -> out.printf("  %d not routed: %s%n", count, why));
    if (!report.prunedGates().isEmpty()) {
      out.printf("gates pruned (no compiled object references them): %d%n", report.prunedGates().size());
      report.prunedGates().forEach(gate -> out.println("  " + gate.gate().name() + ": " + gate.reason()));
    }
  }

  private static String describe(Map<GateSite.Kind, Long> kinds) {
    if (kinds.isEmpty()) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    kinds.forEach((kind, count) -> text.append(text.isEmpty() ? "" : ", ")
        .append(count).append(' ').append(kind.name().toLowerCase(Locale.ROOT)));
    return text.toString();
  }

  public static String percent(long part, long whole) {
    return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
  }
}
