/*
 * longjmp across gates (flexc_rpc.c), between two processes as the proc backend runs them:
 * compartment 0 (this process, "app") and compartment 1 (a child, "lib", modelled on Lua: a
 * protected call that sets a jump buffer, and an error function that longjmps to it). The app
 * calls lib's protected call with one of its own functions; lib calls it back through a gate;
 * the callback calls lib's error function, which jumps, in lib's process, out of the frames
 * that wait for the callback's reply, to the protected call, which returns. The app, still
 * waiting in the callback for the error function's reply, gets the protected call's reply.
 * Checked: with 1, 2 and 3 callback frames between the protected call and the error, 1000
 * times each; lib calling the app again after its jump (a retry, from a deeper stack too);
 * 1000 errors caught inside one call; the app jumping out of its own call into lib; the data
 * shadow stack back where it was; 600 errors each caught further down the stack; two threads at
 * once. With "without-interposer" (ept, which has no longjmp of the C library to interpose), the
 * calls after an error made from deeper down are left out: the protocol then forgets abandoned
 * crossings only at a call not deeper than them (built by clang, the 600 errors further down
 * each nest the next call deeper, past a thread's 512 crossings).
 * Prints "unwind: ok" or the first check that failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "flexc_rpc.h"
#include "flexc_transport.h"

void *flexc_dss_alloc(size_t size);
void flexc_dss_release(void *slot);

#define CHECK(condition)                                                          \
	do {                                                                      \
		if (!(condition)) {                                               \
			printf("unwind: line %d: %s\n", __LINE__, #condition);    \
			exit(1);                                                  \
		}                                                                 \
	} while (0)

/* The other process: lib's, in the app; the app's, in lib. */
static pid_t other;

/*
 * Whether the other process still runs: one that ended (aborted, say) fails the call that waits
 * for it, and the check that made it ends the test at once instead of waiting for ever.
 */
int flexc_transport_alive(int compartment)
{
	siginfo_t ended = { 0 };

	(void)compartment;
	if (flexc_rpc_self == 1)
		return getppid() == other;
	return waitid(P_PID, (id_t)other, &ended, WEXITED | WNOHANG | WNOWAIT) == 0 && ended.si_pid != other;
}

#include "test_forked_transport.h"

void flexc_transport_at_thread_exit(void (*function)(void))
{
	(void)function;
}

#include "test_no_holder.h"

typedef int (*callback)(int argument);

/* The gates, as flexc writes them: into the app (0) for its callbacks, into lib (1). */
int gate_fail(int code), gate_nest(int levels), gate_retry(int fail), gate_jump_out(int unused), gate_ok(int x);
int gate_protected_call(callback function, int argument), gate_raise(int code), gate_call_back(callback function, int argument);
int gate_protected_retry(callback function, int deep), gate_errors_in_one_call(int count, int deep);
int gate_errors_descending(int levels);
FLEXC_RPC_GATE(gate_fail, 0, 0, 0, 0);
FLEXC_RPC_GATE(gate_nest, 0, 1, 0, 0);
FLEXC_RPC_GATE(gate_retry, 0, 2, 0, 0);
FLEXC_RPC_GATE(gate_jump_out, 0, 3, 0, 0);
FLEXC_RPC_GATE(gate_ok, 0, 4, 0, 0);
FLEXC_RPC_GATE(gate_protected_call, 1, 0, 0, 0);
FLEXC_RPC_GATE(gate_raise, 1, 1, 0, 0);
FLEXC_RPC_GATE(gate_call_back, 1, 2, 0, 0);
FLEXC_RPC_GATE(gate_protected_retry, 1, 3, 0, 0);
FLEXC_RPC_GATE(gate_errors_in_one_call, 1, 4, 0, 0);
FLEXC_RPC_GATE(gate_errors_descending, 1, 5, 0, 0);

/* lib, like Lua: each thread's innermost protected call (lua_State's errorJmp). */
static __thread jmp_buf *handler;

static int protected_call(callback function, int argument)
{
	jmp_buf here;
	jmp_buf *volatile outer = handler;
	volatile int result;
	int code;

	handler = &here;
	code = setjmp(here);
	if (code == 0)
		result = function(argument);
	else
		result = -code;
	handler = outer;
	return result;
}

__attribute__((noreturn)) static int raise_error(int code)
{
	longjmp(*handler, code);
}

static int call_back(callback function, int argument)
{
	return function(argument);
}

/* Calls function from depth frames further down the stack than the protected call (1 KiB each). */
static __attribute__((noinline)) int call_deeper(callback function, int argument, int depth)
{
	volatile char frame[1024];
	int result;

	frame[0] = (char)depth;
	result = depth == 0 ? function(argument) : call_deeper(function, argument, depth - 1);
	return result + frame[0] - (char)depth;
}

/* Calls function(1), which fails; caught, calls it again with 0 (deep frames further down): tries * 100 + its result. */
static int protected_retry(callback function, int deep)
{
	jmp_buf here;
	jmp_buf *volatile outer = handler;
	volatile int tries = 0, result = 0;

	handler = &here;
	if (setjmp(here) != 0)
		tries++;
	if (tries < 2)
		result = tries == 0 ? function(1) : call_deeper(function, 0, deep);
	handler = outer;
	return tries * 100 + result;
}

