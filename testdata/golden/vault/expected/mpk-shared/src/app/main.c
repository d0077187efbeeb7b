/* flexc: the shared-memory runtime that the rewrites in this file use. */
extern void *flexc_shared_malloc(__SIZE_TYPE__ size);
extern void *flexc_shared_calloc(__SIZE_TYPE__ count, __SIZE_TYPE__ size);
extern void *flexc_shared_realloc(void *pointer, __SIZE_TYPE__ size);
extern void flexc_shared_free(void *pointer);
extern void *flexc_shared_alloc(__SIZE_TYPE__ size);
extern void flexc_shared_release(void *slot);
extern void *flexc_dss_alloc(__SIZE_TYPE__ size);
extern void flexc_dss_release(void *slot);

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vault/vault.h"

static long total;

static void add_up(int index, long value)
{
	printf("  entry %d = %ld\n", index, value);
	total += value;
}
/* flexc: a global name for static add_up, which compartment 1 calls back through a gate */
extern __typeof__(add_up) flexc_static_app_main_add_up __attribute__((alias("add_up")));

static const char *const names[] = { "key1", "key2", "key3", "key4" };
static long visited_in[4];
static __thread long visited;

/* The vault calls back into the program on the thread that called it: its own thread-local sum. */
static void visit_in_thread(int index, long value)
{
	(void)index;
	visited += value;
}
/* flexc: a global name for static visit_in_thread, which compartment 1 calls back through a gate */
extern __typeof__(visit_in_thread) flexc_static_app_main_visit_in_thread __attribute__((alias("visit_in_thread")));

/*
 * A thread that asks the vault for one entry many times, and has it visit every entry, calling
 * back into the program, a hundred times: calls from several threads at once, nested ones too.
 */
extern __typeof__(vault_lookup) flexc_gate_c0_vault_lookup; /* flexc gate */
extern __typeof__(vault_each) flexc_gate_c0_vault_each; /* flexc gate */
extern __typeof__(visit_in_thread) flexc_gate_c1_flexc_static_app_main_visit_in_thread; /* flexc gate */
static void *reader(void *number)
{
	int i = (int)(intptr_t)number;
	long sum = 0;

	for (int n = 0; n < 1000; n++)
		sum += flexc_gate_c0_vault_lookup(names[i]);
	for (int n = 0; n < 100; n++)
		flexc_gate_c0_vault_each(flexc_gate_c1_flexc_static_app_main_visit_in_thread);
	visited_in[i] = visited;
	return (void *)(intptr_t)sum;
}

static void read_in_threads(void)
{
	pthread_t threads[4];

	for (int i = 0; i < 4; i++)
		if (pthread_create(&threads[i], NULL, reader, (void *)(intptr_t)i) != 0) {
			printf("pthread_create failed\n");
			return;
		}
	for (int i = 0; i < 4; i++) {
		void *sum;

		pthread_join(threads[i], &sum);
		printf("thread %d: %s summed to %ld, the vault's entries to %ld\n", i, names[i], (long)(intptr_t)sum,
		       visited_in[i]);
	}
}

