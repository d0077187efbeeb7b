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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The call protocol the {@code ept} and {@code proc} backends share, written once. Each logical
 * thread (a thread of control crossing compartments synchronously) has a <em>channel</em> in the
 * shared area: a message, a bell per compartment and a data shadow stack. A gate puts the callee's
 * function <em>index</em>, the argument count and the arguments into its channel's message, rings
 * the callee and waits; the callee checks index and count against its table of exported functions
 * before calling, and refuses otherwise, so no address crosses as code. Waiting for a reply, a
 * thread serves the calls its channel brings to its compartment (A→B→A nests); a compartment's
 * dispatcher starts a server thread for a channel at its first call there. The protocol ({@value #SOURCE}) reaches the other compartments only through the
 * transport interface ({@value #TRANSPORT_HEADER}: map the shared area, notify, wait, is a
 * compartment alive), which each backend implements; its text is the same for every backend.
 */
final class RpcProtocol {

  static final String HEADER = "flexc_rpc.h";
  static final String TRANSPORT_HEADER = "flexc_transport.h";
  static final String SOURCE = "flexc_rpc.c";
  static final String TABLES = "flexc_rpc_tables.c";

  /** Where a backend puts the shared area and how large it is: the same in every compartment. */
  record Area(String backend, int compartments, long address, long size) {
    Area {
      if (compartments < 1 || address % 4096 != 0 || size % 4096 != 0) {
        throw new IllegalArgumentException("shared area: " + compartments + " compartments at 0x"
            + Long.toHexString(address) + ", " + size + " bytes");
      }
    }
  }

  private RpcProtocol() {}

  /** The functions each compartment serves, in index order (sorted, so indexes are stable). */
  static Map<Integer, List<Gate>> servedFunctions(List<Gate> gates) {
    Map<Integer, Map<String, Gate>> served = new TreeMap<>();
    for (Gate gate : gates) {
      served.computeIfAbsent(gate.calleeCompartment(), k -> new TreeMap<>()).putIfAbsent(gate.function(), gate);
    }
    Map<Integer, List<Gate>> lists = new TreeMap<>();
    served.forEach((k, functions) -> lists.put(k, List.copyOf(functions.values())));
    return lists;
  }

  /** The index of {@code function} in its compartment's table. */
  static int indexOf(List<Gate> served, String function) {
    for (int i = 0; i < served.size(); i++) {
      if (served.get(i).function().equals(function)) {
        return i;
      }
    }
    throw new IllegalStateException(function + " is not served");
  }

  /** Writes the protocol's header, the transport interface and the protocol itself; returns the protocol. */
  static GeneratedSource writeProtocol(Area area, Path directory) throws IOException {
    Files.createDirectories(directory);
    Files.writeString(directory.resolve(HEADER), header(area), StandardCharsets.UTF_8);
    Files.writeString(directory.resolve(TRANSPORT_HEADER), TRANSPORT_INTERFACE, StandardCharsets.UTF_8);
    Path source = directory.resolve(SOURCE);
    Files.writeString(source, PROTOCOL, StandardCharsets.UTF_8);
    return new GeneratedSource(source, Optional.empty());
  }

  /**
   * Writes the compartments' names and the tables of exported functions; a compartment that
   * {@code present} excludes (its code is in another image) gets an empty table.
   */
  static GeneratedSource writeTables(String backend, List<String> names, Map<Integer, List<Gate>> served,
      Predicate<Integer> present, Path directory) throws IOException {
    Files.createDirectories(directory);
    StringBuilder declarations = new StringBuilder();
    StringBuilder tables = new StringBuilder();
    StringBuilder tableList = new StringBuilder();
    for (int k = 0; k < names.size(); k++) {
      List<Gate> functions = present.test(k) ? served.getOrDefault(k, List.of()) : List.of();
      if (functions.isEmpty()) {
        tableList.append("\t{ NULL, 0, NULL },\n");
        continue;
      }
      tables.append("static uint64_t flexc_calls_c").append(k).append("[").append(functions.size()).append("];\n\n");
      tables.append("static const struct flexc_rpc_entry flexc_table_c").append(k).append("[] = {\n");
      for (Gate gate : functions) {
        declarations.append("void flexc_rpc_serve_").append(gate.function())
            .append("(struct flexc_rpc_message *message);\n");
        int arguments = gate.prototype().map(p -> StubSignature.parameterNames(p.parameters()).size()).orElse(0);
        tables.append("\t{ \"").append(gate.function()).append("\", \"").append(gate.calleeLibrary())
            .append("\", flexc_rpc_serve_").append(gate.function()).append(", ").append(arguments).append(" },\n");
      }
      tables.append("};\n\n");
      tableList.append("\t{ flexc_table_c").append(k).append(", ").append(functions.size()).append(", flexc_calls_c")
          .append(k).append(" },\n");
    }
    StringBuilder nameList = new StringBuilder();
    names.forEach(name -> nameList.append("\t\"").append(name).append("\",\n"));
    String text = "/*\n * Generated by flexc (" + backend + " backend): the compartments' names and, per compartment,\n"
        + " * the functions it exports by index with their argument counts, which the callee checks\n"
        + " * every call against, and where each process counts the calls it makes.\n */\n"
        + "#include <stddef.h>\n#include <stdint.h>\n\n#include \"" + HEADER + "\"\n\n"
        + declarations + (declarations.isEmpty() ? "" : "\n") + tables
        + "const struct flexc_rpc_table flexc_rpc_tables[FLEXC_RPC_COMPARTMENTS] = {\n" + tableList + "};\n\n"
        + "const char *const flexc_rpc_names[FLEXC_RPC_COMPARTMENTS] = {\n" + nameList + "};\n";
    Path file = directory.resolve(TABLES);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return new GeneratedSource(file, Optional.empty());
  }

  /**
   * Writes one file of gates into {@code library}: the stubs of {@code stubs} (sending calls by
   * index) and the dispatchers of the functions in {@code dispatched} (running calls that arrived).
   * The preprocessor lines of the callees' files come first, for their types.
   */
  static GeneratedSource writeGates(String backend, String library, List<Gate> stubs, List<Gate> dispatched,
      Map<Integer, List<Gate>> served, Path file) throws IOException {
    StringBuilder text = new StringBuilder()
        .append("/*\n * Generated by flexc (").append(backend).append(" backend): ")
        .append(stubs.isEmpty() ? "" : "the gates into library " + library + " (calls sent by function index)")
        .append(stubs.isEmpty() || dispatched.isEmpty() ? "" : "\n * and ")
        .append(dispatched.isEmpty() ? "" : "the dispatchers that run the calls which reach " + library)
        .append(".\n * The preprocessor lines of the callees' files come first, for their types.\n */\n");
    Set<String> preambles = new LinkedHashSet<>();
    Map<String, StubSignature> signatures = new LinkedHashMap<>();
    List<Gate> all = new ArrayList<>(stubs);
    all.addAll(dispatched);
    for (Gate gate : all) {
      if (!signatures.containsKey(gate.function())) {
        StubSignature signature = StubSignature.of(gate, backend);
        signatures.put(gate.function(), signature);
        preambles.add(signature.preamble());
      }
    }
    preambles.forEach(text::append);
    text.append("\n#include \"").append(HEADER).append("\"\n");
    Set<String> written = new LinkedHashSet<>();
    for (Gate gate : stubs) {
      int index = indexOf(served.get(gate.calleeCompartment()), gate.function());
      text.append('\n').append(stub(gate, signatures.get(gate.function()), index));
      if (dispatched.contains(gate) && written.add(gate.function())) {
        text.append('\n').append(dispatcher(gate, signatures.get(gate.function())));
      }
    }
    for (Gate gate : dispatched) {
      if (written.add(gate.function())) {
        text.append('\n').append(dispatcher(gate, signatures.get(gate.function())));
      }
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.ISO_8859_1);
    return new GeneratedSource(file, Optional.of(signatures.values().iterator().next().prototype().definedIn()));
  }

  private static String stub(Gate gate, StubSignature signature, int index) {
    StringBuilder stub = new StringBuilder()
        .append("/* compartment ").append(gate.callerCompartment()).append(" -> ").append(gate.calleeCompartment())
        .append(", function ").append(index).append(" there */\n")
        .append(signature.declaration(gate.name())).append("\n{\n")
        .append("\tstruct flexc_rpc_message *flexc_message = flexc_rpc_begin(").append(gate.calleeCompartment())
        .append(", ").append(index).append(", ").append(signature.parameterNames().size()).append(");\n");
    if (signature.returnsValue()) {
      stub.append('\t').append(signature.resultVariable()).append(";\n");
    }
    stub.append('\n');
    for (String name : signature.parameterNames()) {
      stub.append("\tFLEXC_RPC_PUT(flexc_message, ").append(name).append(");\n");
    }
    stub.append("\tflexc_rpc_call(").append(gate.calleeCompartment()).append(");\n");
    if (signature.returnsValue()) {
      stub.append("\tflexc_rpc_take(flexc_message, 0, &flexc_result, sizeof flexc_result);\n")
          .append("\tflexc_rpc_end(flexc_message);\n\treturn flexc_result;\n");
    } else {
      stub.append("\tflexc_rpc_end(flexc_message);\n");
    }
    return stub.append("}\n").toString();
  }

  private static String dispatcher(Gate gate, StubSignature signature) {
    String serve = "flexc_rpc_serve_" + gate.function();
    StringBuilder text = new StringBuilder()
        .append("/* runs ").append(gate.function()).append(" for a call that reached this compartment */\n")
        .append(signature.declaration(gate.function())).append(";\n")
        .append("void ").append(serve).append("(struct flexc_rpc_message *flexc_message);\n")
        .append("void ").append(serve).append("(struct flexc_rpc_message *flexc_message)\n{\n");
    for (String declaration : signature.parameterDeclarations()) {
      text.append('\t').append(declaration).append(";\n");
    }
    if (!signature.parameterDeclarations().isEmpty()) {
      text.append("\tsize_t flexc_offset = 0;\n");
    }
    text.append('\n');
    for (String name : signature.parameterNames()) {
      text.append("\tflexc_offset = flexc_rpc_take(flexc_message, flexc_offset, &").append(name)
          .append(", sizeof ").append(name).append(");\n");
    }
    if (signature.returnsValue()) {
      text.append('\t').append(signature.resultVariable()).append(" = ").append(gate.function()).append('(')
          .append(signature.call()).append(");\n")
          .append("\tflexc_rpc_reply(flexc_message, &flexc_result, sizeof flexc_result);\n");
    } else {
      text.append('\t').append(gate.function()).append('(').append(signature.call()).append(");\n")
          .append("\tflexc_rpc_reply(flexc_message, NULL, 0);\n");
    }
    return text.append("}\n").toString();
  }

  private static String header(Area area) {
    return HEADER_TEMPLATE.formatted(area.backend(), area.compartments(), Long.toHexString(area.address()),
        area.size() % (1L << 20) == 0 ? "(" + (area.size() >> 20) + "UL << 20)" : area.size() + "UL");
  }

  private static final String HEADER_TEMPLATE = """
      /*
       * Generated by flexc (%1$s backend): the call protocol between %2$d compartments, shared by
       * the ept and proc backends. The shared area is at FLEXC_RPC_AREA_ADDRESS in every compartment.
       */
      #ifndef FLEXC_RPC_H
      #define FLEXC_RPC_H

      #include <stddef.h>
      #include <stdint.h>

      #define FLEXC_RPC_COMPARTMENTS %2$d
      #define FLEXC_RPC_AREA_ADDRESS 0x%3$sUL
      #define FLEXC_RPC_AREA_SIZE %4$s
      #define FLEXC_RPC_MESSAGE_BYTES 512
      /* Logical threads that can cross compartments at once, each with its channel in the shared area. */
      #define FLEXC_RPC_CHANNELS 64

      /* A channel's message: its innermost call, then the reply in the same place. */
      struct flexc_rpc_message {
      	uint32_t state;
      	uint32_t function;
      	uint32_t arguments;
      	int caller;
      	int callee;
      	int error;
      	size_t used;
      	_Alignas(16) unsigned char data[FLEXC_RPC_MESSAGE_BYTES];
      };

      /* A function a compartment exports: its dispatcher and how many arguments a call must carry. */
      struct flexc_rpc_entry {
      	const char *name;
      	const char *library;
      	void (*serve)(struct flexc_rpc_message *message);
      	uint32_t arguments;
      };

      /* A compartment's exported functions, and how often this process called each (FLEXC_PROFILE). */
      struct flexc_rpc_table {
      	const struct flexc_rpc_entry *entries;
      	uint32_t count;
      	uint64_t *calls;
      };

      extern const struct flexc_rpc_table flexc_rpc_tables[FLEXC_RPC_COMPARTMENTS];
      extern const char *const flexc_rpc_names[FLEXC_RPC_COMPARTMENTS];

      /* The compartment this code runs as: set by the transport before any call. */
      extern int flexc_rpc_self;

      /* For the gates. */
      struct flexc_rpc_message *flexc_rpc_begin(int callee, uint32_t function, uint32_t arguments);
      void flexc_rpc_put(struct flexc_rpc_message *message, const void *value, size_t size);
      size_t flexc_rpc_take(const struct flexc_rpc_message *message, size_t offset, void *value, size_t size);
      void flexc_rpc_call(int callee);
      void flexc_rpc_end(struct flexc_rpc_message *message);
      void flexc_rpc_reply(struct flexc_rpc_message *message, const void *result, size_t size);

      #define FLEXC_RPC_PUT(message, value) flexc_rpc_put((message), &(value), sizeof(value))

      /* For the transports' start and stop code. */
      void flexc_rpc_map_area(void);
      void flexc_rpc_serve_until_stopped(void);
      void flexc_rpc_dispatch_in_background(void);
      void flexc_rpc_ask_to_stop(int compartment);

      #endif
      """;

  private static final String TRANSPORT_INTERFACE = """
      /*
       * Generated by flexc: the transport interface of the call protocol (flexc_rpc.c), the only
       * way the protocol reaches other compartments. proc implements it with a memfd, fork and
       * futexes (flexc_proc_transport.c); ept with a hypervisor's shared memory, notifications and
       * halting (flexc_ept_transport.c).
       */
      #ifndef FLEXC_TRANSPORT_H
      #define FLEXC_TRANSPORT_H

      #include <stddef.h>
      #include <stdint.h>

      /*
       * Makes the shared area, size bytes, appear at address in this compartment, the same memory
       * in every compartment; returns address, or NULL with errno set.
       */
      void *flexc_transport_map_shared(uintptr_t address, size_t size);

      /* Wakes compartment, which may be waiting on word (its bell): the caller has just changed it. */
      void flexc_transport_notify(int compartment, volatile uint32_t *word);

      /* Waits until word no longer holds seen; may return earlier, the caller checks again. */
      void flexc_transport_wait(volatile uint32_t *word, uint32_t seen);

      /* Whether compartment still answers calls; a call to one that does not fails with ENOTRECOVERABLE. */
      int flexc_transport_alive(int compartment);

      /* Runs entry(argument) on a new thread of this compartment; returns 0, or an error number. */
      int flexc_transport_spawn(void (*entry)(void *argument), void *argument);

      /* Calls function when the calling thread ends; may do nothing (its channel then stays taken). */
      void flexc_transport_at_thread_exit(void (*function)(void));

      #endif
      """;

  private static final String PROTOCOL = """
      /*
       * Generated by flexc: the call protocol of the ept and proc backends, the same text for both.
       * Every logical thread (a thread of control that crosses compartments synchronously) has a
       * channel in the shared area: one message, a bell per compartment and a data shadow stack. A
       * gate puts the callee's function index, the argument count and the arguments into its
       * thread's message and rings the callee's bell on that channel; the callee checks index and
       * count against its table (flexc_rpc_tables.c) and refuses a call that does not match instead
       * of running it. Calls on a channel are strictly nested and a dispatcher copies the arguments
       * out before it calls, so one message per channel is enough: a thread waiting for a reply
       * serves the calls its channel brings to its compartment meanwhile, so A->B->A nests.
       *
       * In each compartment one thread serves a channel: the thread that claimed it (at its first
       * call), or a server thread that the compartment's dispatcher starts when the channel first
       * brings it a call. Other compartments are reached only through flexc_transport.h.
       */
      #include <errno.h>
      #include <stdio.h>
      #include <stdlib.h>
      #include <string.h>
      #include <unistd.h>

      #include "flexc_rpc.h"
      #include "flexc_transport.h"

      enum { FLEXC_EMPTY, FLEXC_CALL, FLEXC_SERVING, FLEXC_RETURN, FLEXC_REFUSED };

      #define FLEXC_DSS_BYTES (256UL << 10)

      /* A logical thread's control block. */
      struct flexc_channel {
      	uint32_t owner; /* 1 + the compartment of the thread that claimed it; 0: free */
      	uint32_t bell[FLEXC_RPC_COMPARTMENTS]; /* rung for the channel's thread in each compartment */
      	uint32_t served[FLEXC_RPC_COMPARTMENTS]; /* whether each compartment has a thread for it */
      	size_t dss_top;
      	struct flexc_rpc_message message;
      };

      /* The shared area: a dispatcher's bell per compartment, the channels, their shadow stacks, the heap. */
      struct flexc_rpc_area {
      	uint32_t stopping;
      	uint32_t bell[FLEXC_RPC_COMPARTMENTS];
      	size_t heap_used;
      	struct flexc_channel channel[FLEXC_RPC_CHANNELS];
      	_Alignas(16) unsigned char dss[FLEXC_RPC_CHANNELS][FLEXC_DSS_BYTES];
      	_Alignas(16) unsigned char heap[];
      };

      _Static_assert(sizeof(struct flexc_rpc_area) < FLEXC_RPC_AREA_SIZE, "the shared area holds the channels");

      #define flexc_area ((struct flexc_rpc_area *)FLEXC_RPC_AREA_ADDRESS)

      int flexc_rpc_self;
      /* The channel of this thread: claimed at its first call, or given to a server thread; -1 if none yet. */
      static __thread int flexc_channel_index = -1;

      /*
       * With FLEXC_PROFILE=FILE, appends the calls this process made as caller,callee::function,count
       * rows (the format of flexc solve --profile) when it exits. A compartment of several libraries
       * cannot say which of them called: its rows become comments. Run a build with one library per
       * compartment to count every call between libraries.
       */
      static void flexc_write_profile(void)
      {
      	const char *path = getenv("FLEXC_PROFILE");
      	const char *caller = flexc_rpc_names[flexc_rpc_self];
      	char rows[8192];
      	size_t used = 0;
      	FILE *file;

      	for (int k = 0; k < FLEXC_RPC_COMPARTMENTS; k++)
      		for (uint32_t i = 0; i < flexc_rpc_tables[k].count; i++) {
      			uint64_t calls = __atomic_load_n(&flexc_rpc_tables[k].calls[i], __ATOMIC_RELAXED);
      			int length;

      			if (calls == 0)
      				continue;
      			length = snprintf(rows + used, sizeof rows - used, "%s%s,%s::%s,%llu\\n",
      					  strchr(caller, '+') ? "# " : "", caller, flexc_rpc_tables[k].entries[i].library,
      					  flexc_rpc_tables[k].entries[i].name, (unsigned long long)calls);
      			if (length < 0 || (size_t)length >= sizeof rows - used)
      				break;
      			used += (size_t)length;
      		}
      	if (used == 0 || path == NULL || (file = fopen(path, "a")) == NULL)
      		return;
      	/* One write, so that the rows of processes exiting together do not interleave. */
      	setvbuf(file, NULL, _IONBF, 0);
      	fwrite(rows, 1, used, file);
      	fclose(file);
      }

      void flexc_rpc_map_area(void)
      {
      	if (flexc_transport_map_shared(FLEXC_RPC_AREA_ADDRESS, FLEXC_RPC_AREA_SIZE) != (void *)FLEXC_RPC_AREA_ADDRESS) {
      		perror("flexc: mapping the shared area");
      		_exit(127);
      	}
      	if (getenv("FLEXC_PROFILE") != NULL)
      		atexit(flexc_write_profile);
      }

      /* A thread that ends gives its channel back; the server threads of other compartments stay for the next owner. */
      static void flexc_release_channel(void)
      {
      	struct flexc_channel *channel = &flexc_area->channel[flexc_channel_index];

      	channel->dss_top = 0;
      	__atomic_store_n(&channel->message.state, FLEXC_EMPTY, __ATOMIC_SEQ_CST);
      	__atomic_store_n(&channel->served[flexc_rpc_self], 0, __ATOMIC_SEQ_CST);
      	__atomic_store_n(&channel->owner, 0, __ATOMIC_SEQ_CST);
      	flexc_channel_index = -1;
      }

      /*
       * This thread's channel. A thread claims a free one that no thread of its compartment serves
       * yet: in every compartment, one thread per channel.
       */
      static struct flexc_channel *flexc_own_channel(void)
      {
      	if (flexc_channel_index >= 0)
      		return &flexc_area->channel[flexc_channel_index];
      	for (int c = 0; c < FLEXC_RPC_CHANNELS; c++) {
      		struct flexc_channel *channel = &flexc_area->channel[c];
      		uint32_t unclaimed = 0;

      		if (__atomic_load_n(&channel->served[flexc_rpc_self], __ATOMIC_SEQ_CST) == 0 &&
      		    __atomic_compare_exchange_n(&channel->owner, &unclaimed, (uint32_t)flexc_rpc_self + 1, 0, __ATOMIC_SEQ_CST,
      						__ATOMIC_SEQ_CST)) {
      			__atomic_store_n(&channel->served[flexc_rpc_self], 1, __ATOMIC_SEQ_CST);
      			flexc_channel_index = c;
      			flexc_transport_at_thread_exit(flexc_release_channel);
      			return channel;
      		}
      	}
      	fprintf(stderr, "flexc: compartment %d (%s): more than %d threads call other compartments at once\\n",
      		flexc_rpc_self, flexc_rpc_names[flexc_rpc_self], FLEXC_RPC_CHANNELS);
      	abort();
      }

      /* Wakes the channel's thread in compartment, and the compartment's dispatcher if it has none yet. */
      static void flexc_ring(struct flexc_channel *channel, int compartment)
      {
      	__atomic_add_fetch(&channel->bell[compartment], 1, __ATOMIC_SEQ_CST);
      	flexc_transport_notify(compartment, &channel->bell[compartment]);
      	if (!__atomic_load_n(&channel->served[compartment], __ATOMIC_SEQ_CST)) {
      		__atomic_add_fetch(&flexc_area->bell[compartment], 1, __ATOMIC_SEQ_CST);
      		flexc_transport_notify(compartment, &flexc_area->bell[compartment]);
      	}
      }

      /* Whether the channel's message is a call to this compartment not served yet. */
      static int flexc_called(struct flexc_channel *channel)
      {
      	return __atomic_load_n(&channel->message.state, __ATOMIC_SEQ_CST) == FLEXC_CALL &&
      	       __atomic_load_n(&channel->message.callee, __ATOMIC_SEQ_CST) == flexc_rpc_self;
      }

      /* Runs the call on the channel if this compartment's table has that function with that many arguments. */
      static void flexc_serve(struct flexc_channel *channel)
      {
      	struct flexc_rpc_message *message = &channel->message;
      	const struct flexc_rpc_table *table = &flexc_rpc_tables[flexc_rpc_self];
      	int caller = message->caller;

      	if (message->function >= table->count || table->entries[message->function].arguments != message->arguments) {
      		fprintf(stderr, "flexc: compartment %d (%s) refused call %u with %u arguments from compartment %d\\n",
      			flexc_rpc_self, flexc_rpc_names[flexc_rpc_self], message->function, message->arguments, caller);
      		__atomic_store_n(&message->state, FLEXC_REFUSED, __ATOMIC_SEQ_CST);
      		flexc_ring(channel, caller);
      		return;
      	}
      	/* Serving, not waiting: this call is not served again by the nested waits below. */
      	__atomic_store_n(&message->state, FLEXC_SERVING, __ATOMIC_SEQ_CST);
      	errno = message->error;
      	table->entries[message->function].serve(message);
      	/* Calls the function made meanwhile used the message too: the caller is this call's again. */
      	message->error = errno;
      	message->caller = caller;
      	__atomic_store_n(&message->state, FLEXC_RETURN, __ATOMIC_SEQ_CST);
      	flexc_ring(channel, caller);
      }

      struct flexc_rpc_message *flexc_rpc_begin(int callee, uint32_t function, uint32_t arguments)
      {
      	struct flexc_rpc_message *message = &flexc_own_channel()->message;

      	message->function = function;
      	message->arguments = arguments;
      	message->caller = flexc_rpc_self;
      	__atomic_store_n(&message->callee, callee, __ATOMIC_SEQ_CST);
      	message->used = 0;
      	return message;
      }

      void flexc_rpc_put(struct flexc_rpc_message *message, const void *value, size_t size)
      {
      	size_t at = (message->used + 7) & ~(size_t)7;

      	if (at + size > FLEXC_RPC_MESSAGE_BYTES) {
      		fprintf(stderr, "flexc: arguments larger than %d bytes\\n", FLEXC_RPC_MESSAGE_BYTES);
      		abort();
      	}
      	memcpy(message->data + at, value, size);
      	message->used = at + size;
      }

      size_t flexc_rpc_take(const struct flexc_rpc_message *message, size_t offset, void *value, size_t size)
      {
      	size_t at = (offset + 7) & ~(size_t)7;

      	memcpy(value, message->data + at, size);
      	return at + size;
      }

      void flexc_rpc_call(int callee)
      {
      	struct flexc_channel *channel = flexc_own_channel();
      	struct flexc_rpc_message *message = &channel->message;
      	uint32_t *bell = &channel->bell[flexc_rpc_self];

      	if (message->function < flexc_rpc_tables[callee].count)
      		__atomic_add_fetch(&flexc_rpc_tables[callee].calls[message->function], 1, __ATOMIC_RELAXED);

      	message->error = errno;
      	__atomic_store_n(&message->state, FLEXC_CALL, __ATOMIC_SEQ_CST);
      	flexc_ring(channel, callee);
      	for (;;) {
      		if (!flexc_transport_alive(callee)) {
      			memset(message->data, 0, sizeof message->data);
      			message->error = ENOTRECOVERABLE;
      			break;
      		}
      		uint32_t seen = __atomic_load_n(bell, __ATOMIC_SEQ_CST);
      		uint32_t state = __atomic_load_n(&message->state, __ATOMIC_SEQ_CST);

      		/* Only the innermost call of the channel is in the message: the one this thread waits for, or one to it. */
      		if (state == FLEXC_REFUSED && message->caller == flexc_rpc_self) {
      			fprintf(stderr, "flexc: compartment %d (%s) refused a call from compartment %d\\n", callee,
      				flexc_rpc_names[callee], flexc_rpc_self);
      			abort();
      		}
      		if (state == FLEXC_RETURN && message->caller == flexc_rpc_self)
      			break;
      		if (flexc_called(channel)) {
      			flexc_serve(channel);
      			continue;
      		}
      		flexc_transport_wait(bell, seen);
      	}
      	errno = message->error;
      }

      void flexc_rpc_end(struct flexc_rpc_message *message)
      {
      	__atomic_store_n(&message->state, FLEXC_EMPTY, __ATOMIC_SEQ_CST);
      }

      /* The result, once the function returned; flexc_serve then hands the message back to the caller. */
      void flexc_rpc_reply(struct flexc_rpc_message *message, const void *result, size_t size)
      {
      	message->used = 0;
      	if (size > 0)
      		flexc_rpc_put(message, result, size);
      }

      /* A server thread: serves the calls that one channel brings to this compartment. */
      static void flexc_serve_channel(void *index)
      {
      	struct flexc_channel *channel = &flexc_area->channel[(uintptr_t)index];
      	uint32_t *bell = &channel->bell[flexc_rpc_self];

      	flexc_channel_index = (int)(uintptr_t)index;
      	while (!__atomic_load_n(&flexc_area->stopping, __ATOMIC_SEQ_CST)) {
      		uint32_t seen = __atomic_load_n(bell, __ATOMIC_SEQ_CST);

      		if (flexc_called(channel))
      			flexc_serve(channel);
      		else
      			flexc_transport_wait(bell, seen);
      	}
      }

      /*
       * The compartment's dispatcher: starts a server thread for each channel that brings the
       * compartment a call and has no thread here yet, until the main compartment asks it to stop.
       */
      void flexc_rpc_serve_until_stopped(void)
      {
      	while (!__atomic_load_n(&flexc_area->stopping, __ATOMIC_SEQ_CST)) {
      		uint32_t seen = __atomic_load_n(&flexc_area->bell[flexc_rpc_self], __ATOMIC_SEQ_CST);

      		for (uintptr_t c = 0; c < FLEXC_RPC_CHANNELS; c++) {
      			struct flexc_channel *channel = &flexc_area->channel[c];

      			if (!flexc_called(channel) || __atomic_load_n(&channel->served[flexc_rpc_self], __ATOMIC_SEQ_CST))
      				continue;
      			__atomic_store_n(&channel->served[flexc_rpc_self], 1, __ATOMIC_SEQ_CST);
      			if (flexc_transport_spawn(flexc_serve_channel, (void *)c) != 0) {
      				fprintf(stderr, "flexc: compartment %d (%s) cannot start a thread for channel %d\\n",
      					flexc_rpc_self, flexc_rpc_names[flexc_rpc_self], (int)c);
      				_exit(127);
      			}
      		}
      		flexc_transport_wait(&flexc_area->bell[flexc_rpc_self], seen);
      	}
      }

      static void flexc_dispatch(void *unused)
      {
      	(void)unused;
      	flexc_rpc_serve_until_stopped();
      }

      /* Main's compartment runs the program on its first thread, so its dispatcher gets a thread of its own. */
      void flexc_rpc_dispatch_in_background(void)
      {
      	if (flexc_rpc_tables[flexc_rpc_self].count > 0 && flexc_transport_spawn(flexc_dispatch, NULL) != 0) {
      		fprintf(stderr, "flexc: compartment %d (%s) cannot start its dispatcher\\n", flexc_rpc_self,
      			flexc_rpc_names[flexc_rpc_self]);
      		_exit(127);
      	}
      }

      void flexc_rpc_ask_to_stop(int compartment)
      {
      	__atomic_store_n(&flexc_area->stopping, 1, __ATOMIC_SEQ_CST);
      	__atomic_add_fetch(&flexc_area->bell[compartment], 1, __ATOMIC_SEQ_CST);
      	flexc_transport_notify(compartment, &flexc_area->bell[compartment]);
      }

      /* Bump allocation: an atomic add, so threads of every compartment allocate at once. */
      void *flexc_shared_malloc(size_t size)
      {
      	size_t at = __atomic_fetch_add(&flexc_area->heap_used, (size + 15) & ~(size_t)15, __ATOMIC_SEQ_CST);

      	if (offsetof(struct flexc_rpc_area, heap) + at + size > FLEXC_RPC_AREA_SIZE) {
      		errno = ENOMEM;
      		return NULL;
      	}
      	return flexc_area->heap + at;
      }

      void *flexc_shared_calloc(size_t count, size_t size)
      {
      	void *memory = flexc_shared_malloc(count * size);

      	return memory ? memset(memory, 0, count * size) : NULL;
      }

      void *flexc_shared_realloc(void *pointer, size_t size)
      {
      	void *memory = flexc_shared_malloc(size);

      	if (memory && pointer)
      		memcpy(memory, pointer, size);
      	return memory;
      }

      /* The shared heap only grows: a program's shared buffers are few and live long. */
      void flexc_shared_free(void *pointer)
      {
      	(void)pointer;
      }

      void *flexc_shared_alloc(size_t size)
      {
      	return flexc_shared_malloc(size);
      }

      void flexc_shared_release(void *slot)
      {
      	(void)slot;
      }

      /* A logical thread's shared locals are last in, first out across compartments: one stack per channel. */
      void *flexc_dss_alloc(size_t size)
      {
      	struct flexc_channel *channel = flexc_own_channel();
      	void *memory = flexc_area->dss[flexc_channel_index] + channel->dss_top;

      	channel->dss_top += (size + 15) & ~(size_t)15;
      	if (channel->dss_top > FLEXC_DSS_BYTES) {
      		fprintf(stderr, "flexc: data shadow stack exhausted\\n");
      		_exit(127);
      	}
      	return memory;
      }

      /* Scopes end in reverse order, so the shadow stack pops back to the released local. */
      void flexc_dss_release(void *slot)
      {
      	flexc_own_channel()->dss_top = (size_t)((unsigned char *)*(void **)slot - flexc_area->dss[flexc_channel_index]);
      }
      """;
}
