#include <stdlib.h>
#include <string.h>
#include "lib.h"

static int hits = 7;

/* The callback reads the library's local buffer. */
long sum_with(long (*callback)(const int *values, int count))
{
	int values[8];

	for (int i = 0; i < 8; i++)
		values[i] = i + 1;
	hits++;
	return callback(values, 8);
}

/*
 * The request handed to the callback moves to shared memory (its address is an argument), but the
 * array it points to stays on the library's stack: no rewrite can see that pointer.
 */
long sum_request_with(long (*callback)(const struct request *request))
{
	int values[3];
	struct request request;

	for (int i = 0; i < 3; i++)
		values[i] = 10 * (i + 1);
	request.values = values;
	request.count = 3;
	return callback(&request);
}

/* Reads the caller's array through the request's pointer. */
long sum_request(const struct request *request)
{
	long total = 0;

	for (int i = 0; i < request->count; i++)
		total += request->values[i];
	return total;
}

/* lua_newstate(l_alloc, ...): the state comes from the caller's allocator, the library fills it in. */
struct state *new_state(allocator allocate)
{
	struct state *state = allocate(NULL, sizeof *state);

	state->n = 42;
	strcpy(state->name, "state");
	hits++;
	return state;
}

/* lua_tolstring: a pointer into the library's own memory. */
const int *hit_count(void)
{
	hits++;
	return &hits;
}

static int twice(int x)
{
	return 2 * x;
}

/*
 * Found by name at run time only (dlsym): no relocation takes its address, so no entry gate can
 * stand in for it.
 */
int lib_triple(int x);

int lib_triple(int x)
{
	return 3 * x;
}

/* A function pointer returned, not passed: its entry gate takes the call into this compartment. */
operation twice_function(void)
{
	hits++;
	return twice;
}

char *greeting;

void make_greeting(const char *name)
{
	greeting = malloc(strlen(name) + 7);
	strcpy(greeting, "hello ");
	strcat(greeting, name);
}
