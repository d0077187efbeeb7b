/*
 * fork and the call protocol (flexc_rpc.c), with FLEXC_RPC_CHANNELS 4: compartment 0 (this
 * process) calls compartment 1 (a child forked after the shared area was mapped), with a
 * transport of a shared mapping, futexes and robust mutexes as holders, as proc's. Children of
 * compartment 0 call compartment 1 on channels of their own, their calls back coming back to
 * them, while the parent keeps its channel; 40 children in a row, ending by exit, _exit or
 * SIGKILL in the middle of a call, and their channels are taken again (four channels only); a
 * child killed while compartment 1 calls back into it fails that call back instead of leaving
 * compartment 1 waiting for ever; compartment 1 forks and its child calls back into compartment 0;
 * a child forked inside a call that returns from it is stopped; a child's frames from before the
 * fork leave the parent's shadow stack alone. What the runtime says on stderr is checked too.
 * A child that is to be killed says on a pipe when it is where it should be killed.
 * Prints "fork: ok" or the first check that failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "flexc_rpc.h"
#include "flexc_transport.h"

void *flexc_shared_malloc(size_t size);
void *flexc_dss_alloc(size_t size);
void flexc_dss_release(void *slot);

#define CHECK(condition)                                                          \
	do {                                                                      \
		if (!(condition)) {                                               \
			printf("fork: line %d: %s\n", __LINE__, #condition);      \
			fflush(stdout);                                           \
			_exit(1);                                                 \
		}                                                                 \
	} while (0)

int flexc_transport_alive(int compartment)
{
	(void)compartment;
	return 1;
}

#include "test_forked_transport.h"

void flexc_transport_at_thread_exit(void (*function)(void))
{
	(void)function;
}

/* The holders as proc's transport has them: robust mutexes in the shared area. */
void flexc_transport_holder_init(void *holder)
{
	pthread_mutexattr_t attributes;

	pthread_mutexattr_init(&attributes);
	pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(holder, &attributes);
	pthread_mutexattr_destroy(&attributes);
}

void flexc_transport_hold(void *holder)
{
	if (pthread_mutex_lock(holder) == EOWNERDEAD)
		pthread_mutex_consistent(holder);
}

void flexc_transport_let_go(void *holder)
{
	pthread_mutex_unlock(holder);
}

int flexc_transport_holder_ended(void *holder)
{
	int error = pthread_mutex_trylock(holder);

	if (error == EBUSY)
		return 0;
	if (error == EOWNERDEAD)
		pthread_mutex_consistent(holder);
	if (error == 0 || error == EOWNERDEAD)
		pthread_mutex_unlock(holder);
	return error == EOWNERDEAD;
}

static void pause_ms(long milliseconds)
{
	struct timespec time = { milliseconds / 1000, (milliseconds % 1000) * 1000000 };

	nanosleep(&time, NULL);
}

/* A fork whose child dies with this process: a failed check leaves no process holding the test's output. */
static pid_t fork_child(void)
{
	pid_t child = fork();

	if (child == 0)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	return child;
}

/* The process that is compartment 0 at the start; its children are the others running compartment 0's code. */
static pid_t first;

/* A child says on it that it is where its parent kills it. */
static int ready[2];

static void say_ready(void)
{
	if (write(ready[1], "r", 1) != 1)
		_exit(2);
}

static void wait_ready(void)
{
	char byte;

	CHECK(read(ready[0], &byte, 1) == 1);
}

/* Compartment 0's function: which process ran it shows in the result. A child waits when asked to. */
static long whose(long x)
{
	if (x < 0 && getpid() != first) {
		say_ready();
		for (;;)
			pause();
	}
	return getpid() == first ? x : x + 1000;
}

__typeof__(whose) gate_whose;
FLEXC_RPC_GATE(gate_whose, 0, 0, 0, 0);

/* Compartment 1's functions. */

static long add(long a, long b)
{
	return a + b;
}

static long slow(long x)
{
	pause_ms(60);
	return x;
}

static long call_back(long x)
{
	long result;

	errno = 0;
	result = gate_whose(x);

	return errno == ENOTRECOVERABLE ? -1 : result;
}