/* count errors raised by the app's callback and caught here, inside one call: how many were caught. */
static int errors_in_one_call(int count, int deep)
{
	int caught = 0;

	for (int i = 0; i < count; i++) {
		caught += protected_call(gate_fail, 3) == -3;
		caught += protected_retry(gate_retry, deep ? i % 8 : 0) == 104;
	}
	return caught;
}

/*
 * An error caught at each of levels frames, each 4 KiB further down than the last: each call
 * after an error is made from below the frames the error left, so only the interposed longjmp
 * tells the protocol that they are gone (without it, each level would nest one call deeper).
 */
static __attribute__((noinline)) int errors_descending(int levels)
{
	volatile char frame[4096];
	int caught;

	frame[0] = 0;
	caught = (protected_call(gate_fail, 3) == -3) + frame[0];
	return levels == 1 ? caught : caught + errors_descending(levels - 1);
}

/* The app's callbacks. */
static int fail(int code)
{
	/* A shared local (moved to the data shadow stack) of a frame the error abandons. */
	void *local = flexc_dss_alloc(64);

	memset(local, 1, 64);
	return gate_raise(code);
}

/* levels more callbacks through lib, then an error. */
static int nest(int levels)
{
	return levels == 0 ? gate_raise(7) : gate_call_back(gate_nest, levels - 1) + 1;
}

static int retry(int failing)
{
	return failing ? gate_raise(5) : 4;
}

static __thread jmp_buf app_out;

__attribute__((noreturn)) static int jump_out(int unused)
{
	(void)unused;
	longjmp(app_out, 1);
}

static int ok(int x)
{
	return x + 1;
}

#define FUNCTION(name) ((void (*)(void))name)

static uint64_t calls0[5], calls1[6];
static const struct flexc_rpc_entry entries0[] = {
	{ "fail", "app", FUNCTION(fail), 0, 0 },	     { "nest", "app", FUNCTION(nest), 0, 0 },
	{ "retry", "app", FUNCTION(retry), 0, 0 },	     { "jump_out", "app", FUNCTION(jump_out), 0, 0 },
	{ "ok", "app", FUNCTION(ok), 0, 0 },
};
static const struct flexc_rpc_entry entries1[] = {
	{ "protected_call", "lib", FUNCTION(protected_call), 0, 0 },
	{ "raise_error", "lib", FUNCTION(raise_error), 0, 0 },
	{ "call_back", "lib", FUNCTION(call_back), 0, 0 },
	{ "protected_retry", "lib", FUNCTION(protected_retry), 0, 0 },
	{ "errors_in_one_call", "lib", FUNCTION(errors_in_one_call), 0, 0 },
	{ "errors_descending", "lib", FUNCTION(errors_descending), 0, 0 },
};
const struct flexc_rpc_table flexc_rpc_tables[FLEXC_RPC_COMPARTMENTS] = { { entries0, 5, calls0 },
									  { entries1, 6, calls1 } };
const char *const flexc_rpc_names[FLEXC_RPC_COMPARTMENTS] = { "app", "lib" };

static int deep_retries = 1;

static void *scenarios(void *unused)
{
	void *before, *after;

	(void)unused;
	before = flexc_dss_alloc(16);
	flexc_dss_release(&before);
	for (int i = 0; i < 1000; i++) {
		/* 1, 2 and 3 callback frames of the app's between lib's protected call and the error. */
		CHECK(gate_protected_call(gate_fail, 9) == -9);
		CHECK(gate_protected_call(gate_nest, 1) == -7);
		CHECK(gate_protected_call(gate_nest, 2) == -7);
		CHECK(gate_protected_call(gate_ok, i) == i + 1);
		/* lib calls the app again after its jump: at the depth of the call it still serves. */
		CHECK(gate_protected_retry(gate_retry, 0) == 104);
		if (deep_retries)
			CHECK(gate_protected_retry(gate_retry, i % 8) == 104);
		/* The app jumps out of its call into lib, from a callback lib made: lib's thread gives way. */
		if (setjmp(app_out) == 0) {
			gate_call_back(gate_jump_out, 0);
			CHECK(!"jump_out returned");
		}
		CHECK(gate_call_back(gate_ok, i) == i + 1);
	}
	CHECK(gate_errors_in_one_call(1000, deep_retries) == 2000);
	if (deep_retries)
		CHECK(gate_errors_descending(600) == 600);
	after = flexc_dss_alloc(16);
	CHECK(after == before);
	flexc_dss_release(&after);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t threads[2];
	pid_t child;
	int status;

	deep_retries = !(argc > 1 && strcmp(argv[1], "without-interposer") == 0);
	flexc_rpc_self = 0;
	flexc_rpc_map_area();
	other = getpid();
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		flexc_rpc_self = 1;
		/* lib's server threads wait for calls, not for a reply: they end with the app however it ends. */
		CHECK(prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() == other);
		flexc_rpc_serve_until_stopped();
		_exit(0);
	}
	other = child;
	flexc_rpc_dispatch_in_background();
	scenarios(NULL);
	for (int t = 0; t < 2; t++)
		CHECK(pthread_create(&threads[t], NULL, scenarios, NULL) == 0);
	for (int t = 0; t < 2; t++)
		CHECK(pthread_join(threads[t], NULL) == 0);
	flexc_rpc_ask_to_stop(1);
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("unwind: ok\n");
	return 0;
}
