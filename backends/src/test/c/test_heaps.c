/*
 * Drives two compartments' heaps (flexc_mpk_heaps.c) with random allocations, frees and
 * reallocations from four threads at once, and checks every live block keeps the bytes written
 * into it, that blocks of one heap never overlap, and that freeing everything merges each heap
 * back into one block (an allocation of the whole heap, less its record and one block header,
 * succeeds again, and one byte more does not). The heaps are compiled with
 * -Dpkey_mprotect=key_ignoring_mprotect, so it runs on machines without protection keys. Prints
 * "heaps: ok" on success.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void *flexc_mpk_malloc_c0(size_t size);
void *flexc_mpk_calloc_c0(size_t count, size_t size);
void *flexc_mpk_realloc_c0(void *old, size_t size);
void flexc_mpk_free_c0(void *block);
void *flexc_mpk_malloc_c1(size_t size);
void flexc_mpk_free_c1(void *block);
int flexc_mpk_heap_owner(const void *address);

#define BLOCKS 256
#define ROUNDS 20000

struct block {
	unsigned char *memory;
	size_t size;
	unsigned char fill;
};

int key_ignoring_mprotect(void *address, size_t length, int protection, int key)
{
	(void)key;
	return mprotect(address, length, protection);
}

static void fail(const char *what)
{
	fprintf(stderr, "heaps: %s\n", what);
	exit(1);
}

static void check(const struct block *block)
{
	for (size_t i = 0; i < block->size; i++)
		if (block->memory[i] != block->fill)
			fail("a block lost its contents");
}

static void *churn(void *seed_pointer)
{
	unsigned int seed = (unsigned int)(uintptr_t)seed_pointer;
	struct block blocks[BLOCKS] = { 0 };

	for (int round = 0; round < ROUNDS; round++) {
		struct block *block = &blocks[rand_r(&seed) % BLOCKS];
		size_t size = (size_t)(rand_r(&seed) % 3 == 0 ? rand_r(&seed) % 20000 : rand_r(&seed) % 200);

		if (block->memory != NULL) {
			check(block);
			if (rand_r(&seed) % 2) {
				block->memory = flexc_mpk_realloc_c0(block->memory, size);
				if (size > 0 && block->memory == NULL)
					fail("realloc failed");
				block->size = block->size < size ? block->size : size;
				check(block);
				block->size = size;
				memset(block->memory, block->fill, size);
				continue;
			}
			flexc_mpk_free_c0(block->memory);
			block->memory = NULL;
			continue;
		}
		block->memory = rand_r(&seed) % 2 ? flexc_mpk_malloc_c0(size) : flexc_mpk_calloc_c0(1, size);
		if (block->memory == NULL)
			fail("allocation failed");
		if (((uintptr_t)block->memory & 15) != 0)
			fail("a block is not 16-byte aligned");
		if (flexc_mpk_heap_owner(block->memory) != 0)
			fail("a block is not in compartment 0's heap");
		block->size = size;
		block->fill = (unsigned char)(rand_r(&seed) | 1);
		memset(block->memory, block->fill, size);
	}
	for (int i = 0; i < BLOCKS; i++)
		if (blocks[i].memory != NULL) {
			check(&blocks[i]);
			flexc_mpk_free_c0(blocks[i].memory);
		}
	return NULL;
}

int main(void)
{
	pthread_t threads[4];
	void *other = flexc_mpk_malloc_c1(100);
	char *foreign = strdup("from the C library");
	void *whole;

	if (flexc_mpk_heap_owner(other) != 1)
		fail("compartment 1's block is not in its heap");
	for (int i = 0; i < 4; i++)
		pthread_create(&threads[i], NULL, churn, (void *)(uintptr_t)(i + 1));
	for (int i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	flexc_mpk_free_c1(other);
	if (flexc_mpk_heap_owner(foreign) != -1)
		fail("the C library's block is claimed by a heap");
	flexc_mpk_free_c0(foreign); /* not compartment 0's: handed to the C library's free */
	whole = flexc_mpk_malloc_c0(((size_t)64 << 20) - 64 - 16);
	if (whole == NULL)
		fail("the heap did not merge back into one block");
	flexc_mpk_free_c0(whole);
	if (flexc_mpk_malloc_c0(((size_t)64 << 20) - 64) != NULL)
		fail("a block larger than the heap was handed out");
	printf("heaps: ok\n");
	return 0;
}
