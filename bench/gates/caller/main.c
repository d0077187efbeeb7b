/*
 * Times calls to bench_increment with rdtscp: the median of many single calls, and the median of
 * an empty measurement (rdtscp's own cost), in cycles of the time-stamp counter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <x86intrin.h>

#define SAMPLES 20001

int bench_increment(int x);

static int by_value(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return (x > y) - (x < y);
}

static unsigned long long samples[SAMPLES];

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : SAMPLES;
	unsigned int processor;
	volatile int sink = 0;
	unsigned long long empty;

	if (rounds < 1 || rounds > SAMPLES)
		rounds = SAMPLES;
	for (int i = 0; i < 1000; i++)
		sink = bench_increment(sink);
	for (int i = 0; i < rounds; i++) {
		unsigned long long start = __rdtscp(&processor);

		samples[i] = __rdtscp(&processor) - start;
	}
	qsort(samples, rounds, sizeof samples[0], by_value);
	empty = samples[rounds / 2];
	for (int i = 0; i < rounds; i++) {
		unsigned long long start = __rdtscp(&processor);

		sink = bench_increment(sink);
		samples[i] = __rdtscp(&processor) - start;
	}
	qsort(samples, rounds, sizeof samples[0], by_value);
	printf("%llu %llu\n", samples[rounds / 2], empty);
	return sink == 0;
}
