#ifndef KVSTORE_STORE_H
#define KVSTORE_STORE_H

#include <stddef.h>

/* The key-value table. Keys and values are byte strings, copied in and copied out: no pointer
 * into the table ever leaves it. */
int store_set(const char *key, size_t key_length, const char *value, size_t value_length);
/* The value's length (copied to out only if it fits in capacity), or -1 if the key is absent. */
long store_get(const char *key, size_t key_length, char *out, size_t capacity);
int store_delete(const char *key, size_t key_length);
/* Adds delta to an integer value (a missing key counts as 0); -1 with errno EINVAL if the value
 * is not an integer or the sum overflows. */
int store_increment(const char *key, size_t key_length, long long delta, long long *result);
long store_size(void);
void store_clear(void);

#endif
