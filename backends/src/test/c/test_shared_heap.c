/*
 * The shared heap (flexc_shared_heap.c) on a shared area of plain shared memory: blocks are
 * aligned and distinct, a freed block is reused, freed neighbours merge into one block as large as
 * the heap again, bins give way when a large block is needed, four threads allocate and free at
 * once, a forked process (compartment 1) frees a block of the first process's and allocates its
 * own, each compartment's bytes and blocks are counted, and a process waiting for the lock of a
 * holder that died ends with status 125. Prints "shared heap: ok" or the first
 * check that failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "flexc_rpc.h"
#include "flexc_transport.h"

void *flexc_shared_malloc(size_t size);
void *flexc_shared_calloc(size_t count, size_t size);
void *flexc_shared_realloc(void *pointer, size_t size);
void flexc_shared_free(void *pointer);
size_t flexc_shared_usable(const void *pointer);

#define CHECK(condition)                                                              \
	do {                                                                          \
		if (!(condition)) {                                                   \
			printf("shared heap: line %d: %s\n", __LINE__, #condition);   \
			exit(1);                                                      \
		}                                                                     \
	} while (0)

int flexc_rpc_self;
const char *const flexc_rpc_names[FLEXC_RPC_COMPARTMENTS] = { "app", "lib" };

/* What flexc_shared_heap.c needs of flexc_rpc.c: the heap's memory, here all of a shared mapping. */
unsigned char *flexc_rpc_shared_heap(size_t *size)
{
	*size = FLEXC_RPC_AREA_SIZE;
	return (unsigned char *)FLEXC_RPC_AREA_ADDRESS;
}

static void map_area(void)
{
	CHECK(mmap((void *)FLEXC_RPC_AREA_ADDRESS, FLEXC_RPC_AREA_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) == (void *)FLEXC_RPC_AREA_ADDRESS);
}

static void blocks_are_aligned_distinct_and_reused(void)
{
	char *a = flexc_shared_malloc(3);
	char *b = flexc_shared_calloc(4, 8);
	char *c;

	CHECK(a != NULL && b != NULL);
	CHECK((uintptr_t)a % 16 == 0 && (uintptr_t)b % 16 == 0);
	CHECK(b >= a + 16);
	for (int i = 0; i < 32; i++)
		CHECK(b[i] == 0);
	CHECK(flexc_shared_usable(a) == 16);
	flexc_shared_free(a);
	CHECK(flexc_shared_usable(a) == 0); /* freed: no longer the heap's to the program */
	c = flexc_shared_malloc(10);
	CHECK(c == a); /* the bin of its size */
	strcpy(c, "kept");
	c = flexc_shared_realloc(c, 4000);
	CHECK(c != NULL && strcmp(c, "kept") == 0);
	flexc_shared_free(c);
	flexc_shared_free(b);
	flexc_shared_free(b + 5); /* not a block: left alone */
	errno = 0;
	CHECK(flexc_shared_malloc(FLEXC_RPC_AREA_SIZE) == NULL);
	CHECK(errno == ENOMEM);
	CHECK(flexc_shared_calloc(SIZE_MAX / 2, 4) == NULL);
}

/* Everything freed, the heap is one block again: a block of nearly all of it fits, bins and all. */
static void freed_neighbours_merge(void)
{
	enum { COUNT = 1000 };
	static void *blocks[COUNT];
	void *whole;

	for (int i = 0; i < COUNT; i++)
		CHECK((blocks[i] = flexc_shared_malloc(i % 2 ? 48 : 5000)) != NULL);
	for (int i = 0; i < COUNT; i += 2)
		flexc_shared_free(blocks[i]);
	for (int i = 1; i < COUNT; i += 2)
		flexc_shared_free(blocks[i]);
	whole = flexc_shared_malloc(FLEXC_RPC_AREA_SIZE - 4096);
	CHECK(whole != NULL);
	flexc_shared_free(whole);
}

static void *churn(void *seed)
{
	unsigned state = (unsigned)(uintptr_t)seed;
	void *held[64] = { 0 };

	for (int round = 0; round < 20000; round++) {
		int slot = (int)((state = state * 1103515245u + 12345u) >> 16) % 64;

		if (held[slot] != NULL) {
			CHECK(*(unsigned *)held[slot] == (unsigned)slot * 7919u);
			flexc_shared_free(held[slot]);
			held[slot] = NULL;
		} else {
			held[slot] = flexc_shared_malloc(16 + (state >> 8) % 3000);
			CHECK(held[slot] != NULL);
			*(unsigned *)held[slot] = (unsigned)slot * 7919u;
		}
	}
	for (int slot = 0; slot < 64; slot++)
		flexc_shared_free(held[slot]);
	return NULL;
}

static void threads_allocate_at_once(void)
{
	pthread_t threads[4];

	for (uintptr_t i = 0; i < 4; i++)
		CHECK(pthread_create(&threads[i], NULL, churn, (void *)(i + 1)) == 0);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_join(threads[i], NULL) == 0);
}

static void read_stats(char *text, size_t size)
{
	FILE *file = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t got;

	CHECK(file != NULL && saved >= 0);
	fflush(stderr);
	dup2(fileno(file), STDERR_FILENO);
	flexc_shared_heap_stats();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(file);
	got = fread(text, 1, size - 1, file);
	text[got] = 0;
	fclose(file);
}

static void another_process_frees_and_allocates(void)
{
	char *mine = flexc_shared_malloc(100);
	char stats[512];
	pid_t child;
	int status;

	strcpy(mine, "from app");
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		char *own;

		flexc_rpc_self = 1;
		if (strcmp(mine, "from app") != 0)
			_exit(2);
		flexc_shared_free(mine);
		own = flexc_shared_malloc(200);
		if (own == NULL)
			_exit(3);
		strcpy(own, "from lib");
		_exit(0);
	}
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	read_stats(stats, sizeof stats);
	CHECK(strcmp(stats, "flexc: shared heap: compartment 0 (app) holds 0 bytes in 0 blocks\n"
			    "flexc: shared heap: compartment 1 (lib) holds 208 bytes in 1 blocks\n") == 0);
}

/* The lock word held by a process that is gone (a crash inside the allocator): a waiter ends the program, not waits for ever. */
static void a_holder_that_died_ends_the_wait(void)
{
	uint32_t *lock = (uint32_t *)FLEXC_RPC_AREA_ADDRESS; /* the heap's record starts with it */
	pid_t dead = fork();
	pid_t waiter;
	int status;

	CHECK(dead >= 0);
	if (dead == 0)
		_exit(0);
	CHECK(waitpid(dead, &status, 0) == dead);
	waiter = fork();
	CHECK(waiter >= 0);
	if (waiter == 0) {
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(2);
		*lock = (uint32_t)dead;
		flexc_shared_malloc(8);
		_exit(0);
	}
	CHECK(waitpid(waiter, &status, 0) == waiter && WIFEXITED(status) && WEXITSTATUS(status) == 125);
	*lock = 0;
}

int main(void)
{
	map_area();
	blocks_are_aligned_distinct_and_reused();
	freed_neighbours_merge();
	threads_allocate_at_once();
	another_process_frees_and_allocates();
	a_holder_that_died_ends_the_wait();
	printf("shared heap: ok\n");
	return 0;
}
