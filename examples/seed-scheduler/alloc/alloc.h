/* The allocator's API (meta/alloc.meta). */
#ifndef ALLOC_H
#define ALLOC_H

void *uk_malloc(unsigned long size);
void uk_free(void *ptr);

#endif
