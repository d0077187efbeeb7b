#include <errno.h>
#include <stdint.h>

#include "alloc.h"

#define KV_ARENA_BYTES (64UL << 20)
#define KV_SMALLEST_CLASS 4 /* 16 bytes */
#define KV_CLASSES 24

/* Every block starts with its class; a free block's payload links it into its class's list. */
struct kv_block {
	uint32_t class;
	uint32_t magic;
	uint64_t padding;
};

#define KV_MAGIC 0x6b76616cU

static _Alignas(16) unsigned char kv_arena[KV_ARENA_BYTES];
static size_t kv_arena_top;
static size_t kv_in_use;
static void *kv_free_lists[KV_CLASSES];

static unsigned int kv_class_of(size_t size)
{
	unsigned int class = KV_SMALLEST_CLASS;

	while (class < KV_SMALLEST_CLASS + KV_CLASSES && ((size_t)1 << class) < size + sizeof(struct kv_block))
		class++;
	return class;
}

void *kv_alloc(size_t size)
{
	unsigned int class = kv_class_of(size);
	unsigned int slot = class - KV_SMALLEST_CLASS;
	size_t bytes = (size_t)1 << class;
	struct kv_block *block;

	if (slot >= KV_CLASSES) {
		errno = ENOMEM;
		return NULL;
	}
	if (kv_free_lists[slot]) {
		block = kv_free_lists[slot];
		kv_free_lists[slot] = *(void **)(block + 1);
	} else {
		if (kv_arena_top + bytes > KV_ARENA_BYTES) {
			errno = ENOMEM;
			return NULL;
		}
		block = (struct kv_block *)(kv_arena + kv_arena_top);
		kv_arena_top += bytes;
	}
	block->class = class;
	block->magic = KV_MAGIC;
	kv_in_use += bytes;
	return block + 1;
}

void kv_free(void *memory)
{
	struct kv_block *block;

	if (!memory)
		return;
	block = (struct kv_block *)memory - 1;
	if (block->magic != KV_MAGIC)
		return;
	kv_in_use -= (size_t)1 << block->class;
	*(void **)memory = kv_free_lists[block->class - KV_SMALLEST_CLASS];
	kv_free_lists[block->class - KV_SMALLEST_CLASS] = block;
}

size_t kv_used(void)
{
	return kv_in_use;
}
