/*
 * The allocator: first fit over a free list kept in address order, neighbours merged on free.
 *
 * The arena is taken once from the shared heap (flexos_malloc_whitelist), not from this
 * library's own data: blocks go to whichever library asks, and under mpk or proc a caller in
 * another compartment (the scheduler, for its thread control blocks) could not touch a block
 * inside this compartment's memory.
 */
#include <stdlib.h>

#include "alloc.h"

/* flexc turns this into its shared heap; a compiler without flexc gets the C library's. */
#define flexos_malloc_whitelist(size, library) malloc(size)

#define ARENA_BYTES (64 * 1024)
#define ALIGNMENT 16

/* The header before every block, free or given out. */
struct block {
	unsigned long size; /* bytes after the header */
	struct block *next; /* the next free block, while free */
};

_Static_assert(sizeof(struct block) % ALIGNMENT == 0, "blocks after a header stay aligned");

static struct block *free_list;
static int arena_taken;

static int take_arena(void)
{
	struct block *whole;

	if (arena_taken)
		return 1;
	whole = flexos_malloc_whitelist(ARENA_BYTES, liballoc);
	if (!whole)
		return 0;
	whole->size = ARENA_BYTES - sizeof *whole;
	whole->next = NULL;
	free_list = whole;
	arena_taken = 1;
	return 1;
}

static char *end_of(struct block *block)
{
	return (char *)(block + 1) + block->size;
}

void *uk_malloc(unsigned long size)
{
	struct block **link, *block;

	if (size == 0 || size > ARENA_BYTES || !take_arena())
		return NULL;
	size = (size + ALIGNMENT - 1) & ~(unsigned long)(ALIGNMENT - 1);
	for (link = &free_list; (block = *link); link = &block->next) {
		if (block->size < size)
			continue;
		if (block->size >= size + sizeof *block + ALIGNMENT) {
			struct block *rest = (struct block *)((char *)(block + 1) + size);

			rest->size = block->size - size - sizeof *block;
			rest->next = block->next;
			block->size = size;
			*link = rest;
		} else {
			*link = block->next;
		}
		return block + 1;
	}
	return NULL;
}

void uk_free(void *ptr)
{
	struct block *block, *previous = NULL, **link;

	if (!ptr)
		return;
	block = (struct block *)ptr - 1;
	for (link = &free_list; *link && *link < block; link = &(*link)->next)
		previous = *link;
	block->next = *link;
	*link = block;
	if (block->next && end_of(block) == (char *)block->next) {
		block->size += sizeof *block + block->next->size;
		block->next = block->next->next;
	}
	if (previous && end_of(previous) == (char *)block) {
		previous->size += sizeof *block + block->size;
		previous->next = block->next;
	}
}
