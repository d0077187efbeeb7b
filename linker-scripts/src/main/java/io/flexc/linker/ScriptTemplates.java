package io.flexc.linker;

import io.flexc.layout.CompartmentSection;
import io.flexc.layout.Layout;
import io.flexc.layout.SectionKind;
import io.flexc.layout.Templates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The output model of the scripts' template group ({@code ld.stg}, beside this class): the layout
 * of the compartments a script holds, each kind's sections with their objects, and the shared
 * globals, paths quoted for ld. The names of sections and symbols are the layout's.
 */
final class ScriptTemplates {

  /** A compartment's section and the objects it takes its input sections from, quoted. */
  record Placed(CompartmentSection section, List<String> objects) {
    Placed {
      objects = List.copyOf(objects);
    }
  }

  /** A shared global: the object that defines it, quoted, and its name. */
  record SharedInput(String object, String symbol) {}

  /** Code at a fixed address: in hexadecimal, without 0x, and its objects, quoted. */
  record FixedText(String address, List<String> objects) {
    FixedText {
      objects = List.copyOf(objects);
    }
  }

  private ScriptTemplates() {}

  /**
   * Renders {@code template} for {@code compartments} and {@code shared}: the attributes {@code
   * layout}, {@code shared}, {@code text}, {@code rodata}, {@code data} and {@code bss}, and {@code
   * attributes}, name and value pairs.
   */
  static String render(String template, List<CompartmentObjects> compartments, List<SharedSymbol> shared,
      Object... attributes) {
    List<Object> all = new ArrayList<>();
    Collections.addAll(all, attributes);
    Collections.addAll(all, "layout", new Layout(compartments.stream().map(CompartmentObjects::compartment).toList()),
        "shared", shared.stream().map(symbol -> new SharedInput(quoted(symbol.object()), symbol.symbol())).toList(),
        "text", placed(compartments, SectionKind.TEXT), "rodata", placed(compartments, SectionKind.RODATA),
        "data", placed(compartments, SectionKind.DATA), "bss", placed(compartments, SectionKind.BSS));
    return Templates.group(ScriptTemplates.class, "ld.stg").render(template, all.toArray());
  }

  static String hex(long address) {
    return Long.toHexString(address);
  }

  static List<String> quoted(List<Path> objects) {
    return objects.stream().map(ScriptTemplates::quoted).toList();
  }

  private static List<Placed> placed(List<CompartmentObjects> compartments, SectionKind kind) {
    return compartments.stream()
        .map(compartment -> new Placed(new CompartmentSection(compartment.compartment(), kind),
            quoted(compartment.objects())))
        .toList();
  }

  private static String quoted(Path object) {
    return "\"" + object.toString().replace("\"", "\\\"") + "\"";
  }
}
