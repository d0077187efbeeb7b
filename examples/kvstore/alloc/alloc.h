#ifndef KVSTORE_ALLOC_H
#define KVSTORE_ALLOC_H

#include <stddef.h>

/* The store's allocator: size classes over one static arena, so the store's data lives in the
 * allocator's compartment and nowhere else. */
void *kv_alloc(size_t size);
void kv_free(void *memory);
size_t kv_used(void);

#endif
