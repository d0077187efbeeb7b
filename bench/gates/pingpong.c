/*
 * The physical floor of a cross-process call: a round trip between two processes over a shared
 * page, woken by futex (as the proc backend is) or by busy polling. Prints the median round trip
 * in time-stamp-counter cycles: "futex busy".
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

#define SAMPLES 20001

static unsigned long long samples[SAMPLES];

static int by_value(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return (x > y) - (x < y);
}

static void futex_wait(unsigned int *word, unsigned int value)
{
	while (__atomic_load_n(word, __ATOMIC_SEQ_CST) == value)
		syscall(SYS_futex, word, FUTEX_WAIT, value, NULL, NULL, 0);
}

static void futex_wake(unsigned int *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* One round trip per sample: the parent bumps ping, the child answers on pong. */
static unsigned long long measure(unsigned int *shared, int busy, int rounds)
{
	unsigned int *ping = &shared[0], *pong = &shared[16];
	unsigned int processor;
	pid_t child = fork();

	if (child == 0) {
		for (unsigned int seen = 0;; ) {
			if (busy)
				while (__atomic_load_n(ping, __ATOMIC_SEQ_CST) == seen)
					;
			else
				futex_wait(ping, seen);
			seen = __atomic_load_n(ping, __ATOMIC_SEQ_CST);
			__atomic_store_n(pong, seen, __ATOMIC_SEQ_CST);
			if (!busy)
				futex_wake(pong);
		}
	}
	for (int i = 0; i < rounds; i++) {
		unsigned int next = (unsigned int)i + 1;
		unsigned long long start = __rdtscp(&processor);

		__atomic_store_n(ping, next, __ATOMIC_SEQ_CST);
		if (busy) {
			while (__atomic_load_n(pong, __ATOMIC_SEQ_CST) != next)
				;
		} else {
			futex_wake(ping);
			while (__atomic_load_n(pong, __ATOMIC_SEQ_CST) != next)
				futex_wait(pong, next - 1);
		}
		samples[i] = __rdtscp(&processor) - start;
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	__atomic_store_n(ping, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(pong, 0, __ATOMIC_SEQ_CST);
	qsort(samples, rounds, sizeof samples[0], by_value);
	return samples[rounds / 2];
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : SAMPLES;
	unsigned int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (shared == MAP_FAILED || rounds < 1 || rounds > SAMPLES)
		return 1;
	printf("%llu ", measure(shared, 0, rounds));
	printf("%llu\n", measure(shared, 1, rounds));
	return 0;
}
