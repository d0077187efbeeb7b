package io.flexc.backends;

import io.flexc.transformer.Gate;
import io.flexc.transformer.source.CLexer;
import io.flexc.transformer.source.CToken;
import java.util.ArrayList;
import java.util.List;

/**
 * The C of mpk's private-stack gates: per callee function a frame (its arguments and result) and a
 * thunk that unpacks it in the callee's compartment; per gate a stub that fills a frame on the
 * thread's shadow stack and crosses with {@code FLEXC_MPK_CROSS}; and the header and runtime parts
 * that keep one stack per thread and compartment.
 */
final class PrivateStackStub {

  private PrivateStackStub() {}

  /** {@code struct flexc_frame_F} and {@code flexc_thunk_F}, once per callee function. */
  static String frameAndThunk(String function, StubSignature signature) {
    StringBuilder text = new StringBuilder().append(signature.declaration(function)).append(";\n\n");
    List<String> members = new ArrayList<>();
    for (int i = 0; i < signature.parameterNames().size(); i++) {
      members.add(member(signature.parameterDeclarations().get(i), signature.parameterNames().get(i)));
    }
    if (signature.returnsValue()) {
      members.add(signature.resultVariable());
    }
    String call = function + "(" + String.join(", ", signature.parameterNames().stream()
        .map(name -> "flexc_frame->" + name).toList()) + ")";
    if (members.isEmpty()) {
      return text.append(thunkHead(function)).append("\t(void)opaque;\n\t").append(call).append(";\n}\n").toString();
    }
    text.append("struct flexc_frame_").append(function).append(" {\n");
    members.forEach(member -> text.append('\t').append(member).append(";\n"));
    text.append("};\n\n")
        .append(thunkHead(function))
        .append("\tstruct flexc_frame_").append(function).append(" *flexc_frame = opaque;\n\n\t")
        .append(signature.returnsValue() ? "flexc_frame->flexc_result = " : "").append(call).append(";\n}\n");
    return text.toString();
  }

  /**
   * A thunk's first lines. It is called by name from the crossing's instructions only, which the
   * compiler does not see: hence {@code used}.
   */
  private static String thunkHead(String function) {
    return "__attribute__((used)) static void flexc_thunk_" + function + "(void *opaque)\n{\n";
  }

  /** The stub that callers in {@code gate}'s caller compartment call instead of the function. */
  static String gate(Gate gate, StubSignature signature) {
    String function = gate.function();
    boolean framed = signature.returnsValue() || !signature.parameterNames().isEmpty();
    StringBuilder stub = new StringBuilder()
        .append("/* compartment ").append(gate.callerCompartment()).append(" -> ").append(gate.calleeCompartment())
        .append(" */\n")
        .append(signature.declaration(gate.name())).append("\n{\n");
    if (!framed) {
      return stub.append("\tFLEXC_MPK_CROSS(").append(gate.calleeCompartment()).append(", ")
          .append(gate.callerCompartment()).append(", flexc_thunk_").append(function).append(", (void *)0);\n}\n")
          .toString();
    }
    stub.append("\tstruct flexc_frame_").append(function).append(" *flexc_frame = flexc_mpk_frame_alloc(sizeof")
        .append(" *flexc_frame);\n");
    if (signature.returnsValue()) {
      stub.append('\t').append(signature.resultVariable()).append(";\n");
    }
    stub.append('\n');
    for (String name : signature.parameterNames()) {
      stub.append("\tflexc_frame->").append(name).append(" = ").append(name).append(";\n");
    }
    stub.append("\tFLEXC_MPK_CROSS(").append(gate.calleeCompartment()).append(", ").append(gate.callerCompartment())
        .append(", flexc_thunk_").append(function).append(", flexc_frame);\n");
    if (signature.returnsValue()) {
      stub.append("\tflexc_result = flexc_frame->flexc_result;\n");
    }
    stub.append("\tflexc_mpk_frame_free(flexc_frame);\n");
    if (signature.returnsValue()) {
      stub.append("\treturn flexc_result;\n");
    }
    return stub.append("}\n").toString();
  }

