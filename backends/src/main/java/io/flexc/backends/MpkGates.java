package io.flexc.backends;

import io.flexc.transformer.Gate;
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
 * <p>Stacks follow one of FlexOS's three modes ({@link StackMode}). With private stacks every
 * thread has one stack per compartment, under that compartment's key, and a gate runs its callee
 * on the callee's stack: the arguments travel in a frame on the thread's data shadow stack (shared
 * memory, allocated and freed in call order), which a thunk in the callee's compartment unpacks, so
 * any signature crosses, whatever the calling convention puts on the stack. {@code main} is started
 * on its compartment's stack ({@code --wrap=main}) and every thread on its creator's compartment's
 * stack ({@code --wrap=pthread_create}), with a stack of its own in every compartment.
 *
 * <p>With shared stacks the same gates also serve a kernel build, one image in ring 0, whose
 * start-up {@link MpkKernelStart} writes in place of the Linux runtime.
 */
public final class MpkGates {

  public static final String HEADER = "flexc_mpk.h";
  public static final String RUNTIME = "flexc_mpk_runtime.c";

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

  /** The PKRU value of compartment {@code k} among {@code count}: every other compartment's key denied. */
  static long pkru(int k, int count) {
    long value = 0;
    for (int other = 0; other < count; other++) {
      if (other != k) {
        value |= 3L << (2 * (other + 1));
      }
    }
    return value;
  }

  /** Every compartment's PKRU value, among {@code count}: the only values a gate may write. */
  public static Set<Long> pkruValues(int count) {
    Set<Long> values = new LinkedHashSet<>();
    for (int k = 0; k < count; k++) {
      values.add(pkru(k, count));
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
      StackMode stacks, Path directory) throws IOException {
    int compartments = names.size();
    if (compartments > MAX_COMPARTMENTS) {
      throw new IOException("mpk: " + compartments + " compartments, but protection keys allow "
          + MAX_COMPARTMENTS + " besides the shared one; choose fewer or the ept/proc backend");
    }
    Files.createDirectories(directory);
    List<GeneratedSource> written = new ArrayList<>();
    Files.writeString(directory.resolve(HEADER), header(compartments, stacks), StandardCharsets.UTF_8);
    Path runtime = directory.resolve(RUNTIME);
    Files.writeString(runtime, runtime(compartments, mainCompartment, stacks), StandardCharsets.UTF_8);
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
      Path stubs = directory.resolve("mpk_gates_" + library.getKey() + ".c");
      StringBuilder text = new StringBuilder()
          .append("/*\n * Generated by flexc (mpk backend): the gates into library ").append(library.getKey())
          .append(" (").append(stacks.label()).append(" stacks).\n")
          .append(" * Each enters the callee's compartment (checked PKRU write), calls")
          .append(stacks.privateStacks() ? " on the callee's\n * stack through a frame on the shadow stack" : "")
          .append(", clears the caller-saved registers and comes\n * back the same way. The preprocessor lines of")
          .append(" the callees' files come first, so that\n * their prototypes' types are known.\n */\n");
      Set<String> preambles = new LinkedHashSet<>();
      List<StubSignature> signatures = new ArrayList<>();
      for (Gate gate : library.getValue()) {
        StubSignature signature = StubSignature.of(gate, "mpk");
        signatures.add(signature);
        preambles.add(signature.preamble());
      }
      preambles.forEach(text::append);
      text.append("\n#include \"").append(HEADER).append("\"\n");
      Set<String> thunks = new LinkedHashSet<>();
      for (int i = 0; i < signatures.size(); i++) {
        Gate gate = library.getValue().get(i);
        if (!stacks.privateStacks()) {
          text.append('\n').append(stub(gate, signatures.get(i)));
          continue;
        }
        if (thunks.add(gate.function())) {
          text.append('\n').append(PrivateStackStub.frameAndThunk(gate.function(), signatures.get(i)));
        }
        text.append('\n').append(PrivateStackStub.gate(gate, signatures.get(i)));
      }
      Files.writeString(stubs, text, StandardCharsets.ISO_8859_1);
      written.add(new GeneratedSource(stubs, Optional.of(signatures.get(0).prototype().definedIn())));
    }
    return written;
  }

