/*
 * A library that hands its callers pointers the way real C libraries do: its local buffer to a
 * callback, a state from a caller's allocator, a pointer to its own global, a function of its own.
 */
#include <stddef.h>

struct state {
	int n;
	char name[16];
};

struct request {
	const int *values;
	int count;
};

typedef void *(*allocator)(void *old, size_t size);
typedef int (*operation)(int);

long sum_with(long (*callback)(const int *values, int count));
long sum_request(const struct request *request);
long sum_request_with(long (*callback)(const struct request *request));
struct state *new_state(allocator allocate);
const int *hit_count(void);
operation twice_function(void);

/* A global the caller reads directly, pointing at a buffer the library allocates. */
extern char *greeting;
void make_greeting(const char *name);