  /**
   * A parameter's declaration as a frame member: an array parameter becomes the pointer it is
   * ({@code char name[16]} as {@code char (*name)}), and a top-level {@code const} is dropped so
   * the stub can fill the member in ({@code char *const p} as {@code char *p}).
   */
  static String member(String declaration, String name) {
    List<CToken> tokens = CLexer.tokenize(declaration);
    int nameAt = -1;
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).is(name)) {
        nameAt = i;
      }
    }
    boolean functionPointer = declaration.contains("(");
    boolean array = nameAt >= 0 && nameAt + 1 < tokens.size() && tokens.get(nameAt + 1).is("[");
    int lastStar = -1;
    for (int i = 0; i < nameAt; i++) {
      if (tokens.get(i).is("*")) {
        lastStar = i;
      }
    }
    StringBuilder member = new StringBuilder();
    int end = 0;
    for (int i = 0; i < tokens.size(); i++) {
      CToken token = tokens.get(i);
      boolean topLevelConst = token.is("const") && i > lastStar && i < nameAt && !functionPointer && !array;
      if (topLevelConst) {
        member.append(declaration, end, token.offset());
        end = token.end();
        while (end < declaration.length() && declaration.charAt(end) == ' ') {
          end++;
        }
      } else if (i == nameAt && array && !functionPointer) {
        member.append(declaration, end, token.offset()).append("(*").append(name).append(')');
        int depth = 0;
        int j = i + 1;
        for (; j < tokens.size(); j++) {
          depth += tokens.get(j).is("[") ? 1 : tokens.get(j).is("]") ? -1 : 0;
          if (depth == 0) {
            break;
          }
        }
        end = tokens.get(Math.min(j, tokens.size() - 1)).end();
        i = j;
      }
    }
    return member.append(declaration.substring(end)).toString().strip();
  }

  static final String HEADER = """

      #include <stddef.h>

      /* Each thread's stack in each compartment, under the compartment's key. */
      #define FLEXC_MPK_STACK_SIZE (256 * 1024)

      /*
       * Each compartment's stack pointer on this thread: where a call into it starts. Each is alone
       * in a page of the thread's TLS, under its compartment's key, so that only code of that
       * compartment (or a gate on its way in or out) can redirect where the compartment runs next.
       */
      struct flexc_mpk_stack_slot {
      	void *top;
      } __attribute__((aligned(4096)));

      extern __thread struct flexc_mpk_stack_slot flexc_mpk_stack[FLEXC_MPK_COMPARTMENTS];

      /* This thread's data shadow stack (shared memory): the next free byte and the end. */
      extern __thread char *flexc_mpk_shadow_top;
      extern __thread char *flexc_mpk_shadow_end;

      /* Reports a full shadow stack and aborts. */
      void flexc_mpk_shadow_full(void) __attribute__((noreturn));

      /* A frame on this thread's shadow stack; frames are freed in the reverse order. */
      static inline void *flexc_mpk_frame_alloc(size_t size)
      {
      	char *frame = flexc_mpk_shadow_top;

      	size = (size + 15) & ~(size_t)15;
      	if ((size_t)(flexc_mpk_shadow_end - frame) < size)
      		flexc_mpk_shadow_full();
      	flexc_mpk_shadow_top = frame + size;
      	return frame;
      }

      static inline void flexc_mpk_frame_free(void *frame)
      {
      	flexc_mpk_shadow_top = frame;
      }

      /*
       * Runs thunk(frame) in compartment `callee` on the callee's stack on this thread, from
       * compartment `caller` (numbers). The caller's stack pointer waits in r12, which the callee
       * must preserve; the caller's stack slot points 128 bytes below it (its red zone kept) while the
       * callee runs, so that a call back into the caller nests below, and gets its value back from r13
       * afterwards. Each slot is written only with its compartment's rights. No register but the
       * caller's callee-saved ones carries anything back (vzeroall clears the vector registers: every
       * CPU with protection keys has AVX).
       */
      #define FLEXC_MPK_CROSS(callee, caller, thunk, frame)                                              \\
      	do {                                                                                       \\
      		void *flexc_rdi = (frame);                                                         \\
                                                                                                         \\
      		__asm__ volatile("movq %%fs:flexc_mpk_stack@tpoff+4096*" #caller ", %%r13\\n\\t"      \\
      				 "movq %%rsp, %%r12\\n\\t"                                           \\
      				 "leaq -128(%%rsp), %%r11\\n\\t"                                     \\
      				 "movq %%r11, %%fs:flexc_mpk_stack@tpoff+4096*" #caller "\\n\\t"      \\
      				 FLEXC_MPK_SWITCH_ASM(FLEXC_PKRU_C##caller, FLEXC_PKRU_C##callee)    \\
      				 "movq %%fs:flexc_mpk_stack@tpoff+4096*" #callee ", %%rsp\\n\\t"      \\
      				 "andq $-16, %%rsp\\n\\t"                                            \\
      				 "call " #thunk "\\n\\t"                                              \\
      				 "movq %%r12, %%rsp\\n\\t"                                           \\
      				 FLEXC_MPK_SWITCH_ASM(FLEXC_PKRU_C##callee, FLEXC_PKRU_C##caller)    \\
      				 "movq %%r13, %%fs:flexc_mpk_stack@tpoff+4096*" #caller "\\n\\t"      \\
      				 "xorl %%esi, %%esi\\n\\txorl %%edi, %%edi\\n\\t"                      \\
      				 "xorl %%r8d, %%r8d\\n\\txorl %%r9d, %%r9d\\n\\t"                      \\
      				 "xorl %%r10d, %%r10d\\n\\txorl %%r11d, %%r11d\\n\\tvzeroall"          \\
      				 : "+D"(flexc_rdi)                                                 \\
      				 :                                                                 \\
      				 : "rax", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "r12", "r13", \\
      				   "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",     \\
      				   "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", \\
      				   "xmm14", "xmm15");                                              \\
      	} while (0)
      """;

  /** Finds which compartment's stack on this thread an address is in: part of the fault report. */
  static final String STACK_OWNER = """
      /* Where this thread's stack of each compartment begins (its lowest usable address). */
      static __thread char *flexc_mpk_stack_low[FLEXC_MPK_COMPARTMENTS];

      /* The compartment whose stack, or stack slot, on this thread holds `address`; -1 if none. */
      static int flexc_mpk_stack_owner(const char *address)
      {
      	for (int k = 0; k < FLEXC_MPK_COMPARTMENTS; k++) {
      		if (flexc_mpk_stack_low[k] != NULL && address >= flexc_mpk_stack_low[k] &&
      		    address < flexc_mpk_stack_low[k] + FLEXC_MPK_STACK_SIZE)
      			return k;
      		if (address >= (const char *)&flexc_mpk_stack[k] && address < (const char *)&flexc_mpk_stack[k + 1])
      			return k;
      	}
      	return -1;
      }
      """;

  /** The runtime's part for private stacks: stacks per thread and compartment, frames, wrappers. */
  static String runtime(int compartments, int mainCompartment, MpkGates.StackMode mode) {
    List<String> pkru = new ArrayList<>();
    for (int k = 0; k < compartments; k++) {
      pkru.add("FLEXC_PKRU_C" + k);
    }
    String shadowLocals = mode == MpkGates.StackMode.DSS ? """

        /* The transformer's data shadow stack: locals that cross a gate by address. */
        void *flexc_dss_alloc(size_t size)
        {
        	return flexc_mpk_frame_alloc(size);
        }

        void flexc_dss_release(void *slot)
        {
        	flexc_mpk_frame_free(*(void **)slot);
        }
        """ : "";
    return """

        /* Private stacks: one per thread and compartment, under the compartment's key. */
        #include <errno.h>
        #include <pthread.h>

        static const unsigned int flexc_mpk_pkru[FLEXC_MPK_COMPARTMENTS] = { %3$s };

        #define FLEXC_MPK_SHADOW_SIZE (256 * 1024)
        #define FLEXC_MPK_SIGNAL_STACK_SIZE (64 * 1024)

        __thread struct flexc_mpk_stack_slot flexc_mpk_stack[FLEXC_MPK_COMPARTMENTS];
        __thread char *flexc_mpk_shadow_top;
        __thread char *flexc_mpk_shadow_end;

        /* A mapping with a guard page below it, its usable pages under `key`; returns its top. */
        static char *flexc_mpk_map(size_t size, int key)
        {
        	size_t page = (size_t)sysconf(_SC_PAGESIZE);
        	char *base = mmap(NULL, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

        	if (base == MAP_FAILED)
        		flexc_die("flexc: mmap of a compartment stack");
        	if (mprotect(base, page, PROT_NONE) != 0 ||
        	    pkey_mprotect(base + page, size, PROT_READ | PROT_WRITE, key) != 0)
        		flexc_die("flexc: protecting a compartment stack");
        	return base + page + size;
        }

        static void flexc_mpk_key_stack_slot(int k, int key)
        {
        	if (pkey_mprotect(&flexc_mpk_stack[k], sizeof flexc_mpk_stack[k], PROT_READ | PROT_WRITE, key) != 0)
        		flexc_die("flexc: protecting a compartment's stack slot");
        }

        /* Set for every thread with stacks of its own, so that its end releases them. */
        static pthread_key_t flexc_mpk_thread_end;

        /*
         * At a thread's end its stack slots go back under the shared key: the C library may hand its
         * TLS to the next thread it starts, and initialises it from whichever compartment that is.
         */
        static void flexc_mpk_release_stack_slots(void *unused)
        {
        	(void)unused;
        	for (int k = 0; k < FLEXC_MPK_COMPARTMENTS; k++)
        		flexc_mpk_key_stack_slot(k, 0);
        }

        /*
         * This thread's stack in every compartment, its shadow stack and its signal stack, both under
         * the shared key: a fault report must not run on the faulting compartment's stack, which the
         * handler's rights do not reach. Each stack slot is filled in, then put under its
         * compartment's key (from the shared one: the TLS may be a finished thread's).
         */
        static void flexc_mpk_thread_stacks(void)
        {
        	stack_t signals = { .ss_size = FLEXC_MPK_SIGNAL_STACK_SIZE };

        	for (int k = 0; k < FLEXC_MPK_COMPARTMENTS; k++) {
        		flexc_mpk_key_stack_slot(k, 0);
        		flexc_mpk_stack[k].top = flexc_mpk_map(FLEXC_MPK_STACK_SIZE, k + 1);
        		flexc_mpk_stack_low[k] = (char *)flexc_mpk_stack[k].top - FLEXC_MPK_STACK_SIZE;
        		flexc_mpk_key_stack_slot(k, k + 1);
        	}
        	flexc_mpk_shadow_end = flexc_mpk_map(FLEXC_MPK_SHADOW_SIZE, 0);
        	flexc_mpk_shadow_top = flexc_mpk_shadow_end - FLEXC_MPK_SHADOW_SIZE;
        	signals.ss_sp = flexc_mpk_map(FLEXC_MPK_SIGNAL_STACK_SIZE, 0) - FLEXC_MPK_SIGNAL_STACK_SIZE;
        	if (sigaltstack(&signals, NULL) != 0)
        		flexc_die("flexc: sigaltstack");
        	if (pthread_setspecific(flexc_mpk_thread_end, &flexc_mpk_thread_end) != 0)
        		flexc_die("flexc: pthread_setspecific");
        }

        void flexc_mpk_shadow_full(void)
        {
        	static const char message[] = "flexc: a thread's data shadow stack is full\\n";

        	if (write(STDERR_FILENO, message, sizeof message - 1) < 0)
        		_exit(127);
        	abort();
        }
        %2$s
        /* Runs fn(argument) on the stack whose top is *slot; the caller's stack pointer waits in rbx. */
        void flexc_mpk_run_on(void **slot, void (*fn)(void *), void *argument);
        __asm__(".text\\n"
        	".globl flexc_mpk_run_on\\n"
        	".type flexc_mpk_run_on, @function\\n"
        	"flexc_mpk_run_on:\\n\\t"
        	"pushq %%rbx\\n\\t"
        	"movq %%rsp, %%rbx\\n\\t"
        	"movq (%%rdi), %%rsp\\n\\t"
        	"andq $-16, %%rsp\\n\\t"
        	"movq %%rdx, %%rdi\\n\\t"
        	"call *%%rsi\\n\\t"
        	"movq %%rbx, %%rsp\\n\\t"
        	"popq %%rbx\\n\\t"
        	"ret\\n\\t"
        	".size flexc_mpk_run_on, . - flexc_mpk_run_on\\n");

        /* The compartment this thread runs in, read from PKRU. */
        static int flexc_mpk_current(void)
        {
        	unsigned int pkru;

        	__asm__ volatile("rdpkru" : "=a"(pkru) : "c"(0) : "rdx");
        	for (int k = 0; k < FLEXC_MPK_COMPARTMENTS; k++)
        		if (pkru == flexc_mpk_pkru[k])
        			return k;
        	flexc_mpk_violation();
        }

        __attribute__((constructor(102))) static void flexc_mpk_main_thread_stacks(void)
        {
        	if (pthread_key_create(&flexc_mpk_thread_end, flexc_mpk_release_stack_slots) != 0)
        		flexc_die("flexc: pthread_key_create");
        	flexc_mpk_thread_stacks();
        }

        struct flexc_mpk_main_call {
        	int argc;
        	char **argv;
        	char **envp;
        	int status;
        };

        int __real_main(int argc, char **argv, char **envp);

        static void flexc_mpk_call_main(void *opaque)
        {
        	struct flexc_mpk_main_call *call = opaque;

        	call->status = __real_main(call->argc, call->argv, call->envp);
        }

        /* main runs on compartment %1$d's stack; the call's record is on the shared initial stack. */
        int __wrap_main(int argc, char **argv, char **envp)
        {
        	struct flexc_mpk_main_call call = { argc, argv, envp, 0 };

        	flexc_mpk_run_on(&flexc_mpk_stack[%1$d].top, flexc_mpk_call_main, &call);
        	return call.status;
        }

        struct flexc_mpk_thread_start {
        	void *(*start)(void *);
        	void *argument;
        	void *result;
        	int compartment;
        };

        int __real_pthread_create(pthread_t *thread, const pthread_attr_t *attributes, void *(*start)(void *),
        			  void *argument);

        static void flexc_mpk_call_start(void *opaque)
        {
        	struct flexc_mpk_thread_start *record = opaque;

        	record->result = record->start(record->argument);
        }

        static void *flexc_mpk_thread(void *opaque)
        {
        	struct flexc_mpk_thread_start *record = opaque;
        	void *result;

        	flexc_mpk_thread_stacks();
        	flexc_mpk_run_on(&flexc_mpk_stack[record->compartment].top, flexc_mpk_call_start, record);
        	result = record->result;
        	free(record);
        	return result;
        }

        /* A new thread starts in its creator's compartment, with a stack of its own in each. */
        int __wrap_pthread_create(pthread_t *thread, const pthread_attr_t *attributes, void *(*start)(void *),
        			  void *argument)
        {
        	struct flexc_mpk_thread_start *record = malloc(sizeof *record);
        	int error;

        	if (record == NULL)
        		return EAGAIN;
        	record->start = start;
        	record->argument = argument;
        	record->compartment = flexc_mpk_current();
        	error = __real_pthread_create(thread, attributes, flexc_mpk_thread, record);
        	if (error != 0)
        		free(record);
        	return error;
        }
        """.formatted(mainCompartment, shadowLocals, String.join(", ", pkru));
  }
}
