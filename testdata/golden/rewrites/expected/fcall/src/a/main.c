/* flexc: the shared-memory runtime that the rewrites in this file use. */
extern void *flexc_shared_malloc(__SIZE_TYPE__ size);
extern void *flexc_shared_calloc(__SIZE_TYPE__ count, __SIZE_TYPE__ size);
extern void *flexc_shared_realloc(void *pointer, __SIZE_TYPE__ size);
extern void flexc_shared_free(void *pointer);
extern void *flexc_shared_alloc(__SIZE_TYPE__ size);
extern void flexc_shared_release(void *slot);
extern void *flexc_dss_alloc(__SIZE_TYPE__ size);
extern void flexc_dss_release(void *slot);

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../b/b.h"
#include "../b/flexos.h"
#include "util.h"

int b_open_to_all(void);

static int twice(int v)
{
	return 2 * v;
}
/* flexc: a global name for static twice, which compartment 1 calls back through a gate */
extern __typeof__(twice) flexc_static_a_main_twice __attribute__((alias("twice")));

int plus_one(int v)
{
	return v + 1;
}

/* A table of functions: its entries are address uses. */
extern __typeof__(b_add) flexc_gate_c0_b_add; /* flexc gate */
static int (*const operations[])(int, int) = { flexc_gate_c0_b_add };

extern __typeof__(b_pair) flexc_gate_c0_b_pair; /* flexc gate */
extern __typeof__(b_sum) flexc_gate_c0_b_sum; /* flexc gate */
extern __typeof__(b_register) flexc_gate_c0_b_register; /* flexc gate */
extern __typeof__(twice) flexc_gate_c1_flexc_static_a_main_twice; /* flexc gate */
extern __typeof__(b_call_back) flexc_gate_c0_b_call_back; /* flexc gate */
extern __typeof__(plus_one) flexc_gate_c1_plus_one; /* flexc gate */
extern __typeof__(b_fill) flexc_gate_c0_b_fill; /* flexc gate */
extern __typeof__(b_fill_array) flexc_gate_c0_b_fill_array; /* flexc gate */
extern __typeof__(b_checksum) flexc_gate_c0_b_checksum; /* flexc gate */
extern __typeof__(b_take) flexc_gate_c0_b_take; /* flexc gate */
extern __typeof__(b_add) flexc_gate_c0_b_add; /* flexc gate */
extern __typeof__(b_open_to_all) flexc_gate_c0_b_open_to_all; /* flexc gate */
int main(void)
{
	int (*flexc_shared_filled) __attribute__((cleanup(flexc_dss_release))) = flexc_dss_alloc(sizeof(*flexc_shared_filled));
	char (*flexc_shared_buffer)[8] __attribute__((cleanup(flexc_dss_release))) = flexc_dss_alloc(sizeof(*flexc_shared_buffer));
	int flexos_result = 0;
	struct pair p = flexc_gate_c0_b_pair(3);
	char *owned;
#ifdef NEVER_DEFINED
	int sum = flexc_gate_c0_b_sum(2, 1, 2);
#else
	int sum = flexc_gate_c0_b_sum(3, 1, 2, 3);
#endif

	/* a comment mentioning b_add(1, 2) is not a call */
	const char *text = "b_add(1, 2) in a string is not a call either";

	flexc_gate_c0_b_register(flexc_gate_c1_flexc_static_a_main_twice);
	printf("twice: %d\n", flexc_gate_c0_b_call_back(5));
	flexc_gate_c0_b_register(flexc_gate_c1_plus_one);
	printf("plus one: %d\n", flexc_gate_c0_b_call_back(5));
	flexc_gate_c0_b_fill(&(*flexc_shared_filled));
	flexc_gate_c0_b_fill_array((*flexc_shared_buffer), sizeof (*flexc_shared_buffer));
	printf("%s\n", (flexc_gate_c0_b_fill(&(*flexc_shared_filled)), "filled, a string"));
	owned = flexc_shared_malloc(16);
	strcpy(owned, "shared");
	printf("checksum: %d\n", flexc_gate_c0_b_checksum(owned, 6));
	flexc_gate_c0_b_take(owned);
	flexc_gate_c0_b_fill(&(*flexc_shared_filled));
	flexos_result = flexc_gate_c0_b_add(40, 2);
	owned = flexc_shared_malloc(4);
	flexc_shared_free(owned);
	printf("add %d pair %ld %ld sum %d filled %d buffer %s\n", flexc_gate_c0_b_add(1, 2), p.first, p.second,
	       sum, (*flexc_shared_filled), (*flexc_shared_buffer));
	printf("macro %d pasted %d table %d square %d flexos %d open %d\n", flexc_gate_c0_b_add((5), (5)), B_CALL(add),
	       operations[0](3, 4), a_square(4), flexos_result, flexc_gate_c0_b_open_to_all());
	printf("%s\ncounter %d\n", text, b_counter);
	return 0;
}