/* Forks; the child calls back into compartment 0 (the first process, which runs it) and exits with the answer. */
static long fork_here(long x)
{
	pid_t child = fork();
	int status;

	if (child == 0)
		_exit((int)gate_whose(x));
	if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Forks; the child returns from this call, which the protocol stops. */
static long fork_and_return(long x)
{
	pid_t child = fork();
	int status;

	if (child == 0)
		return x;
	if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

__typeof__(add) gate_add;
__typeof__(slow) gate_slow, gate_call_back, gate_fork_here, gate_fork_and_return;
FLEXC_RPC_GATE(gate_add, 1, 0, 0, 0);
FLEXC_RPC_GATE(gate_slow, 1, 1, 0, 0);
FLEXC_RPC_GATE(gate_call_back, 1, 2, 0, 0);
FLEXC_RPC_GATE(gate_fork_here, 1, 3, 0, 0);
FLEXC_RPC_GATE(gate_fork_and_return, 1, 4, 0, 0);

#define FUNCTION(name) ((void (*)(void))name)

static uint64_t calls0[1], calls1[5];
static const struct flexc_rpc_entry entries0[] = { { "whose", "a", FUNCTION(whose), 0, 0 } };
static const struct flexc_rpc_entry entries1[] = {
	{ "add", "b", FUNCTION(add), 0, 0 },
	{ "slow", "b", FUNCTION(slow), 0, 0 },
	{ "call_back", "b", FUNCTION(call_back), 0, 0 },
	{ "fork_here", "b", FUNCTION(fork_here), 0, 0 },
	{ "fork_and_return", "b", FUNCTION(fork_and_return), 0, 0 },
};
const struct flexc_rpc_table flexc_rpc_tables[FLEXC_RPC_COMPARTMENTS] = { { entries0, 1, calls0 },
									  { entries1, 5, calls1 } };
const char *const flexc_rpc_names[FLEXC_RPC_COMPARTMENTS] = { "a", "b" };

static void forked(void)
{
	flexc_rpc_forked();
}

/* A child's calls, and its calls back, are its own; the parent keeps calling meanwhile. */
static void children_call_on_channels_of_their_own(void)
{
	CHECK(gate_add(1, 2) == 3);
	for (int i = 0; i < 40; i++) {
		pid_t child = fork_child();
		int status;

		CHECK(child >= 0);
		if (child == 0) {
			int right = gate_add(i, 100) == i + 100 && gate_call_back(i) == i + 1000;

			if (i % 3 == 0)
				exit(right ? 0 : 1);
			if (i % 3 == 1)
				_exit(right ? 0 : 1);
			say_ready();
			for (;;)
				gate_slow(i); /* killed in the middle of one */
		}
		CHECK(gate_add(i, 1) == i + 1 && gate_call_back(i) == i);
		if (i % 3 == 2) {
			wait_ready();
			pause_ms(20);
			kill(child, SIGKILL);
		}
		CHECK(waitpid(child, &status, 0) == child);
		if (!(i % 3 == 2 ? WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL : WIFEXITED(status) && WEXITSTATUS(status) == 0))
			printf("fork: child %d ended with status 0x%x\n", i, (unsigned)status);
		CHECK(i % 3 == 2 ? WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL
				 : WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	/* The parent's channel stayed its own: a callback still comes back here. */
	CHECK(gate_call_back(7) == 7);
}

/* A child killed while compartment 1 waits for its call back: that call fails, and compartment 1 goes on. */
static void a_call_back_into_a_killed_child_fails(void)
{
	for (int i = 0; i < 6; i++) {
		pid_t child = fork_child();
		int status;

		CHECK(child >= 0);
		if (child == 0) {
			gate_call_back(-1); /* whose(-1) waits for ever in the child */
			_exit(1);
		}
		wait_ready();
		pause_ms(20);
		kill(child, SIGKILL);
		CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status));
		pause_ms(50);
	}
	CHECK(gate_add(2, 2) == 4);
}

static void a_callee_that_forks(void)
{
	CHECK(gate_fork_here(21) == 21);
	CHECK(gate_fork_and_return(5) == 127);
	CHECK(gate_add(3, 4) == 7);
}

/* The shadow stack: a child releasing a local from before the fork leaves the parent's alone. */
static void a_childs_old_locals_stay_on_the_parents_shadow_stack(void)
{
	void *slot = flexc_dss_alloc(32);
	pid_t child;
	int status;

	child = fork_child();
	CHECK(child >= 0);
	if (child == 0) {
		void *own;

		CHECK(gate_add(1, 1) == 2);
		flexc_dss_release(&slot);
		own = flexc_dss_alloc(16);
		flexc_dss_release(&own);
		_exit(own != slot && flexc_dss_alloc(16) == own ? 0 : 1);
	}
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(flexc_dss_alloc(16) == (char *)slot + 32);
}

static const char said[] =
	"flexc: compartment 1 (b): the thread of compartment 0 (a) it was calling back ended (its process exited or was"
	" killed); the call fails with ENOTRECOVERABLE\n";
static const char returned[] =
	"flexc: compartment 1 (b): a process forked inside a call from compartment 0 (a) returned from that call, whose"
	" caller is not in its process; it exits (a child forked in a callee must end with exit, _exit or exec before it"
	" returns)\n";

static int occurrences(const char *text, const char *line)
{
	int count = 0;

	for (const char *at = strstr(text, line); at != NULL; at = strstr(at + 1, line))
		count++;
	return count;
}

int main(void)
{
	FILE *log = tmpfile();
	char text[4096];
	size_t length;
	pid_t child;
	int status;

	CHECK(FLEXC_RPC_CHANNELS == 4);
	CHECK(log != NULL && dup2(fileno(log), STDERR_FILENO) == STDERR_FILENO);
	first = getpid();
	CHECK(pipe(ready) == 0);
	flexc_rpc_self = 0;
	flexc_rpc_map_area();
	flexc_rpc_prepare_channels();
	CHECK(pthread_atfork(NULL, NULL, forked) == 0);
	child = fork_child();
	CHECK(child >= 0);
	if (child == 0) {
		flexc_rpc_self = 1;
		flexc_rpc_serve_until_stopped();
		_exit(0);
	}
	/* Calls into compartment 0 on channels it does not serve yet (compartment 1's children make them). */
	flexc_rpc_dispatch_in_background();
	children_call_on_channels_of_their_own();
	a_call_back_into_a_killed_child_fails();
	a_callee_that_forks();
	a_childs_old_locals_stay_on_the_parents_shadow_stack();
	flexc_rpc_ask_to_stop(1);
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fflush(stderr);
	length = (size_t)pread(fileno(log), text, sizeof text - 1, 0);
	text[length] = 0;
	/* Compartment 1's lines come when it notices, in any order with the others. */
	if (!(length == 6 * strlen(said) + strlen(returned) && occurrences(text, said) == 6 &&
	      occurrences(text, returned) == 1))
		printf("fork: stderr was:\n%s", text);
	CHECK(length == 6 * strlen(said) + strlen(returned));
	CHECK(occurrences(text, said) == 6 && occurrences(text, returned) == 1);
	printf("fork: ok\n");
	return 0;
}
