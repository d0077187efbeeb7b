package io.flexc.transformer;

import io.flexc.model.AddressSite;
import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.model.SharedData;
import io.flexc.transformer.TransformReport.FileOutcome;
import io.flexc.transformer.objects.ElfObject;
import io.flexc.transformer.objects.RelocationEditor;
import io.flexc.transformer.source.CFile;
import io.flexc.transformer.source.Reference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The object-level pass after {@link CheckObjects}: every place the compiled code takes a
 * function's address (a relocation that is not a call: a pointer in a static table, a {@code lea}
 * in code, whatever the source wrote — a call or macro argument, a struct field, a return value),
 * when the function's compartment is <em>exposed</em>, is pointed at the function's entry gate,
 * {@code flexc_entry_F}, which any compartment may call; calls stay as they are (direct within
 * the compartment, through their gate across). A compartment is exposed when the configuration has
 * two or more and it takes part in a gate (either end) or shares a global, the only ways a pointer
 * can leave it. The retargeting is by relocation ({@link RelocationEditor}), so an object may call
 * a function directly and take its address through the entry gate; a static function gets a
 * global alias ({@link Gate#staticAlias}) in its object for the gate to call.
 */
final class RouteAddresses {

  /**
   * Sections whose pointers are not the program's: unwind tables, the constructor and destructor
   * arrays, which the C start-up runs in every process before any gate works, and patchable entries.
   */
  private static final Set<String> NOT_POINTERS = Set.of(".eh_frame", ".init_array", ".fini_array",
      ".preinit_array", ".ctors", ".dtors", "__patchable_function_entries");

  private static final String ALIAS_PREFIX = "flexc_static_";

  private final Map<String, Integer> compartmentOf;
  private final Ownership ownership;
  private final boolean entryGates;

  RouteAddresses(Map<String, Integer> compartmentOf, Ownership ownership, boolean entryGates) {
    this.entryGates = entryGates;
    this.compartmentOf = Map.copyOf(compartmentOf);
    this.ownership = ownership;
  }

  /** A function whose address an object takes: its link name, its name in the source, its library. */
  private record Target(String symbol, String sourceName, String library, Optional<GateSite> site,
      Optional<RelocationEditor.NewSymbol> alias, long offset) {}

  RoutedAddresses route(ScannedSources scanned, Originals originals, Rewrite rewrite, List<GateSite> sites,
      List<SharedData> shared) throws IOException {
    Map<String, GateSite> gateSites = new HashMap<>();
    sites.forEach(site -> gateSites.putIfAbsent(site.gate(), site));
    Set<Integer> exposed = exposed(rewrite, gateSites, shared);
    List<AddressSite> addressSites = new ArrayList<>();
    Map<String, Gate> entries = new TreeMap<>();
    for (FileOutcome outcome : rewrite.outcomes()) {
      if (outcome.object().isEmpty()) {
        continue;
      }
      Path file = outcome.original();
      ElfObject object = ElfObject.read(outcome.object().get());
      Map<List<String>, List<ElfObject.Relocation>> groups = new LinkedHashMap<>();
      Map<List<String>, Target> targets = new HashMap<>();
      for (ElfObject.Relocation relocation : object.relocations()) {
        ElfObject.Section section = object.sections().get(relocation.section());
        if (relocation.isCall() || !section.allocated() || NOT_POINTERS.contains(section.name())) {
          continue;
        }
        Optional<Target> target =
            target(object, relocation, section.executable(), outcome.library(), file, gateSites);
        if (target.isEmpty()) {
          continue;
        }
        String referrer = object.ownerOf(relocation.section()).map(ElfObject.Symbol::name).orElse(section.name());
        List<String> key = List.of(referrer, target.get().symbol(), Boolean.toString(section.executable()));
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(relocation);
        targets.putIfAbsent(key, target.get());
      }
      List<RelocationEditor.NewSymbol> symbols = new ArrayList<>();
      List<RelocationEditor.Retarget> retargets = new ArrayList<>();
      AddressUses uses = new AddressUses(cFile(scanned, outcome.library(), file), originals.macrosOf(file));
      for (Map.Entry<List<String>, List<ElfObject.Relocation>> group : groups.entrySet()) {
        Target target = targets.get(group.getKey());
        boolean inCode = Boolean.parseBoolean(group.getKey().get(2));
        int compartment = compartmentOf.get(target.library());
        Optional<String> entry = Optional.empty();
        String note;
        if (exposed.contains(compartment) && entryGates) {
          String gate = Gate.entryName(target.symbol());
          entry = Optional.of(gate);
          note = "";
          entries.putIfAbsent(gate, new Gate(gate, Gate.ANY_COMPARTMENT, compartment, target.library(),
              target.symbol(), Optional.ofNullable(ownership.prototypes().get(target.symbol()))));
          target.alias().ifPresent(symbols::add);
          symbols.add(RelocationEditor.NewSymbol.undefined(gate));
          for (ElfObject.Relocation relocation : group.getValue()) {
            retargets.add(new RelocationEditor.Retarget(relocation, gate, relocation.addend() - target.offset()));
          }
        } else if (exposed.contains(compartment)) {
          note = "the backend has no entry gates (ept: its compartments are separate images): the address is"
              + " the function's own";
        } else {
          note = compartmentOf.values().stream().distinct().count() < 2 ? "one compartment"
              : "compartment " + compartment + " takes part in no gate and shares no data: the address stays in it";
        }
        addressSites.add(site(uses, file, outcome.library(), group.getKey().get(0), target, inCode,
            group.getValue().size(), entry, note));
      }
      RelocationEditor.apply(outcome.object().get(), symbols, retargets);
    }
    return new RoutedAddresses(List.copyOf(entries.values()), addressSites);
  }

  private AddressSite site(AddressUses uses, Path file, String library, String referrer, Target target,
      boolean inCode, int count, Optional<String> entry, String note) {
    Optional<Reference> use = target.site().isPresent() && target.site().get().line() > 0
        ? uses.useAt(target.site().get().line(), target.site().get().column())
        : uses.firstUse(target.sourceName(), inCode ? Optional.of(referrer) : Optional.empty());
    AddressSite.Kind kind = !inCode ? AddressSite.Kind.DATA
        : use.map(uses::kindInCode).orElse(AddressSite.Kind.CODE);
    return new AddressSite(file, use.map(uses::line).orElse(0), library, referrer, target.sourceName(),
        target.library(), kind, count, entry, note);
  }

  /** The function {@code relocation} takes the address of, if it names one of the application's. */
  private Optional<Target> target(ElfObject object, ElfObject.Relocation relocation, boolean inCode,
      String library, Path file, Map<String, GateSite> gateSites) {
    ElfObject.Symbol symbol = relocation.symbol();
    if (symbol.type() == ElfObject.Type.SECTION) {
      // lea and mov address the symbol from the end of their instruction, 4 bytes after the field.
      long offset = relocation.addend() + (inCode && relocation.isPcRelative() ? 4 : 0);
      // The function's own name rather than a global alias of it at the same place.
      return object.symbols().stream()
          .filter(f -> f.type() == ElfObject.Type.FUNCTION && f.section() == symbol.section()
              && f.value() == offset && !f.name().contains("."))
          .min((x, y) -> Boolean.compare(x.name().startsWith(ALIAS_PREFIX), y.name().startsWith(ALIAS_PREFIX)))
          .map(f -> defined(f, library, file, f.value()));
    }
    if (symbol.type() == ElfObject.Type.FUNCTION && symbol.isDefined()) {
      return Optional.of(defined(symbol, library, file, 0));
    }
    if (symbol.isDefined()) {
      return Optional.empty();
    }
    GateSite site = gateSites.get(symbol.name());
    if (site != null && site.calleeLibrary() != null && compartmentOf.containsKey(site.calleeLibrary())) {
      return Optional.of(new Target(site.function(), sourceName(site), site.calleeLibrary(), Optional.of(site),
          Optional.empty(), 0));
    }
    String owner = ownership.functionOwners().get(symbol.name());
    return owner == null ? Optional.empty()
        : Optional.of(new Target(symbol.name(), symbol.name(), owner, Optional.empty(), Optional.empty(), 0));
  }

  /** A function this object defines; a static one is named by its global alias, added to the object. */
  private static Target defined(ElfObject.Symbol function, String library, Path file, long offset) {
    if (function.global()) {
      return new Target(function.name(), function.name(), library, Optional.empty(), Optional.empty(), offset);
    }
    String alias = Gate.staticAlias(library, file, function.name());
    return new Target(alias, function.name(), library, Optional.empty(),
        Optional.of(new RelocationEditor.NewSymbol(alias, function.section(), function.value())), offset);
  }

  /** The name the source wrote where the rewrite put {@code site}'s gate. */
  private static String sourceName(GateSite site) {
    String function = site.function();
    String prefix = Gate.staticAlias(site.callerLibrary(), site.file(), "");
    return function.startsWith(prefix) ? function.substring(prefix.length()) : function;
  }

  /**
   * The compartments a pointer can leave: with two or more compartments, those at either end of a
   * gate some object references, and those that own or use a shared global.
   */
  private Set<Integer> exposed(Rewrite rewrite, Map<String, GateSite> gateSites, List<SharedData> shared)
      throws IOException {
    Set<Integer> exposed = new LinkedHashSet<>();
    if (compartmentOf.values().stream().distinct().count() < 2) {
      return exposed;
    }
    for (String name : ReferencedSymbols.of(rewrite)) {
      GateSite site = gateSites.get(name);
      if (site != null && site.calleeLibrary() != null && compartmentOf.containsKey(site.calleeLibrary())) {
        exposed.add(site.gateCompartment());
        exposed.add(compartmentOf.get(site.calleeLibrary()));
      }
    }
    for (SharedData data : shared) {
      if (data instanceof SharedData.Global global) {
        exposed.add(compartmentOf.get(global.ownerLibrary()));
        global.referencedBy().forEach(user -> exposed.add(compartmentOf.get(user)));
      }
    }
    return exposed;
  }

  private static CFile cFile(ScannedSources scanned, String library, Path file) {
    return scanned.filesOf().get(library).stream().filter(f -> f.path().equals(file)).findFirst()
        .orElseThrow(() -> new IllegalStateException(file + " was not scanned"));
  }
}
