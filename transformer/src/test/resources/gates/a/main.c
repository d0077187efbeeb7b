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

int plus_one(int v)
{
	return v + 1;
}

/* A table of functions: its entries are address uses. */
static int (*const operations[])(int, int) = { b_add };

int main(void)
{
	int filled;
	char buffer[8];
	int flexos_result = 0;
	struct pair p = b_pair(3);
	char *owned;
#ifdef NEVER_DEFINED
	int sum = b_sum(2, 1, 2);
#else
	int sum = b_sum(3, 1, 2, 3);
#endif

	/* a comment mentioning b_add(1, 2) is not a call */
	const char *text = "b_add(1, 2) in a string is not a call either";

	b_register(twice);
	printf("twice: %d\n", b_call_back(5));
	b_register(plus_one);
	printf("plus one: %d\n", b_call_back(5));
	b_fill(&filled);
	b_fill_array(buffer, sizeof buffer);
	printf("%s\n", B_FILL_NOTED(&filled, "filled, a string"));
	owned = malloc(16);
	strcpy(owned, "shared");
	printf("checksum: %d\n", b_checksum(owned, 6));
	b_take(owned);
	flexos_gate(libb, b_fill, &filled);
	flexos_gate_r(libb, flexos_result, b_add, 40, 2);
	owned = flexos_malloc_whitelist(4, libb);
	flexos_free_whitelist(owned, libb);
	printf("add %d pair %ld %ld sum %d filled %d buffer %s\n", b_add(1, 2), p.first, p.second,
	       sum, filled, buffer);
	printf("macro %d pasted %d table %d square %d flexos %d open %d\n", B_TWICE(5), B_CALL(add),
	       operations[0](3, 4), a_square(4), flexos_result, b_open_to_all());
	printf("%s\ncounter %d\n", text, b_counter);
	return 0;
}
