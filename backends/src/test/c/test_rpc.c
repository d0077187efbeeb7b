/*
 * The call protocol (flexc_rpc.c, with its ABI layer) in one process that is compartment 0 of
 * one: a transport of plain memory, a table of one function, and calls that compartment 0 makes
 * to itself by hand (a gate would call directly), which the caller's wait loop serves. Prints "rpc: ok" or the first check that failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "flexc_rpc.h"
#include "flexc_transport.h"

void *flexc_shared_malloc(size_t size);
void *flexc_shared_calloc(size_t count, size_t size);
void *flexc_dss_alloc(size_t size);
void flexc_dss_release(void *slot);

#define CHECK(condition)                                                          \
	do {                                                                      \
		if (!(condition)) {                                               \
			printf("rpc: line %d: %s\n", __LINE__, #condition);       \
			exit(1);                                                  \
		}                                                                 \
	} while (0)

void *flexc_transport_map_shared(uintptr_t address, size_t size)
{
	void *area = mmap((void *)address, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			  -1, 0);

	return area == MAP_FAILED ? NULL : area;
}

void flexc_transport_notify(int compartment, volatile uint32_t *word)
{
	(void)compartment;
	(void)word;
}

void flexc_transport_wait(volatile uint32_t *word, uint32_t seen)
{
	(void)word;
	(void)seen;
}

int flexc_transport_alive(int compartment)
{
	return compartment == 0;
}

int flexc_transport_spawn(void (*entry)(void *argument), void *argument)
{
	(void)entry;
	(void)argument;
	return ENOSYS;
}

void flexc_transport_at_thread_exit(void (*function)(void))
{
	(void)function;
}

/* One process: no thread ends without giving its channel back. */
#include "test_no_holder.h"

/* The one exported function: adds its two arguments and sets errno, which travels back. */
static long add(char a, long b)
{
	CHECK(errno == 7); /* the caller's errno arrives */
	errno = 42;
	return a + b;
}

static uint64_t calls[1];
static const struct flexc_rpc_entry entries[] = { { "add", "lib", (void (*)(void))add, 0, 0 } };
const struct flexc_rpc_table flexc_rpc_tables[FLEXC_RPC_COMPARTMENTS] = { { entries, 1, calls } };
const char *const flexc_rpc_names[FLEXC_RPC_COMPARTMENTS] = { "lib" };

/* A call by hand, as a gate makes it: the arguments in their registers. */
static long call_add(char a, long b)
{
	struct flexc_rpc_message *message = flexc_rpc_begin(0, 0, 0);
	long sum;

	message->body.call.registers.integer[0] = (uint64_t)a;
	message->body.call.registers.integer[1] = (uint64_t)b;
	errno = 7;
	flexc_rpc_call(0);
	sum = (long)message->body.reply.returned.rax;
	flexc_rpc_end(message);
	return sum;
}

static void calls_are_served_and_counted(void)
{
	CHECK(call_add(2, 40) == 42);
	CHECK(errno == 42); /* the callee's errno comes back */
	CHECK(call_add(-1, 1) == 0);
	CHECK(calls[0] == 2);
}

static void the_shared_heap_hands_out_aligned_distinct_blocks(void)
{
	char *a = flexc_shared_malloc(3);
	char *b = flexc_shared_calloc(4, 8);

	CHECK(a != NULL && b != NULL);
	CHECK((uintptr_t)a % 16 == 0 && (uintptr_t)b % 16 == 0);
	CHECK(b >= a + 16);
	for (int i = 0; i < 32; i++)
		CHECK(b[i] == 0);
	errno = 0;
	CHECK(flexc_shared_malloc(FLEXC_RPC_AREA_SIZE) == NULL);
	CHECK(errno == ENOMEM);
}

static void the_shadow_stack_is_last_in_first_out(void)
{
	void *first = flexc_dss_alloc(24);
	void *second = flexc_dss_alloc(8);
	void *slot = second;

	CHECK((char *)second == (char *)first + 32);
	flexc_dss_release(&slot);
	CHECK(flexc_dss_alloc(8) == second);
}

int main(void)
{
	flexc_rpc_self = 0;
	flexc_rpc_map_area();
	calls_are_served_and_counted();
	the_shared_heap_hands_out_aligned_distinct_blocks();
	the_shadow_stack_is_last_in_first_out();
	printf("rpc: ok\n");
	return 0;
}
