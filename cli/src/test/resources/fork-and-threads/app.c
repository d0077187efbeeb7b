/*
 * fork and threads across compartments: each mode prints what it saw, the same in one process
 * (fcall) and across processes (proc).
 *   bgsave  150 children in a row, each walking the store (which calls back into the child) and
 *           ending by exit or _exit, while the parent keeps reading the store;
 *   kill    children killed by SIGKILL in the middle of their calls, then more children;
 *   callee  the store forks, and its child calls the program back;
 *   exec    a child that called the store, then runs another program;
 *   threads 80 threads that are all in calls to the store at once.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "store.h"

#define THREADS 80

static long visited;

void visit(int key, int value)
{
	__atomic_add_fetch(&visited, (long)key * value, __ATOMIC_SEQ_CST);
}

int note(int value)
{
	return 2 * value;
}

static void fill(void)
{
	for (int key = 1; key <= 10; key++)
		store_put(key, key * key);
}

static void pause_ms(long milliseconds)
{
	struct timespec time = { 0, milliseconds * 1000 * 1000 };

	nanosleep(&time, NULL);
}

static int bgsave(void)
{
	int saved = 0, walked;
	long read = 0;

	fill();
	for (int i = 0; i < 150; i++) {
		pid_t child = fork();
		int status;

		if (child < 0)
			return 1;
		if (child == 0) {
			int right;

			visited = 0;
			right = store_each(visit) == 10 && visited == 3025 && store_get(3) == 9;
			if (i % 2 == 0)
				exit(right ? 0 : 1);
			_exit(right ? 0 : 1);
		}
		for (int key = 0; key < 16; key++)
			read += store_get(key);
		if (waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			saved++;
	}
	visited = 0;
	walked = store_each(visit);
	printf("bgsave: %d of 150 children walked the store, 10 entries weighing 3025; the parent read %ld meanwhile, and"
	       " walks %d entries weighing %ld\n", saved, read, walked, visited);
	return 0;
}

static int kill_children(void)
{
	int killed = 0, ended = 0;

	fill();
	for (int i = 0; i < 40; i++) {
		pid_t child = fork();
		int status;

		if (child < 0)
			return 1;
		if (child == 0) {
			if (i % 2 == 0)
				for (;;)
					store_slow_get(i);
			_exit(store_get(i) == (i % 16 >= 1 && i % 16 <= 10 ? (i % 16) * (i % 16) : 0) ? 0 : 1);
		}
		if (i % 2 == 0) {
			pause_ms(20);
			kill(child, SIGKILL);
		}
		if (waitpid(child, &status, 0) != child)
			return 1;
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			killed++;
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			ended++;
	}
	printf("kill: %d children killed in their calls, %d ended well; the store still answers %d\n", killed, ended,
	       store_get(4));
	return 0;
}

static int callee(void)
{
	store_put(1, 5);
	printf("callee: the store's child noted %d\n", store_fork_and_note(note, 10));
	return 0;
}

static int exec(void)
{
	pid_t child;
	int status;

	fill();
	fflush(stdout);
	child = fork();
	if (child == 0) {
		if (store_get(2) != 4)
			_exit(1);
		execl("/bin/sh", "sh", "-c", "echo exec: the child runs sh", (char *)NULL);
		_exit(127);
	}
	if (child < 0 || waitpid(child, &status, 0) != child)
		return 1;
	printf("exec: the child exited with %d; the store still answers %d\n", WEXITSTATUS(status), store_get(2));
	return 0;
}

static pthread_barrier_t together;

/* Every thread is in the middle of its calls when the others make theirs: each holds its channel. */
static void *reader(void *argument)
{
	long key = (long)argument;
	long got = store_get((int)key);

	store_each(visit);
	pthread_barrier_wait(&together);
	return (void *)(got + store_get((int)key));
}

static int threads(void)
{
	pthread_t thread[THREADS];
	long total = 0;

	fill();
	visited = 0;
	pthread_barrier_init(&together, NULL, THREADS);
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&thread[i], NULL, reader, (void *)i) != 0)
			return 1;
	for (int i = 0; i < THREADS; i++) {
		void *got;

		pthread_join(thread[i], &got);
		total += (long)got;
	}
	printf("threads: %d threads read %ld and walked %ld\n", THREADS, total, visited);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "bgsave") == 0)
		return bgsave();
	if (strcmp(mode, "kill") == 0)
		return kill_children();
	if (strcmp(mode, "callee") == 0)
		return callee();
	if (strcmp(mode, "exec") == 0)
		return exec();
	if (strcmp(mode, "threads") == 0)
		return threads();
	fprintf(stderr, "usage: forks bgsave|kill|callee|exec|threads\n");
	return 2;
}
