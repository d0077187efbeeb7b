/*
 * The transport of the tests that run compartments as two forked processes: the area mapped
 * shared at its address before the fork, futexes for the bells, detached threads for the server
 * threads. Each test defines flexc_transport_alive and flexc_transport_at_thread_exit (and the
 * channel holders) as it needs.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

void *flexc_transport_map_shared(uintptr_t address, size_t size)
{
	void *area = mmap((void *)address, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			  -1, 0);

	return area == MAP_FAILED ? NULL : area;
}

void flexc_transport_notify(int compartment, volatile uint32_t *word)
{
	(void)compartment;
	syscall(SYS_futex, word, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

void flexc_transport_wait(volatile uint32_t *word, uint32_t seen)
{
	struct timespec timeout = { 0, 10 * 1000 * 1000 };

	syscall(SYS_futex, word, FUTEX_WAIT, seen, &timeout, NULL, 0);
}

struct spawned {
	void (*entry)(void *argument);
	void *argument;
};

static void *start(void *given)
{
	struct spawned spawned = *(struct spawned *)given;

	free(given);
	spawned.entry(spawned.argument);
	return NULL;
}

int flexc_transport_spawn(void (*entry)(void *argument), void *argument)
{
	struct spawned *spawned = malloc(sizeof *spawned);
	pthread_t thread;
	int error;

	if (spawned == NULL)
		return ENOMEM;
	spawned->entry = entry;
	spawned->argument = argument;
	error = pthread_create(&thread, NULL, start, spawned);
	if (error == 0)
		pthread_detach(thread);
	return error;
}
