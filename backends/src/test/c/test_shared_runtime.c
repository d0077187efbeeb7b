/*
 * The shared-memory runtime of fcall and mpk (flexc_runtime.c) on its own: the shared heap is the
 * process heap, and a shared local's slot holds the address of its storage, which release frees.
 * Prints "shared: ok" or the first check that failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *flexc_shared_malloc(size_t size);
void *flexc_shared_calloc(size_t count, size_t size);
void *flexc_shared_realloc(void *pointer, size_t size);
void flexc_shared_free(void *pointer);
void *flexc_shared_alloc(size_t size);
void flexc_shared_release(void *slot);
void *flexc_dss_alloc(size_t size);
void flexc_dss_release(void *slot);

#define CHECK(condition)                                                          \
	do {                                                                      \
		if (!(condition)) {                                               \
			printf("shared: line %d: %s\n", __LINE__, #condition);    \
			exit(1);                                                  \
		}                                                                 \
	} while (0)

int main(void)
{
	char *text = flexc_shared_malloc(6);
	unsigned char *zeroes = flexc_shared_calloc(8, 4);
	long *local = flexc_shared_alloc(sizeof *local);
	long *shadowed = flexc_dss_alloc(sizeof *shadowed);

	CHECK(text != NULL && zeroes != NULL && local != NULL && shadowed != NULL);
	memcpy(text, "flexc", 6);
	text = flexc_shared_realloc(text, 64);
	CHECK(text != NULL && strcmp(text, "flexc") == 0);
	for (int i = 0; i < 32; i++)
		CHECK(zeroes[i] == 0);
	*local = 42;
	*shadowed = 43;
	CHECK(*local + 1 == *shadowed);
	flexc_shared_free(text);
	flexc_shared_free(zeroes);
	flexc_shared_release(&local);
	flexc_dss_release(&shadowed);
	printf("shared: ok\n");
	return 0;
}
