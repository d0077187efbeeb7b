package io.flexc.backends;

import io.flexc.transformer.Gate;
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
 * #HYPERVISOR_HEADER}), its own table of exported functions and the dispatchers of the functions
 * it exports, every gate stub (the same objects at {@link #SHARED_TEXT_ADDRESS} in every image, so
 * that a gate passed as a callback means the same stub everywhere), and start code: the image of {@code main} joins the
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
  static final long AREA_SIZE = 64L << 20;

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
   * Writes the protocol, the transport and the hypervisor header once into {@code directory}, and
   * each image's tables, start code and gates into its own subdirectory; returns the images.
   */
  public static List<Image> write(List<Gate> gates, List<String> compartmentNames, int mainCompartment,
      Path directory) throws IOException {
    int compartments = compartmentNames.size();
    Map<Integer, List<Gate>> served = RpcProtocol.servedFunctions(gates);
    List<GeneratedSource> common = new ArrayList<>();
    common.add(RpcProtocol.writeProtocol(new RpcProtocol.Area("ept", compartments, AREA_ADDRESS, AREA_SIZE),
        directory));
    Files.writeString(directory.resolve(HYPERVISOR_HEADER), HYPERVISOR, StandardCharsets.UTF_8);
    Path transport = directory.resolve(TRANSPORT);
    Files.writeString(transport, TRANSPORT_TEXT.formatted(mainCompartment), StandardCharsets.UTF_8);
    common.add(new GeneratedSource(transport, Optional.empty()));

    // Every gate stub is in every image, at the same address (.text_shared): a gate passed as a
    // callback is a function pointer that must mean the same stub in the image it reaches.
    Set<String> libraries = new LinkedHashSet<>();
    gates.forEach(gate -> libraries.add(gate.calleeLibrary()));
    List<GeneratedSource> stubs = new ArrayList<>();
    for (String library : libraries) {
      List<Gate> into = gates.stream().filter(g -> g.calleeLibrary().equals(library)).toList();
      stubs.add(RpcProtocol.writeGates("ept", library, into, List.of(), served,
          directory.resolve("ept_gates_" + library + ".c")));
    }
    common.addAll(stubs);
    List<Image> images = new ArrayList<>();
    for (int k = 0; k < compartments; k++) {
      int image = k;
      Path own = directory.resolve(imageDirectory(k));
      List<GeneratedSource> sources = new ArrayList<>(common);
      sources.add(RpcProtocol.writeTables("ept", compartmentNames, served, c -> c == image, own));
      Path start = own.resolve(START);
      Files.writeString(start, start(k, compartmentNames.get(k), compartments, k == mainCompartment),
          StandardCharsets.UTF_8);
      sources.add(new GeneratedSource(start, Optional.empty()));
      for (String library : libraries) {
        List<Gate> dispatched = gates.stream()
            .filter(g -> g.calleeLibrary().equals(library) && g.calleeCompartment() == image).toList();
        if (!dispatched.isEmpty()) {
          sources.add(RpcProtocol.writeGates("ept", library, List.of(), dispatched, served,
              own.resolve("ept_serve_" + library + ".c")));
        }
      }
      images.add(new Image(k, compartmentNames.get(k), own, sources, stubs));
    }
    return images;
  }

  private static String start(int k, String name, int compartments, boolean main) {
    String head = "/*\n * Generated by flexc (ept backend): the start of image " + k + " of " + compartments
        + ", compartment " + k + " (" + name + ").\n";
    if (main) {
      return head + """
           * The application's main is here: before it, the image joins the shared area and starts its
           * dispatcher on a thread of its own; at its exit, every other image is asked to stop serving.
           */
          #include <stdlib.h>

          #include "flexc_rpc.h"

          static void flexc_ept_stop_images(void)
          {
          	for (int k = 0; k < FLEXC_RPC_COMPARTMENTS; k++)
          		if (k != %1$d)
          			flexc_rpc_ask_to_stop(k);
          }

          __attribute__((constructor(101))) static void flexc_ept_start(void)
          {
          	flexc_rpc_self = %1$d;
          	flexc_rpc_map_area();
          	atexit(flexc_ept_stop_images);
          	flexc_rpc_dispatch_in_background();
          }
          """.formatted(k);
    }
    return head + """
         * The application's main is in another image: this one joins the shared area and runs its
         * dispatcher, which starts a thread for each channel that calls it, until the main image stops.
         */
        #include "flexc_rpc.h"

        int main(void)
        {
        	flexc_rpc_self = %1$d;
        	flexc_rpc_map_area();
        	flexc_rpc_serve_until_stopped();
        	return 0;
        }
        """.formatted(k);
  }

  private static final String HYPERVISOR = """
      /*
       * Generated by flexc (ept backend): what the transport (flexc_ept_transport.c) needs from the
       * hypervisor, provided by the unikernel's platform layer. Build with -DFLEXC_EPT_KVM (QEMU/KVM,
       * an ivshmem-doorbell device) or -DFLEXC_EPT_XEN (grant tables and event channels).
       */
      #ifndef FLEXC_HYPERVISOR_H
      #define FLEXC_HYPERVISOR_H

      #include <stddef.h>
      #include <stdint.h>

      #if defined(FLEXC_EPT_KVM) == defined(FLEXC_EPT_XEN)
      #error "define exactly one of FLEXC_EPT_KVM and FLEXC_EPT_XEN"
      #endif

      #define FLEXC_PAGE_SIZE 4096UL

      /*
       * The unikernel's threads (Unikraft: uk_thread_create on the default scheduler, uk_sched_yield):
       * a channel's calls are served on a thread of their own. Returns 0, or an error number.
       */
      int flexc_ept_thread_create(void (*entry)(void *argument), void *argument);
      /* Lets the other runnable threads of this image run; returns when this one is scheduled again. */
      void flexc_ept_thread_yield(void);
      /*
       * Runs function when the calling thread ends (Unikraft: a thread destructor), while its thread-local
       * variables are still there.
       */
      void flexc_ept_thread_at_exit(void (*function)(void));

      #ifdef FLEXC_EPT_KVM
      /* The ivshmem device: BAR0 holds its registers, BAR2 the memory every VM attached to it sees. */
      #define FLEXC_IVSHMEM_VENDOR 0x1af4
      #define FLEXC_IVSHMEM_DEVICE 0x1110
      #define FLEXC_IVSHMEM_REGISTERS_BAR 0
      #define FLEXC_IVSHMEM_MEMORY_BAR 2
      #define FLEXC_IVSHMEM_IV_POSITION 2 /* 32-bit registers: this VM's peer id */
      #define FLEXC_IVSHMEM_DOORBELL 3    /* write (peer id << 16 | vector) to interrupt a peer */

      /* Guest-physical address and size of a BAR of the first PCI device with these ids; 0 if none. */
      uintptr_t flexc_kvm_pci_bar(uint16_t vendor, uint16_t device, int bar, size_t *size);
      /* Maps guest-physical [physical, physical + size) at virtual, uncached for registers. */
      int flexc_kvm_map_physical(uintptr_t virtual_address, uintptr_t physical, size_t size, int uncached);
      void flexc_kvm_irq_disable(void);
      void flexc_kvm_irq_enable(void);
      /* sti; hlt: the interrupt that ends the halt cannot slip in between. */
      void flexc_kvm_safe_halt(void);
      #endif

      #ifdef FLEXC_EPT_XEN
      typedef uint16_t flexc_domid_t;
      typedef uint32_t flexc_grant_ref_t;
      typedef uint32_t flexc_evtchn_port_t;

      /* From Xen's public headers (grant_table.h, event_channel.h, sched.h). */
      #define FLEXC_GNTTABOP_map_grant_ref 0
      #define FLEXC_GNTMAP_host_map (1U << 1)
      #define FLEXC_EVTCHNOP_send 4
      #define FLEXC_SCHEDOP_block 1

      struct flexc_gnttab_map_grant_ref {
      	uint64_t host_addr;
      	uint32_t flags;
      	flexc_grant_ref_t ref;
      	flexc_domid_t dom;
      	int16_t status;
      	uint32_t handle;
      	uint64_t dev_bus_addr;
      };

      struct flexc_evtchn_send {
      	flexc_evtchn_port_t port;
      };

      /* The hypercalls (Unikraft: HYPERVISOR_grant_table_op, HYPERVISOR_event_channel_op, HYPERVISOR_sched_op). */
      int flexc_xen_grant_table_op(unsigned int command, void *arguments, unsigned int count);
      int flexc_xen_event_channel_op(int command, void *arguments);
      int flexc_xen_sched_op(int command, void *arguments);
      void flexc_xen_mask_events(void);
      void flexc_xen_unmask_events(void);

      /*
       * Filled by the platform glue from xenstore before the area is mapped: the domain that owns
       * the area and the grant reference of its first page (one per page, consecutive), and the
       * event channel bound to each compartment's domain.
       */
      extern flexc_domid_t flexc_xen_area_owner;
      extern flexc_grant_ref_t flexc_xen_area_first_grant;
      extern flexc_evtchn_port_t flexc_xen_port[];
      /* In the owner's image: grants every page of its area at address to the other domains. */
      int flexc_xen_grant_area(uintptr_t address, size_t size);
      #endif

      #endif
      """;

  private static final String TRANSPORT_TEXT = """
      /*
       * Generated by flexc (ept backend): the transport of the call protocol (flexc_rpc.c) between
       * unikernel images, one VM per compartment, against flexc_transport.h. The hypervisor's
       * operations are declared in flexc_hypervisor.h; build with -DFLEXC_EPT_KVM or -DFLEXC_EPT_XEN.
       * Waiting spins a little (a reply often comes within microseconds), yielding to the image's
       * other threads, then halts the virtual CPU until a notification arrives. Every thread of the
       * image waits this way, so after any notification each of them looks at its word again before
       * the CPU halts once more. A VM that dies is not noticed: the hypervisor's toolstack sees it.
       */
      #include <errno.h>

      #include "flexc_hypervisor.h"
      #include "flexc_rpc.h"
      #include "flexc_transport.h"

      #define FLEXC_EPT_MAIN_COMPARTMENT %1$d
      #define FLEXC_EPT_SPINS 1000

      static void flexc_cpu_relax(void)
      {
      	__asm__ volatile("pause" ::: "memory");
      }

      static int flexc_changed(volatile uint32_t *word, uint32_t seen)
      {
      	return __atomic_load_n(word, __ATOMIC_SEQ_CST) != seen;
      }

      /*
       * Whether word changed while spinning a while, letting the image's other threads run: a
       * reply often comes back faster than halting and being woken.
       */
      static int flexc_spin_until_changed(volatile uint32_t *word, uint32_t seen)
      {
      	for (int spin = 0; spin < FLEXC_EPT_SPINS; spin++) {
      		if (flexc_changed(word, seen))
      			return 1;
      		flexc_cpu_relax();
      		flexc_ept_thread_yield();
      	}
      	return 0;
      }

      #ifdef FLEXC_EPT_KVM
      /* Each compartment's ivshmem peer id + 1 (0: not attached yet), kept in the page after the area. */
      static volatile uint32_t *flexc_peer;
      static volatile uint32_t *flexc_ivshmem_registers;

      void *flexc_transport_map_shared(uintptr_t address, size_t size)
      {
      	size_t memory_size = 0;
      	size_t registers_size = 0;
      	uintptr_t memory = flexc_kvm_pci_bar(FLEXC_IVSHMEM_VENDOR, FLEXC_IVSHMEM_DEVICE, FLEXC_IVSHMEM_MEMORY_BAR,
      					     &memory_size);
      	uintptr_t registers = flexc_kvm_pci_bar(FLEXC_IVSHMEM_VENDOR, FLEXC_IVSHMEM_DEVICE,
      						FLEXC_IVSHMEM_REGISTERS_BAR, &registers_size);

      	if (memory == 0 || registers == 0 || memory_size < size + FLEXC_PAGE_SIZE) {
      		errno = ENODEV;
      		return NULL;
      	}
      	/* The registers go right after the peer page, both outside the protocol's area. */
      	if (flexc_kvm_map_physical(address, memory, size + FLEXC_PAGE_SIZE, 0) != 0 ||
      	    flexc_kvm_map_physical(address + size + FLEXC_PAGE_SIZE, registers, FLEXC_PAGE_SIZE, 1) != 0) {
      		errno = ENOMEM;
      		return NULL;
      	}
      	flexc_peer = (volatile uint32_t *)(address + size);
      	flexc_ivshmem_registers = (volatile uint32_t *)(address + size + FLEXC_PAGE_SIZE);
      	__atomic_store_n(&flexc_peer[flexc_rpc_self], flexc_ivshmem_registers[FLEXC_IVSHMEM_IV_POSITION] + 1,
      			 __ATOMIC_SEQ_CST);
      	return (void *)address;
      }

      void flexc_transport_notify(int compartment, volatile uint32_t *word)
      {
      	uint32_t peer = __atomic_load_n(&flexc_peer[compartment], __ATOMIC_SEQ_CST);

      	(void)word;
      	/* A compartment not attached yet polls the area when it attaches: no interrupt needed. */
      	if (peer != 0)
      		flexc_ivshmem_registers[FLEXC_IVSHMEM_DOORBELL] = (peer - 1) << 16;
      }

      void flexc_transport_wait(volatile uint32_t *word, uint32_t seen)
      {
      	if (flexc_spin_until_changed(word, seen))
      		return;
      	flexc_kvm_irq_disable();
      	if (flexc_changed(word, seen))
      		flexc_kvm_irq_enable();
      	else
      		flexc_kvm_safe_halt();
      }
      #endif

      #ifdef FLEXC_EPT_XEN
      void *flexc_transport_map_shared(uintptr_t address, size_t size)
      {
      	if (flexc_rpc_self == FLEXC_EPT_MAIN_COMPARTMENT)
      		return flexc_xen_grant_area(address, size) == 0 ? (void *)address : NULL;
      	for (size_t page = 0; page < size / FLEXC_PAGE_SIZE; page++) {
      		struct flexc_gnttab_map_grant_ref map = {
      			.host_addr = address + page * FLEXC_PAGE_SIZE,
      			.flags = FLEXC_GNTMAP_host_map,
      			.ref = flexc_xen_area_first_grant + (flexc_grant_ref_t)page,
      			.dom = flexc_xen_area_owner,
      		};

      		if (flexc_xen_grant_table_op(FLEXC_GNTTABOP_map_grant_ref, &map, 1) != 0 || map.status != 0) {
      			errno = EACCES;
      			return NULL;
      		}
      	}
      	return (void *)address;
      }

      void flexc_transport_notify(int compartment, volatile uint32_t *word)
      {
      	struct flexc_evtchn_send send = { .port = flexc_xen_port[compartment] };

      	(void)word;
      	flexc_xen_event_channel_op(FLEXC_EVTCHNOP_send, &send);
      }

      void flexc_transport_wait(volatile uint32_t *word, uint32_t seen)
      {
      	if (flexc_spin_until_changed(word, seen))
      		return;
      	/* Blocking unmasks events atomically, so a notification sent after the check still wakes us. */
      	flexc_xen_mask_events();
      	if (!flexc_changed(word, seen))
      		flexc_xen_sched_op(FLEXC_SCHEDOP_block, NULL);
      	flexc_xen_unmask_events();
      }
      #endif

      int flexc_transport_alive(int compartment)
      {
      	(void)compartment;
      	return 1;
      }

      int flexc_transport_spawn(void (*entry)(void *argument), void *argument)
      {
      	return flexc_ept_thread_create(entry, argument);
      }

      /* The platform's thread destructor gives a thread's channel back when the thread ends. */
      void flexc_transport_at_thread_exit(void (*function)(void))
      {
      	flexc_ept_thread_at_exit(function);
      }
      """;
}
