/*
 * mpk's gates run on a CPU without protection keys (fake_pkru.h): compartment 0 (this file's
 * main and app_*) calls compartment 1 (lib_*) through the gates MpkGatesTest generates, with a
 * variadic function, int, double, pointer and long double arguments beyond the registers,
 * results in registers, in memory and on the x87 stack, a call back into compartment 0, and an
 * entry gate called from both compartments. Every callee checks that it runs in its own
 * compartment (and with private stacks on its own stack); prints "gates: ok" when all hold.
 * With an argument, compartment 1 calls compartment 0's gate, which must stop at its check.
 * Compiled with -DPRIVATE_STACKS for private stacks, where this file stands in for the runtime.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flexc_mpk.h"

unsigned int flexc_fake_pkru = FLEXC_PKRU_C0;

void flexc_mpk_violation(void)
{
	printf("violation: PKRU written 0x%x\n", flexc_fake_pkru);
	exit(3);
}

int flexc_mpk_heap_owner(const void *address)
{
	(void)address;
	return -1;
}

static int failures;

#define CHECK(condition)                                                              \
	do {                                                                          \
		if (!(condition)) {                                                   \
			printf("%s:%d: failed: %s\n", __FILE__, __LINE__, #condition); \
			failures++;                                                   \
		}                                                                     \
	} while (0)

#ifdef PRIVATE_STACKS
#define STACK_BYTES (64 * 1024)
static char compartment_stacks[FLEXC_MPK_COMPARTMENTS][STACK_BYTES] __attribute__((aligned(16)));
static char shadow[16 * 1024] __attribute__((aligned(16)));

__thread struct flexc_mpk_stack_slot flexc_mpk_stack[FLEXC_MPK_COMPARTMENTS];
__thread char *flexc_mpk_shadow_top;
__thread char *flexc_mpk_shadow_end;

void flexc_mpk_shadow_full(void)
{
	printf("shadow stack full\n");
	exit(4);
}

static void start_stacks(void)
{
	for (int k = 0; k < FLEXC_MPK_COMPARTMENTS; k++)
		flexc_mpk_stack[k].top = compartment_stacks[k] + STACK_BYTES - FLEXC_STACK_ARGUMENT_BYTES;
	flexc_mpk_shadow_top = shadow;
	flexc_mpk_shadow_end = shadow + sizeof shadow;
}

/* Whether the caller's frame is on compartment k's stack. */
static int on_stack_of(int k, const void *frame)
{
	return (const char *)frame >= compartment_stacks[k] && (const char *)frame < compartment_stacks[k] + STACK_BYTES;
}
#define IN_COMPARTMENT(k) (flexc_fake_pkru == FLEXC_PKRU_C##k && on_stack_of(1, __builtin_frame_address(0)) == (k == 1))
#else
#define IN_COMPARTMENT(k) (flexc_fake_pkru == FLEXC_PKRU_C##k)
#endif

/* Compartment 1. */

int lib_format(char *out, size_t size, const char *format, ...)
{
	va_list arguments;
	int length;

	CHECK(IN_COMPARTMENT(1));
	va_start(arguments, format);
	length = vsnprintf(out, size, format, arguments);
	va_end(arguments);
	return length;
}

double lib_many(int a, int b, int c, int d, int e, int f, int g, int h, double d1, double d2, double d3,
		double d4, double d5, double d6, double d7, double d8, double d9)
{
	CHECK(IN_COMPARTMENT(1));
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + d1 + 2 * d2 + 3 * d3 + 4 * d4 + 5 * d5 +
	       6 * d6 + 7 * d7 + 8 * d8 + 9 * d9;
}

struct big {
	long values[5];
};

struct big lib_big(long seed, long step)
{
	struct big big;

	CHECK(IN_COMPARTMENT(1));
	for (int i = 0; i < 5; i++)
		big.values[i] = seed + i * step;
	return big;
}

