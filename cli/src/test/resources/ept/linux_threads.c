/*
 * What a unikernel's platform gives the ept transport besides the hypervisor's device, for ept
 * images run as Linux programs (as processes in a test, or in Linux guests): the image's threads
 * are POSIX threads, interrupts are not the program's to mask, and a halt sleeps 50 microseconds,
 * since no doorbell reaches a Linux program: waiting polls.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include "flexc_hypervisor.h"

void flexc_kvm_irq_disable(void) {}
void flexc_kvm_irq_enable(void) {}
void flexc_kvm_safe_halt(void) { usleep(50); }

struct start { void (*entry)(void *); void *argument; };

static void *run(void *start)
{
	struct start copy = *(struct start *)start;
	free(start);
	copy.entry(copy.argument);
	return NULL;
}

int flexc_ept_thread_create(void (*entry)(void *argument), void *argument)
{
	struct start *start = malloc(sizeof *start);
	pthread_t thread;
	if (start == NULL) return 1;
	start->entry = entry;
	start->argument = argument;
	int error = pthread_create(&thread, NULL, run, start);
	if (error == 0) pthread_detach(thread);
	return error;
}

void flexc_ept_thread_yield(void) { sched_yield(); }

/* A key's destructor runs when the thread ends: the channel goes back to the pool. */
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static void (*at_exit)(void);

static void thread_ended(void *unused)
{
	(void)unused;
	at_exit();
}

static void make_exit_key(void)
{
	pthread_key_create(&exit_key, thread_ended);
}

void flexc_ept_thread_at_exit(void (*function)(void))
{
	at_exit = function;
	pthread_once(&exit_key_once, make_exit_key);
	pthread_setspecific(exit_key, (void *)1);
}
