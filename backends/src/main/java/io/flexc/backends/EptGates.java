package io.flexc.backends;

import io.flexc.layout.Templates;
import io.flexc.model.Gate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code ept} backend: one unikernel image per compartment (a VM each under KVM or Xen), the
 * call protocol of {@link RpcProtocol} — the one proc runs on Linux — between them. Every image
 * holds the protocol, the transport for the hypervisor ({@value #TRANSPORT}, against {@value
 * RpcProtocol#TRANSPORT_HEADER}, with the hypervisor's operations declared in {@value
 * #HYPERVISOR_HEADER}), its own table of exported functions (their addresses in this image),
 * every gate stub (the same objects at {@link #SHARED_TEXT_ADDRESS} in every image, so that a gate
 * passed as a callback means the same stub everywhere), and start code: the image of {@code main} joins the
 * shared area and runs the program, every other image joins and serves calls until asked to stop.
 * The shared area is at {@link #AREA_ADDRESS} in every image, right after the window at {@link
 * #SHARED_DATA_ADDRESS} where each image's linker script puts {@code .data_shared}. Images are not
 * built here: that takes the unikernel's build system and its platform glue for these hooks.
 */
public final class EptGates {

  public static final String TRANSPORT = "flexc_ept_transport.c";
  public static final String HYPERVISOR_HEADER = "flexc_hypervisor.h";
  public static final String START = "flexc_ept_image.c";

  /** Where every image's linker script puts {@code .data_shared}: below 2 GiB, reachable by any code model. */
  public static final long SHARED_DATA_ADDRESS = 0x40000000L;
  /** The call protocol's shared area, right after at most 16 MiB of shared globals. */
  public static final long AREA_ADDRESS = SHARED_DATA_ADDRESS + (16L << 20);

  /** Where every image's linker script puts {@code .text_shared}, the gate stubs, 16 MiB below the shared data. */
  public static final long SHARED_TEXT_ADDRESS = SHARED_DATA_ADDRESS - (16L << 20);

  /**
   * One compartment's image: its number, its libraries' names, every generated file it compiles,
   * and among them the gate stubs, which every image holds at the same addresses.
   */
  public record Image(int compartment, String name, Path directory, List<GeneratedSource> sources,
      List<GeneratedSource> gateStubs) {
    public Image {
      sources = List.copyOf(sources);
      gateStubs = List.copyOf(gateStubs);
    }
  }

  private EptGates() {}

  /** The directory of compartment {@code k}'s image sources inside the gates directory. */
  public static String imageDirectory(int k) {
    return "image_c" + k;
  }

  /**
   * Writes the protocol for {@code channels} logical threads, the transport and the hypervisor
   * header once into {@code directory}, and each image's tables, start code and gates into its own
   * subdirectory; returns the images.
   */
  public static List<Image> write(List<Gate> gates, List<String> compartmentNames, int mainCompartment, int channels,
      Path directory) throws IOException {
    int compartments = compartmentNames.size();
    EntryGates.refuse("ept", gates);
    Map<Integer, List<Gate>> served = RpcProtocol.servedFunctions(gates);
    List<GeneratedSource> common = new ArrayList<>();
    common.addAll(RpcProtocol.writeProtocol(new RpcProtocol.Area("ept", compartments, AREA_ADDRESS, channels),
        directory));
    Templates ept = Templates.group(EptGates.class, "ept/ept.stg");
    Files.writeString(directory.resolve(HYPERVISOR_HEADER), Templates.text(EptGates.class, "ept/" + HYPERVISOR_HEADER),
        StandardCharsets.UTF_8);
    Path transport = directory.resolve(TRANSPORT);
    Files.writeString(transport, ept.render("transport", "main", mainCompartment), StandardCharsets.UTF_8);
    common.add(new GeneratedSource(transport, Optional.empty()));

    // Every gate stub is in every image, at the same address (.text_shared): a gate passed as a
    // callback is a function pointer that must mean the same stub in the image it reaches.
    Set<String> libraries = new LinkedHashSet<>();
    gates.forEach(gate -> libraries.add(gate.calleeLibrary()));
    List<GeneratedSource> stubs = new ArrayList<>();
    for (String library : libraries) {
      List<Gate> into = gates.stream().filter(g -> g.calleeLibrary().equals(library)).toList();
      stubs.add(RpcProtocol.writeGates("ept", library, into, served, directory.resolve("ept_gates_" + library + ".c")));
    }
    common.addAll(stubs);
    List<Image> images = new ArrayList<>();
    for (int k = 0; k < compartments; k++) {
      int image = k;
      Path own = directory.resolve(imageDirectory(k));
      List<GeneratedSource> sources = new ArrayList<>(common);
      sources.add(RpcProtocol.writeTables("ept", compartmentNames, served, c -> c == image, Map.of(), own));
      Path start = own.resolve(START);
      Files.writeString(start, ept.render(k == mainCompartment ? "mainStart" : "serverStart", "k", k,
          "compartments", compartments, "name", compartmentNames.get(k)), StandardCharsets.UTF_8);
      sources.add(new GeneratedSource(start, Optional.empty()));
      images.add(new Image(k, compartmentNames.get(k), own, sources, stubs));
    }
    return images;
  }
}
