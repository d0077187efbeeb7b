#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib.h"

long add_up(const int *values, int count)
{
	long total = 0;

	for (int i = 0; i < count; i++)
		total += values[i];
	return total;
}

long add_up_request(const struct request *request)
{
	return add_up(request->values, request->count);
}

void *state_alloc(void *old, size_t size)
{
	return realloc(old, size);
}

/* A thread of the program's own: its stack is wherever the C library and the kernel put it. */
static void *sum_on_a_thread(void *unused)
{
	int values[4] = { 5, 6, 7, 8 };
	struct request request = { values, 4 };

	(void)unused;
	printf("thread's request total %ld\n", sum_request(&request));
	return NULL;
}

static void own_fault_handler(int signal)
{
	static const char said[] = "app: its own SIGSEGV handler ran\n";

	(void)signal;
	if (write(STDERR_FILENO, said, sizeof said - 1) < 0)
		_exit(71);
	_exit(70);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "callback") == 0) {
		printf("total %ld\n", sum_with(add_up));
	} else if (strcmp(mode, "callback-request") == 0) {
		printf("request total %ld\n", sum_request_with(add_up_request));
	} else if (strcmp(mode, "survive") == 0) {
		/* Under FLEXC_PROC_ON_CRASH=fail-calls: the library dies of the fault, its calls fail with lib.meta's results. */
		int values[4] = { 1, 2, 3, 4 };
		struct request request = { values, 4 };
		long total;

		errno = 0;
		total = sum_request(&request);
		printf("request total %ld, %s\n", total, errno == ENOTRECOVERABLE ? "ENOTRECOVERABLE" : "answered");
		printf("hit count at %p\n", (const void *)hit_count());
	} else if (strcmp(mode, "greeting") == 0) {
		make_greeting("app");
		printf("%s\n", greeting);
	} else if (strcmp(mode, "stack") == 0) {
		int values[4] = { 1, 2, 3, 4 };
		struct request request = { values, 4 };

		printf("request total %ld\n", sum_request(&request));
	} else if (strcmp(mode, "thread") == 0) {
		pthread_t thread;

		if (pthread_create(&thread, NULL, sum_on_a_thread, NULL) == 0)
			pthread_join(thread, NULL);
	} else if (strcmp(mode, "allocator") == 0) {
		struct state *state = new_state(state_alloc);

		printf("n=%d name=\"%s\"\n", state->n, state->name);
	} else if (strcmp(mode, "global") == 0) {
		printf("hits %d\n", *hit_count());
	} else if (strcmp(mode, "handled") == 0) {
		/* A program with a SIGSEGV handler of its own, as Redis has. */
		struct sigaction action;

		memset(&action, 0, sizeof action);
		action.sa_handler = own_fault_handler;
		sigaction(SIGSEGV, &action, NULL);
		printf("hits %d\n", *hit_count());
	} else if (strcmp(mode, "call") == 0) {
		printf("twice 21 is %d\n", twice_function()(21));
	} else if (strcmp(mode, "lookup") == 0) {
		int (*triple)(int) = (int (*)(int))dlsym(RTLD_DEFAULT, "lib_triple");

		printf("triple 14 is %d\n", triple(14));
	}
	return 0;
}
