package io.flexc.backends;

import io.flexc.layout.Layout;
import io.flexc.layout.Templates;
import io.flexc.model.CallShape;
import io.flexc.model.Gate;
import io.flexc.model.Prototype;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code mpk} backend for Linux user space: one protection key per compartment (compartment k
 * has key k + 1; key 0, the default, stays the shared key of the C library, the stacks and the
 * shared heap). A gate checks that the thread runs in the caller's compartment (so another
 * compartment cannot borrow the caller's way in, nor come back with the caller's rights), writes
 * the callee compartment's PKRU value and compares the value written with the constant it must be
 * (so a jump into the middle of a gate cannot keep other rights), calls, clears the caller-saved
 * registers that could carry the callee's data back, and switches back the same way. Read-only data (string literals are passed across all the
 * time) and the C library's heap are shared; each compartment allocates from a heap of its own
 * ({@link CompartmentHeaps}). Startup allocates the keys, applies them to each compartment's data
 * and bss pages through the linker script's symbols, and enters the compartment of {@code main}; a
 * protection-key fault is reported naming the compartments involved before the process dies of its
 * SIGSEGV.
 *
 * <p>A gate is assembly ({@code FLEXC_MPK_GATE} in {@code flexc_mpk.h}) that forwards the call at
 * the ABI level: the argument registers as the caller left them, and a block of the caller's stack
 * ({@link Forwarding}: the callee's fixed stack arguments, or {@link #STACK_ARGUMENT_BYTES} for a
 * variadic callee or one whose call shape is unknown). So no gate depends on how a prototype is
 * spelled (export macros, K&R definitions, typedef'd function types), and variadic functions cross.
 * An entry gate ({@link Gate#entry}), the target of function pointers, finds its caller's
 * compartment in PKRU, calls directly from the callee's own, and aborts from no compartment.
 *
 * <p>Stacks follow one of FlexOS's three modes ({@link StackMode}). With private stacks every
 * thread has one stack per compartment, under that compartment's key, and a gate runs its callee
 * on the callee's stack: the stack block travels in a frame on the thread's data shadow stack
 * (shared memory, allocated and freed in call order), and so does a result returned in memory,
 * which the gate copies to the caller's buffer. {@code main} is started
 * on its compartment's stack ({@code --wrap=main}) and every thread on its creator's compartment's
 * stack ({@code --wrap=pthread_create}), with a stack of its own in every compartment.
 *
 * <p>With shared stacks the same gates also serve a kernel build, one image in ring 0, whose
 * start-up {@link MpkKernelStart} writes in place of the Linux runtime.
 */
public final class MpkGates {

  public static final String HEADER = "flexc_mpk.h";
  public static final String RUNTIME = "flexc_mpk_runtime.c";

  /**
   * The bytes of the caller's stack a gate forwards to a variadic callee or one whose call shape is
   * not known (FLEXC_STACK_ARGUMENT_BYTES in flexc_mpk.h); a callee whose fixed stack arguments take
   * more is refused.
   */
  public static final int STACK_ARGUMENT_BYTES = GateStubRefusals.STACK_ARGUMENT_BYTES;

  private static final String STACK_ARGUMENT_BYTES_NAME = "FLEXC_STACK_ARGUMENT_BYTES";

  /** Keys 1..15 are usable: compartments beyond 15 do not fit one address space's PKRU. */
  public static final int MAX_COMPARTMENTS = 15;

  /** Where compartments' stack frames live, and with them the locals that cross a gate by address. */
  public enum StackMode {
    /** One stack per thread, under the shared key: fastest, no isolation of stack frames. */
    SHARED,
    /** One stack per thread and compartment under its key; locals that cross live on the shared heap. */
    PRIVATE,
    /** Private stacks, and locals that cross live on the thread's data shadow stack (FlexOS's DSS). */
    DSS;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<StackMode> fromLabel(String label) {
      for (StackMode mode : values()) {
        if (mode.label().equals(label)) {
          return Optional.of(mode);
        }
      }
      return Optional.empty();
    }

    /** Whether compartments run on stacks of their own. */
    public boolean privateStacks() {
      return this != SHARED;
    }

    /**
     * The link options the runtime needs: private stacks start {@code main} and every thread on a
     * compartment's stack through wrappers of {@code main} and {@code pthread_create}.
     */
    public List<String> linkerFlags() {
      return privateStacks() ? List.of("-Wl,--wrap=main", "-Wl,--wrap=pthread_create") : List.of();
    }
  }

  private MpkGates() {}

  /**
   * The PKRU value of compartment {@code k} among {@code count}: every other compartment's key
   * denied (access and write disabled), except where {@code trust} lets {@code k} read an owner's
   * memory (write still disabled) or also write it (neither disabled).
   */
  static long pkru(int k, int count, List<CompartmentTrust> trust) {
    long value = 0;
    for (int other = 0; other < count; other++) {
      if (other != k) {
        value |= 3L << (2 * (other + 1));
      }
    }
    for (CompartmentTrust edge : trust) {
      if (edge.reader() == k && edge.owner() < count) {
        value &= ~((edge.writable() ? 3L : 1L) << (2 * (edge.owner() + 1)));
      }
    }
    return value;
  }

  /** Every compartment's PKRU value, among {@code count} under {@code trust}: the only values a gate may write. */
  public static Set<Long> pkruValues(int count, List<CompartmentTrust> trust) {
    Set<Long> values = new LinkedHashSet<>();
    for (int k = 0; k < count; k++) {
      values.add(pkru(k, count, trust));
    }
    return values;
  }

  /**
   * The PKRU value a Linux process starts with (every key but 0 access-disabled, the kernel's
   * {@code init_pkru_value}) once {@code pkey_alloc(0, 0)} has allowed keys 1..count.
   */
  static long startPkru(int count) {
    long value = 0x55555554L;
    for (int k = 1; k <= count; k++) {
      value &= ~(3L << (2 * k));
    }
    return value;
  }

  /**
   * Writes header, runtime and one stub file per callee library into {@code directory} for the
   * compartments named {@code names}, and returns what a Linux build compiles. With shared stacks it
   * also writes the kernel flavour of the start-up ({@link MpkKernelStart}), which is not among the
   * returned sources: it replaces the Linux runtime in a kernel build and cannot be linked with it.
   */
  public static List<GeneratedSource> write(List<Gate> gates, List<String> names, int mainCompartment,
      StackMode stacks, List<CompartmentTrust> trust, Path directory) throws IOException {
    int compartments = names.size();
    if (compartments > MAX_COMPARTMENTS) {
      throw new IOException("mpk: " + compartments + " compartments, but protection keys allow "
          + MAX_COMPARTMENTS + " besides the shared one; choose fewer or the ept/proc backend");
    }
    Files.createDirectories(directory);
    List<GeneratedSource> written = new ArrayList<>();
    Templates mpk = Templates.group(MpkGates.class, "mpk/mpk.stg");
    List<Pkru> pkrus = new ArrayList<>();
    for (int k = 0; k < compartments; k++) {
      pkrus.add(new Pkru(k, String.format(Locale.ROOT, "%08x", pkru(k, compartments, trust))));
    }
    Files.writeString(directory.resolve(HEADER), mpk.render("header", "compartments", compartments, "pkrus", pkrus,
        "start", String.format(Locale.ROOT, "%08x", startPkru(compartments)), "privateStacks", stacks.privateStacks(),
        "stackBytes", STACK_ARGUMENT_BYTES), StandardCharsets.UTF_8);
    Path runtime = directory.resolve(RUNTIME);
    Files.writeString(runtime, mpk.render("runtime", "compartments", compartments, "main", mainCompartment,
        "layout", Layout.of(compartments), "pkrus", pkrus, "privateStacks", stacks.privateStacks(), "dss", stacks == StackMode.DSS),
        StandardCharsets.UTF_8);
    written.add(new GeneratedSource(runtime, Optional.empty()));
    written.add(new GeneratedSource(SharedMemoryRuntime.write(directory, stacks != StackMode.DSS),
        Optional.empty()));
    written.add(new GeneratedSource(CompartmentHeaps.write(compartments, directory), Optional.empty()));
    if (!stacks.privateStacks()) {
      MpkKernelStart.write(names, mainCompartment, directory);
    }
    Map<String, List<Gate>> byLibrary = new LinkedHashMap<>();
    gates.forEach(gate -> byLibrary.computeIfAbsent(gate.calleeLibrary(), l -> new ArrayList<>()).add(gate));
    for (Map.Entry<String, List<Gate>> library : byLibrary.entrySet()) {
      List<AsmGate> direct = new ArrayList<>();
      List<EntryGate> entries = new ArrayList<>();
      for (Gate gate : library.getValue()) {
        Forwarding forwarding = Forwarding.of(gate, stacks);
        if (gate.isEntry()) {
          List<Integer> callers = new ArrayList<>();
          for (int k = 0; k < compartments; k++) {
            if (k != gate.calleeCompartment()) {
              callers.add(k);
            }
          }
          entries.add(new EntryGate(gate.name(), gate.function(), gate.calleeCompartment(), callers,
              forwarding.stackBytes(), forwarding.resultBytes()));
        } else {
          direct.add(new AsmGate(gate.name(), gate.function(), gate.callerCompartment(), gate.calleeCompartment(),
              forwarding.stackBytes(), forwarding.resultBytes()));
        }
      }
      Path stubs = directory.resolve("mpk_gates_" + library.getKey() + ".c");
      Files.writeString(stubs, mpk.render("gates", "library", library.getKey(), "stacks", stacks.label(),
          "privateStacks", stacks.privateStacks(), "gates", direct, "entries", entries), StandardCharsets.UTF_8);
      written.add(new GeneratedSource(stubs, Optional.empty()));
    }
    return written;
  }

  /**
   * What a gate forwards beyond the argument registers, from the call's shape as the compiler saw
   * the callee: {@code stackBytes}, the block of the caller's stack copied to the callee's (the
   * fixed stack arguments rounded up to 16, or {@link #STACK_ARGUMENT_BYTES} for a variadic
   * callee or one whose shape is not known: its stack arguments are assumed to fit), as C text;
   * and {@code resultBytes}, the size of a result returned in memory, which with private stacks
   * goes through the gate's frame (the callee cannot write the caller's stack), 0 otherwise. A
   * result on the x87 stack needs nothing: no gate touches it.
   */
  record Forwarding(String stackBytes, int resultBytes) {

    static Forwarding of(Gate gate, StackMode stacks) throws IOException {
      Optional<CallShape> shape = gate.prototype().flatMap(Prototype::shape);
      if (shape.isEmpty()) {
        return new Forwarding(STACK_ARGUMENT_BYTES_NAME, 0);
      }
      GateStubRefusals.check(gate, "mpk", false);
      CallShape call = shape.get();
      String bytes = call.variadic() ? STACK_ARGUMENT_BYTES_NAME : Integer.toString((call.fixedStackBytes() + 15) / 16 * 16);
      return new Forwarding(bytes, stacks.privateStacks() ? call.resultInMemoryBytes() : 0);
    }
  }

  /** A gate from one compartment: stackBytes is C text (a number or FLEXC_STACK_ARGUMENT_BYTES). */
  record AsmGate(String name, String function, int caller, int callee, String stackBytes, int resultBytes) {}

  /** An entry gate, reached from any of {@code callers} (every compartment but the callee's) or the callee's. */
  record EntryGate(String name, String function, int callee, List<Integer> callers, String stackBytes,
      int resultBytes) {}

  /** Compartment k's PKRU value, in hexadecimal. */
  record Pkru(int compartment, String value) {}

}
