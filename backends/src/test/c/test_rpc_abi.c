/*
 * The gates at the ABI level (flexc_rpc_abi.c) across two processes: compartment 0 (this
 * process) calls compartment 1 (a child forked after the shared area was mapped, so every
 * address means the same in both) through FLEXC_RPC_GATE entries, with a transport of a shared
 * mapping and futexes. Integer, double, pointer, mixed and stack arguments, variadic calls
 * (printf-like with doubles in %al's registers, ioctl-like, an option list ended by NULL), a
 * structure returned in memory, a long double on the x87 stack, a call back into compartment 0
 * from inside one into 1 (A->B->A), and a gate called in its callee's own compartment, which
 * calls the function directly. Prints "abi: ok" or the first check that failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "flexc_rpc.h"
#include "flexc_transport.h"

void *flexc_shared_malloc(size_t size);

#define CHECK(condition)                                                          \
	do {                                                                      \
		if (!(condition)) {                                               \
			printf("abi: line %d: %s\n", __LINE__, #condition);       \
			exit(1);                                                  \
		}                                                                 \
	} while (0)

int flexc_transport_alive(int compartment)
{
	(void)compartment;
	return 1;
}

#include "test_forked_transport.h"

void flexc_transport_at_thread_exit(void (*function)(void))
{
	(void)function;
}

#include "test_no_holder.h"

/* Compartment 1's functions. */

static long sum8(long a, long b, long c, long d, long e, long f, long g, long h)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}

static double mix(int a, double b, long c, float d, char e, double f)
{
	return a + b * c + d - e + f;
}

static int format(char *out, const char *format, ...)
{
	va_list arguments;
	int length;

	va_start(arguments, format);
	length = vsnprintf(out, 256, format, arguments);
	va_end(arguments);
	return length;
}

static int control(int fd, unsigned long request, ...)
{
	va_list arguments;
	int *value;

	if (request != 0x5401)
		return -1;
	va_start(arguments, request);
	value = va_arg(arguments, int *);
	va_end(arguments);
	*value = fd * 10;
	return 0;
}

/* (key, value) pairs ended by NULL: the sum of the values, each times its key's length. */
static long options(const char *key, ...)
{
	va_list arguments;
	long sum = 0;

	va_start(arguments, key);
	for (; key != NULL; key = va_arg(arguments, const char *))
		sum += (long)strlen(key) * va_arg(arguments, long);
	va_end(arguments);
	return sum;
}

static double sum_doubles(int count, ...)
{
	va_list arguments;
	double sum = 0;

	va_start(arguments, count);
	for (int i = 0; i < count; i++)
		sum += va_arg(arguments, double) * (i + 1);
	va_end(arguments);
	return sum;
}

struct big {
	long values[5];
};

static struct big make_big(int seed, double scale)
{
	struct big made;

	for (int i = 0; i < 5; i++)
		made.values[i] = (long)(seed * (i + 1) * scale);
	return made;
}

static long double halve(long double x)
{
	return x / 2;
}

static const char *after(const char *text)
{
	return text + 1;
}

struct triple {
	long a, b, c;
};

static long weigh(struct triple t, int scale)
{
	return (t.a + 10 * t.b + 100 * t.c) * scale;
}

/* Compartment 0's function, which compartment 1 calls back, and the gate into it. */
static int twice(int x)
{
	return 2 * x;
}

__typeof__(twice) gate_twice;
FLEXC_RPC_GATE(gate_twice, 0, 0, 0, 0);

static int call_back(int x)
{
	return gate_twice(x) + 1;
}

/* The gates into compartment 1, as flexc writes them: the shape where known, else the bound. */
__typeof__(sum8) gate_sum8, gate_sum8_unknown;
__typeof__(mix) gate_mix;
__typeof__(format) gate_format;
__typeof__(control) gate_control;
__typeof__(options) gate_options;
__typeof__(sum_doubles) gate_sum_doubles;
__typeof__(make_big) gate_make_big;
__typeof__(halve) gate_halve;
__typeof__(after) gate_after;
__typeof__(weigh) gate_weigh;
__typeof__(call_back) gate_call_back;
FLEXC_RPC_GATE(gate_sum8, 1, 0, 0, 16);
FLEXC_RPC_GATE(gate_sum8_unknown, 1, 0, 0, 256);
FLEXC_RPC_GATE(gate_mix, 1, 1, 0, 0);
FLEXC_RPC_GATE(gate_format, 1, 2, 0, 256);
FLEXC_RPC_GATE(gate_control, 1, 3, 0, 256);
FLEXC_RPC_GATE(gate_options, 1, 4, 0, 256);
FLEXC_RPC_GATE(gate_sum_doubles, 1, 5, 0, 256);
FLEXC_RPC_GATE(gate_make_big, 1, 6, 40, 0);
FLEXC_RPC_GATE(gate_halve, 1, 7, 0x10000, 16);
FLEXC_RPC_GATE(gate_after, 1, 8, 0, 0);
FLEXC_RPC_GATE(gate_weigh, 1, 9, 0, 256);
FLEXC_RPC_GATE(gate_call_back, 1, 10, 0, 0);