extern __typeof__(vault_store) flexc_gate_c0_vault_store; /* flexc gate */
extern __typeof__(vault_lookup) flexc_gate_c0_vault_lookup; /* flexc gate */
extern __typeof__(vault_average) flexc_gate_c0_vault_average; /* flexc gate */
extern __typeof__(vault_stats) flexc_gate_c0_vault_stats; /* flexc gate */
extern __typeof__(vault_blend) flexc_gate_c0_vault_blend; /* flexc gate */
extern __typeof__(vault_each) flexc_gate_c0_vault_each; /* flexc gate */
extern __typeof__(add_up) flexc_gate_c1_flexc_static_app_main_add_up; /* flexc gate */
extern __typeof__(vault_secret_address) flexc_gate_c0_vault_secret_address; /* flexc gate */
extern __typeof__(vault_copy_secret) flexc_gate_c0_vault_copy_secret; /* flexc gate */
extern __typeof__(vault_borrow_rights) flexc_gate_c0_vault_borrow_rights; /* flexc gate */
int main(int argc, char **argv)
{
	struct vault_stats stats;
	char (*flexc_shared_name)[16] __attribute__((cleanup(flexc_dss_release))) = flexc_dss_alloc(sizeof(*flexc_shared_name));
	long missing;

	for (int i = 1; i <= 5; i++) {
		snprintf((*flexc_shared_name), sizeof (*flexc_shared_name), "key%d", i);
		flexc_gate_c0_vault_store((*flexc_shared_name), i * 100L);
	}
	printf("key3 -> %ld\n", flexc_gate_c0_vault_lookup("key3"));
	errno = 0;
	missing = flexc_gate_c0_vault_lookup("missing");
	printf("missing -> %ld (%s)\n", missing, errno == ENOENT ? "errno ENOENT" : "errno lost");
	printf("average %.2f\n", flexc_gate_c0_vault_average());
	stats = flexc_gate_c0_vault_stats();
	printf("entries %d, smallest %ld, largest %ld\n", stats.entries, stats.smallest, stats.largest);
	printf("blend %.2f\n", flexc_gate_c0_vault_blend(1, 2, 3.5, 4.25f, stats, 'x', 7, 8, 9.75));
	flexc_gate_c0_vault_each(flexc_gate_c1_flexc_static_app_main_add_up);
	printf("total %ld\n", total);
	if (argc > 1 && strcmp(argv[1], "violate") == 0) {
		long *secret = flexc_gate_c0_vault_secret_address();

		printf("writing into the vault's memory from the program\n");
		fflush(stdout);
		*secret = 0;
		printf("the write went through: no isolation\n");
	}
	if (argc > 1 && strcmp(argv[1], "smuggle") == 0) {
		/* A pointer to the program's own memory, handed to the vault, which writes through it. */
		long *where = &total;

		printf("letting the vault write into the program's memory\n");
		fflush(stdout);
		flexc_gate_c0_vault_copy_secret(where);
		printf("the vault wrote %ld: no isolation\n", total);
	}
	if (argc > 1 && strcmp(argv[1], "threads") == 0)
		read_in_threads();
	if (argc > 1 && strcmp(argv[1], "stack") == 0) {
		/*
		 * A pointer to one of the program's locals, which the vault writes through. It reaches the
		 * gate in a variable, so it is not moved to shared memory: the vault can only write it when
		 * compartments share their stacks.
		 */
		long local = 7;
		long *volatile where = &local;

		printf("letting the vault write into the program's stack\n");
		fflush(stdout);
		flexc_gate_c0_vault_copy_secret(where);
		printf("the vault wrote %ld into the stack: stacks are shared\n", local);
	}
	if (argc > 1 && strcmp(argv[1], "heap") == 0) {
		/*
		 * A block of the program's heap, which the vault writes through. It reaches the gate in
		 * another variable, so flexc does not see it shared and leaves it on the program's heap.
		 */
		long *block = malloc(sizeof *block);
		long *volatile where = block;

		printf("letting the vault write into the program's heap\n");
		fflush(stdout);
		flexc_gate_c0_vault_copy_secret(where);
		printf("the vault wrote %ld into the heap: heaps are shared\n", *block);
		free(block);
	}
	if (argc > 1 && strcmp(argv[1], "borrow") == 0) {
		/* The vault, taken over, calls the program's gate into the vault, then writes into the program. */
		long *where = &total;

		printf("letting the vault call the program's gate\n");
		fflush(stdout);
		if (flexc_gate_c0_vault_borrow_rights(where) == 0)
			printf("the vault came back with the program's rights and wrote %ld\n", total);
	}
	if (argc > 2 && strcmp(argv[1], "forge") == 0) {
		/*
		 * The vault, taken over, writes where an attacker who knows the binary aims: argv[2] is an
		 * address, or "tp" and an offset from this thread's thread pointer (into its TLS). Then the
		 * vault calls back into the program, which runs wherever the runtime's records say.
		 */
		char *target = strncmp(argv[2], "tp", 2) == 0
				       ? (char *)__builtin_thread_pointer() + strtol(argv[2] + 2, NULL, 0)
				       : (char *)(uintptr_t)strtoull(argv[2], NULL, 0);

		printf("letting the vault write at %p\n", (void *)target);
		fflush(stdout);
		flexc_gate_c0_vault_copy_secret((long *)target);
		printf("the vault wrote there\n");
		flexc_gate_c0_vault_each(flexc_gate_c1_flexc_static_app_main_add_up);
		printf("total %ld\n", total);
	}
	return 0;
}
