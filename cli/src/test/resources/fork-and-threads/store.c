#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "store.h"

#define KEYS 16

static int values[KEYS];

int store_put(int key, int value)
{
	int old = values[key % KEYS];

	values[key % KEYS] = value;
	return old;
}

int store_get(int key)
{
	return values[key % KEYS];
}

/* Long enough that a child killed while it calls this is killed in the middle of the call. */
int store_slow_get(int key)
{
	struct timespec pause = { 0, 1000 * 1000 };

	nanosleep(&pause, NULL);
	return values[key % KEYS];
}

int store_each(void (*visit)(int key, int value))
{
	int count = 0;

	for (int key = 0; key < KEYS; key++)
		if (values[key] != 0) {
			visit(key, values[key]);
			count++;
		}
	return count;
}

/* The store forks: its child calls the program back and ends with the answer. */
int store_fork_and_note(int (*note)(int value), int value)
{
	pid_t child = fork();
	int status;

	if (child == 0)
		_exit(note(value + values[1]));
	if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}