  private static String stub(Gate gate, StubSignature signature) {
    StringBuilder stub = new StringBuilder()
        .append("/* compartment ").append(gate.callerCompartment()).append(" -> ").append(gate.calleeCompartment())
        .append(" */\n")
        .append(signature.declaration(gate.function())).append(";\n")
        .append(signature.declaration(gate.name())).append("\n{\n")
        .append("\tFLEXC_MPK_SWITCH(FLEXC_PKRU_C").append(gate.callerCompartment()).append(", FLEXC_PKRU_C")
        .append(gate.calleeCompartment()).append(");\n");
    if (signature.returnsValue()) {
      stub.append('\t').append(signature.resultVariable()).append(" = ");
    } else {
      stub.append('\t');
    }
    stub.append(gate.function()).append('(').append(signature.call()).append(");\n")
        .append("\tFLEXC_MPK_CLEAR_SCRATCH();\n")
        .append("\tFLEXC_MPK_SWITCH(FLEXC_PKRU_C").append(gate.calleeCompartment()).append(", FLEXC_PKRU_C")
        .append(gate.callerCompartment()).append(");\n");
    if (signature.returnsValue()) {
      stub.append("\treturn flexc_result;\n");
    }
    return stub.append("}\n").toString();
  }

  private static String header(int compartments, StackMode stacks) {
    StringBuilder header = new StringBuilder()
        .append("/*\n * Generated by flexc (mpk backend) for ").append(compartments).append(" compartments.\n")
        .append(" * Compartment k runs with PKRU = FLEXC_PKRU_C<k>: key k + 1 is its own, key 0 is shared,\n")
        .append(" * the other compartments' keys are access-disabled.\n */\n")
        .append("#ifndef FLEXC_MPK_H\n#define FLEXC_MPK_H\n\n")
        .append("#define FLEXC_MPK_COMPARTMENTS ").append(compartments).append("\n");
    for (int k = 0; k < compartments; k++) {
      header.append(String.format(Locale.ROOT, "#define FLEXC_PKRU_C%d 0x%08x%n", k, pkru(k, compartments)));
    }
    header.append(String.format(Locale.ROOT, "/* Linux's initial PKRU, once the keys are allocated: where start-up switches from. */%n"
        + "#define FLEXC_PKRU_START 0x%08x%n", startPkru(compartments)));
    header.append("""

        #define FLEXC_MPK_STRING(x) #x
        #define FLEXC_MPK_VALUE(x) FLEXC_MPK_STRING(x)

        /*
         * The switch from PKRU value `from` to `to`, as instructions: reads PKRU (rdpkru also zeroes
         * edx, as wrpkru needs), turns `from` into `to` by xor, writes it, and checks the value written
         * against the constant `to`. A thread in any other compartment than `from` (a gate called
         * from elsewhere than its caller's) writes another value, and the check aborts before
         * anything else runs; so does a jump past the start with anything but `to` in eax. As many
         * instructions per switch as FlexOS's sequence, which leaves the origin unchecked.
         */
        #define FLEXC_MPK_SWITCH_ASM(from, to)                                    \\
        	"xorl %%ecx, %%ecx\\n\\trdpkru\\n\\t"                                 \\
        	"xorl $(" FLEXC_MPK_VALUE(from) " ^ " FLEXC_MPK_VALUE(to) "), %%eax\\n\\t" \\
        	"wrpkru\\n\\t"                                                        \\
        	"cmpl $" FLEXC_MPK_VALUE(to) ", %%eax\\n\\t"                            \\
        	"jne flexc_mpk_violation\\n\\t"

        #define FLEXC_MPK_SWITCH(from, to) \\
        	__asm__ volatile(FLEXC_MPK_SWITCH_ASM(from, to) : : : "rax", "rcx", "rdx", "memory", "cc")

        /*
         * Caller-saved registers, vector ones included (vzeroall: every CPU with protection keys has
         * AVX): nothing of the callee leaks back. The compiler keeps the result elsewhere meanwhile;
         * rcx and rdx are cleared by the FLEXC_MPK_SWITCH that always follows.
         */
        #define FLEXC_MPK_CLEAR_SCRATCH()                                                  \\
        	__asm__ volatile("xorl %%esi, %%esi\\n\\txorl %%edi, %%edi\\n\\t"                   \\
        			 "xorl %%r8d, %%r8d\\n\\txorl %%r9d, %%r9d\\n\\t"                   \\
        			 "xorl %%r10d, %%r10d\\n\\txorl %%r11d, %%r11d\\n\\tvzeroall"          \\
        			 : : : "rsi", "rdi", "r8", "r9", "r10", "r11", "xmm0", "xmm1",         \\
        			   "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",      \\
        			   "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15")

        /* Called by a gate whose PKRU check failed: never returns. */
        void flexc_mpk_violation(void) __attribute__((noreturn));

        /* The compartment whose heap holds `address`, or -1 (flexc_mpk_heaps.c). */
        int flexc_mpk_heap_owner(const void *address);
        """);
    if (stacks.privateStacks()) {
      header.append(PrivateStackStub.HEADER);
    }
    return header.append("\n#endif\n").toString();
  }