long double lib_half(long double x)
{
	CHECK(IN_COMPARTMENT(1));
	return x / 2;
}

struct pair {
	long first;
	long second;
};

struct pair lib_pair(long first, long second)
{
	CHECK(IN_COMPARTMENT(1));
	return (struct pair){ second, first };
}

struct point {
	double x;
	double y;
};

struct point lib_point(struct point p)
{
	CHECK(IN_COMPARTMENT(1));
	return (struct point){ p.y, p.x };
}

long app_square(long x);
extern __typeof__(app_square) flexc_gate_c1_app_square;

long lib_apply(long x)
{
	CHECK(IN_COMPARTMENT(1));
	return flexc_gate_c1_app_square(x) + 1;
}

long lib_twice(long x)
{
	CHECK(IN_COMPARTMENT(1));
	return 2 * x;
}

extern __typeof__(lib_twice) flexc_entry_lib_twice;

long lib_twice_through_entry(long x)
{
	CHECK(IN_COMPARTMENT(1));
	return flexc_entry_lib_twice(x);
}

/* Compartment 0. */

long app_square(long x)
{
	CHECK(IN_COMPARTMENT(0));
	return x * x;
}

extern __typeof__(lib_format) flexc_gate_c0_lib_format;
extern __typeof__(lib_many) flexc_gate_c0_lib_many;
extern __typeof__(lib_big) flexc_gate_c0_lib_big;
extern __typeof__(lib_half) flexc_gate_c0_lib_half;
extern __typeof__(lib_pair) flexc_gate_c0_lib_pair;
extern __typeof__(lib_point) flexc_gate_c0_lib_point;
extern __typeof__(lib_apply) flexc_gate_c0_lib_apply;
extern __typeof__(lib_twice_through_entry) flexc_gate_c0_lib_twice_through_entry;

int main(int argc, char **argv)
{
	char text[256];
	char expected[256];
	long (*twice)(long) = flexc_entry_lib_twice;
	struct big big;
	struct pair pair;
	struct point point;
	int length;

#ifdef PRIVATE_STACKS
	start_stacks();
#endif
	(void)argv;
	if (argc > 1) {
		flexc_fake_pkru = FLEXC_PKRU_C1;
		flexc_gate_c0_lib_pair(1, 2);
		printf("the gate did not check its caller's compartment\n");
		return 1;
	}
	length = flexc_gate_c0_lib_format(text, sizeof text, "%d %s %.2f %p %d %d %d %d %d %d %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %ld",
					  1, "two", 3.0, (void *)text, 5, 6, 7, 8, 9, 10, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 123456789012L);
	snprintf(expected, sizeof expected, "%d %s %.2f %p %d %d %d %d %d %d %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %ld",
		 1, "two", 3.0, (void *)text, 5, 6, 7, 8, 9, 10, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 123456789012L);
	CHECK(strcmp(text, expected) == 0);
	CHECK(length == (int)strlen(expected));
	CHECK(flexc_gate_c0_lib_many(1, 2, 3, 4, 5, 6, 7, 8, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5) == 204 + 262.5);
	big = flexc_gate_c0_lib_big(10, 3);
	CHECK(big.values[0] == 10 && big.values[4] == 22);
	CHECK(flexc_gate_c0_lib_half(7.0L) == 3.5L);
	pair = flexc_gate_c0_lib_pair(4, 5);
	CHECK(pair.first == 5 && pair.second == 4);
	point = flexc_gate_c0_lib_point((struct point){ 1.25, 2.5 });
	CHECK(point.x == 2.5 && point.y == 1.25);
	CHECK(flexc_gate_c0_lib_apply(6) == 37);
	CHECK(twice(21) == 42);
	CHECK(flexc_gate_c0_lib_twice_through_entry(8) == 16);
	CHECK(flexc_fake_pkru == FLEXC_PKRU_C0);
	if (failures == 0)
		printf("gates: ok\n");
	return failures != 0;
}
