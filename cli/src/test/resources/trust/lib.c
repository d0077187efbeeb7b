#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lib.h"

static int hits = 7;

/* A pointer into the library's global. */
const int *hit_count(void)
{
	hits++;
	return &hits;
}

/* A string in the library's heap, which the library keeps (as Lua keeps its strings). */
const char *name_of(int n)
{
	char *name = malloc(32);

	snprintf(name, 32, "name-%d", n);
	return name;
}

/* Reads through a pointer the caller put in a structure: the caller's memory is not the library's to read. */
long read_caller(const struct box *box)
{
	return *box->value + 1;
}

/* Writes into a buffer the caller allocated and handed over. */
void fill_name(char *buffer)
{
	strcpy(buffer, "filled");
}

/* A fork's child changes its own copy of the library's memory (as a BGSAVE child would), never its parent's. */
int forked_hits(void)
{
	pid_t child;

	hits++;
	child = fork();
	if (child == 0) {
		char *name = malloc(32);

		hits += 100;
		strcpy(name, "child");
		_exit(name[0] == 'c' ? 0 : 1);
	}
	if (child > 0)
		waitpid(child, NULL, 0);
	return hits;
}