  private static String runtime(int compartments, int mainCompartment, StackMode stacks) {
    StringBuilder symbols = new StringBuilder();
    StringBuilder ranges = new StringBuilder();
    for (int k = 0; k < compartments; k++) {
      for (String kind : List.of("data", "bss")) {
        String prefix = "__flexc_c" + k + "_" + kind;
        symbols.append("extern char ").append(prefix).append("_start[], ").append(prefix).append("_end[];\n");
        ranges.append("\t{ ").append(k).append(", ").append(prefix).append("_start, ").append(prefix)
            .append("_end, PROT_READ | PROT_WRITE },\n");
      }
    }
    return """
        /*
         * Generated by flexc (mpk backend): start-up and fault reporting for %1$d compartments.
         * Before main, each compartment gets its protection key (compartment k: key k + 1) on its
         * data and bss pages (bracketed by the linker script's symbols), and the program
         * enters compartment %2$d, where main is.
         */
        #define _GNU_SOURCE
        #include <signal.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/mman.h>
        #include <ucontext.h>
        #include <unistd.h>

        #include "flexc_mpk.h"

        %3$s
        struct flexc_range {
        	int compartment;
        	char *start;
        	char *end;
        	int protection;
        };

        static const struct flexc_range flexc_ranges[] = {
        %4$s};

        %5$s
        /* The compartment whose data, bss, %6$sheap holds `address`; -1 for shared memory. */
        static int flexc_compartment_of(const char *address)
        {
        	for (size_t i = 0; i < sizeof flexc_ranges / sizeof flexc_ranges[0]; i++)
        		if (address >= flexc_ranges[i].start && address < flexc_ranges[i].end)
        			return flexc_ranges[i].compartment;
        	%7$sreturn flexc_mpk_heap_owner(address);
        }

        static void flexc_fault(int signal, siginfo_t *info, void *context)
        {
        	char message[160];
        	int length;

        	(void)signal;
        	length = snprintf(message, sizeof message,
        			  "flexc: code at %%p touched memory of compartment %%d at %%p (%%s)\\n",
        			  (void *)((ucontext_t *)context)->uc_mcontext.gregs[REG_RIP],
        			  flexc_compartment_of(info->si_addr), info->si_addr,
        			  info->si_code == SEGV_PKUERR ? "protection-key fault, SEGV_PKUERR" : "not a key fault");
        	if (length > 0 && write(STDERR_FILENO, message, (size_t)length) < 0)
        		_exit(128 + SIGSEGV);
        	/* SA_RESETHAND: returning re-runs the access, which now kills the process with SIGSEGV. */
        }

        void flexc_mpk_violation(void)
        {
        	static const char message[] =
        		"flexc: a PKRU switch did not start from the compartment it leaves "
        		"(a gate called from another, or entered past its start)\\n";

        	if (write(STDERR_FILENO, message, sizeof message - 1) < 0)
        		_exit(127);
        	abort();
        }

        static void flexc_die(const char *what)
        {
        	perror(what);
        	_exit(127);
        }

        __attribute__((constructor(101))) static void flexc_mpk_start(void)
        {
        	struct sigaction action;

        	for (int k = 0; k < FLEXC_MPK_COMPARTMENTS; k++)
        		if (pkey_alloc(0, 0) != k + 1)
        			flexc_die("flexc: pkey_alloc (this CPU or kernel has no protection keys?)");
        	for (size_t i = 0; i < sizeof flexc_ranges / sizeof flexc_ranges[0]; i++) {
        		const struct flexc_range *range = &flexc_ranges[i];

        		if (range->end > range->start &&
        		    pkey_mprotect(range->start, (size_t)(range->end - range->start), range->protection,
        				  range->compartment + 1) != 0)
        			flexc_die("flexc: pkey_mprotect");
        	}
        	memset(&action, 0, sizeof action);
        	action.sa_sigaction = flexc_fault;
        	action.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_ONSTACK;
        	sigaction(SIGSEGV, &action, NULL);
        	FLEXC_MPK_SWITCH(FLEXC_PKRU_START, FLEXC_PKRU_C%2$d);
        }
        """.formatted(compartments, mainCompartment, symbols, ranges,
            stacks.privateStacks() ? PrivateStackStub.STACK_OWNER : "",
            stacks.privateStacks() ? "stack or stack slot (on this thread) or " : "",
            stacks.privateStacks() ? "if (flexc_mpk_stack_owner(address) >= 0)\n\t\treturn flexc_mpk_stack_owner(address);\n\t"
                : "")
        + (stacks.privateStacks() ? PrivateStackStub.runtime(compartments, mainCompartment, stacks) : "");
  }

}
