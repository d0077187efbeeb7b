/*
 * Errors that unwind across the library's gate: the library's protected call calls the
 * program back through a function pointer, the callback raises the library's error, which
 * longjmps in the library to its protected call, leaving the callback's frames (and, on proc,
 * the program's process waiting in them). At 1, 2 and 3 callback frames, inside another
 * protected call, with a retry after the error, with the program jumping out of a callback
 * itself; 1000 times each, on the main thread and then on two threads at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>

#include "prot.h"

/* depth frames of the program's between the protected call and the error. */
long fail_at(long depth)
{
	if (depth <= 1)
		prot_error(7);
	return prot_call_back(fail_at, depth - 1) + 1;
}

/* A protected call inside a protected call: the inner one catches the error, the outer goes on. */
long nested(long depth)
{
	return prot_call(fail_at, depth) - 1000;
}

long flaky(long failing)
{
	if (failing)
		prot_error(5);
	return 4;
}

long succeed(long argument)
{
	return argument + 1;
}

static __thread jmp_buf out;

/* The program's own error: a longjmp out of its call into the library. */
long escape(long argument)
{
	longjmp(out, (int)argument);
}

static void *work(void *result)
{
	volatile long sum = 0;

	for (int i = 0; i < 1000; i++) {
		for (long depth = 1; depth <= 3; depth++) {
			sum += prot_call(fail_at, depth);
			sum += prot_call(nested, depth);
		}
		sum += prot_retry(flaky, i % 8);
		sum += prot_call(succeed, i);
		if (setjmp(out) == 0)
			sum += prot_call_back(escape, 3);
		else
			sum += 3;
	}
	*(long *)result = sum;
	return NULL;
}

int main(void)
{
	long sums[3];
	pthread_t threads[2];

	work(&sums[0]);
	for (int t = 0; t < 2; t++)
		pthread_create(&threads[t], NULL, work, &sums[t + 1]);
	for (int t = 0; t < 2; t++)
		pthread_join(threads[t], NULL);
	printf("main %ld, thread 1 %ld, thread 2 %ld\n", sums[0], sums[1], sums[2]);
	return 0;
}