#define FUNCTION(name) ((void (*)(void))name)

static uint64_t calls0[1], calls1[11];
static const struct flexc_rpc_entry entries0[] = { { "twice", "a", FUNCTION(twice), 0, 0 } };
static const struct flexc_rpc_entry entries1[] = {
	{ "sum8", "b", FUNCTION(sum8), 0, 0 },
	{ "mix", "b", FUNCTION(mix), 0, 0 },
	{ "format", "b", FUNCTION(format), 0, 0 },
	{ "control", "b", FUNCTION(control), 0, 0 },
	{ "options", "b", FUNCTION(options), 0, 0 },
	{ "sum_doubles", "b", FUNCTION(sum_doubles), 0, 0 },
	{ "make_big", "b", FUNCTION(make_big), 40, 0 },
	{ "halve", "b", FUNCTION(halve), FLEXC_RESULT_X87, 0 },
	{ "after", "b", FUNCTION(after), 0, 0 },
	{ "weigh", "b", FUNCTION(weigh), 0, 0 },
	{ "call_back", "b", FUNCTION(call_back), 0, 0 },
};
const struct flexc_rpc_table flexc_rpc_tables[FLEXC_RPC_COMPARTMENTS] = { { entries0, 1, calls0 },
									  { entries1, 11, calls1 } };
const char *const flexc_rpc_names[FLEXC_RPC_COMPARTMENTS] = { "a", "b" };

static void calls_cross_with_their_arguments_where_the_abi_puts_them(void)
{
	char *out = flexc_shared_malloc(256);
	int *value = flexc_shared_malloc(sizeof *value); /* the callee writes it: shared memory */
	struct big big;
	struct triple triple = { 1, 2, 3 };
	/* Live across the calls: callee-saved registers, which the gates must keep. */
	long kept[4] = { 11, 22, 33, 44 };

	CHECK(gate_sum8(1, 2, 3, 4, 5, 6, 7, 8) == sum8(1, 2, 3, 4, 5, 6, 7, 8));
	CHECK(gate_sum8_unknown(-1, 2, -3, 4, -5, 6, -7, 8) == sum8(-1, 2, -3, 4, -5, 6, -7, 8));
	CHECK(gate_mix(1, 2.5, 3, 0.25f, 'a', -1.5) == mix(1, 2.5, 3, 0.25f, 'a', -1.5));
	CHECK(gate_format(out, "%d %s %.3f %ld %c %g", 42, "str", 3.14159, 1234567890123L, 'x', 1e10) == 34);
	CHECK(strcmp(out, "42 str 3.142 1234567890123 x 1e+10") == 0);
	/* More than the registers hold: ten integers and ten doubles, past %r9 and %xmm7 onto the stack. */
	gate_format(out, "%d %d %d %d %d %d %d %d %d %d|%g %g %g %g %g %g %g %g %g %g", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
		    0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5);
	CHECK(strcmp(out, "1 2 3 4 5 6 7 8 9 10|0.5 1.5 2.5 3.5 4.5 5.5 6.5 7.5 8.5 9.5") == 0);
	CHECK(gate_control(4, 0x5401, value) == 0 && *value == 40);
	CHECK(gate_control(4, 0x5402) == -1);
	CHECK(gate_options("a", 1L, "bb", 2L, "ccc", 3L, "dddd", 4L, (const char *)NULL) == 30);
	CHECK(gate_options(NULL) == 0);
	CHECK(gate_sum_doubles(10, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0) == 385.0);
	big = gate_make_big(3, 1.5);
	for (int i = 0; i < 5; i++)
		CHECK(big.values[i] == (long)(3 * (i + 1) * 1.5));
	CHECK(gate_halve(5.0L) == 2.5L);
	CHECK(gate_halve(gate_halve(1e300L * 1e300L)) == 1e300L * 1e300L / 4);
	CHECK(gate_after(out) == out + 1);
	CHECK(gate_weigh(triple, 2) == 642);
	CHECK(gate_call_back(20) == 41);
	CHECK(kept[0] + kept[1] + kept[2] + kept[3] == 110);
	CHECK(calls1[0] == 2 && calls1[2] == 2 && calls1[10] == 1);
}

static void a_gate_called_in_its_own_compartment_calls_directly(void)
{
	uint64_t before = calls0[0];

	CHECK(gate_twice(21) == 42);
	CHECK(calls0[0] == before);
}

int main(void)
{
	pid_t child;
	int status;

	flexc_rpc_self = 0;
	flexc_rpc_map_area();
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		flexc_rpc_self = 1;
		flexc_rpc_serve_until_stopped();
		_exit(0);
	}
	calls_cross_with_their_arguments_where_the_abi_puts_them();
	a_gate_called_in_its_own_compartment_calls_directly();
	flexc_rpc_ask_to_stop(1);
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("abi: ok\n");
	return 0;
}
