/*
 * A cooperative scheduler with run-to-completion threads.
 *
 * A thread is an entry function and its argument. Each turn calls the entry once, and the entry
 * returning is the thread yielding; it keeps its state in its argument and leaves the run queue
 * with thread_remove. The main program gives up the processor with schedcoop_yield, which gives
 * every thread one turn, in the order they were added.
 *
 * Threads have no stacks of their own, on purpose: split by flexc's proc backend, the entries run
 * in the application's process while the run queue lives in this one. Switching stacks here
 * (ucontext) would switch only this process's stack, and gates nest calls strictly (the
 * application calls yield, yield calls a thread, the thread calls thread_remove), which a switch
 * to another thread's half-finished call would break.
 *
 * As meta/sched.meta says, this code touches only its own memory and what the allocator gives
 * it, and calls nothing but the allocator: control blocks come from uk_malloc.
 */
#include <stddef.h>

#include "../alloc/alloc.h"
#include "sched.h"

struct thread {
	int tid;
	int removed;
	void (*entry)(void *);
	void *arg;
	struct thread *next;
};

/* Threads in the order they were added; removed ones are unlinked after the round. */
static struct thread *run_queue;
static struct thread **run_queue_end = &run_queue;
static int last_tid;
/* A yield from inside a thread's turn would run that thread again, nested in itself. */
static int round_running;

int thread_add(void (*entry)(void *), void *arg)
{
	struct thread *thread;

	if (!entry)
		return -1;
	thread = uk_malloc(sizeof *thread);
	if (!thread)
		return -1;
	thread->tid = ++last_tid;
	thread->removed = 0;
	thread->entry = entry;
	thread->arg = arg;
	thread->next = NULL;
	*run_queue_end = thread;
	run_queue_end = &thread->next;
	return thread->tid;
}

/* Only marks the thread: it may be the one whose turn is running. */
void thread_remove(int tid)
{
	for (struct thread *thread = run_queue; thread; thread = thread->next) {
		if (thread->tid == tid) {
			thread->removed = 1;
			return;
		}
	}
}

static void unlink_removed_threads(void)
{
	struct thread **link = &run_queue;

	while (*link) {
		struct thread *thread = *link;

		if (thread->removed) {
			*link = thread->next;
			uk_free(thread);
		} else {
			link = &thread->next;
		}
	}
	run_queue_end = link;
}

void schedcoop_yield(void)
{
	if (round_running)
		return;
	round_running = 1;
	for (struct thread *thread = run_queue; thread; thread = thread->next) {
		if (!thread->removed)
			thread->entry(thread->arg);
	}
	round_running = 0;
	unlink_removed_threads();
}
