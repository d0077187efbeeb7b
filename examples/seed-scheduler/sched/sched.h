/* The cooperative scheduler's API (meta/sched.meta). */
#ifndef SCHED_H
#define SCHED_H

int thread_add(void (*entry)(void *), void *arg);
void thread_remove(int tid);
void schedcoop_yield(void);

#endif
