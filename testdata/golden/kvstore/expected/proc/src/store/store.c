#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../alloc/alloc.h"
#include "store.h"

struct entry {
	struct entry *next;
	size_t key_length;
	size_t value_length;
	char bytes[]; /* the key, then the value */
};

static struct entry **table;
static size_t buckets;
static long entries;

static size_t hash(const char *key, size_t length)
{
	size_t h = 1469598103934665603UL;

	for (size_t i = 0; i < length; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211UL;
	return h;
}

static int grow(void)
{
	size_t count = buckets ? buckets * 2 : 1024;
	struct entry **bigger = kv_alloc(count * sizeof *bigger);

	if (!bigger)
		return -1;
	memset(bigger, 0, count * sizeof *bigger);
	for (size_t i = 0; i < buckets; i++) {
		struct entry *e = table[i];

		while (e) {
			struct entry *next = e->next;
			size_t at = hash(e->bytes, e->key_length) & (count - 1);

			e->next = bigger[at];
			bigger[at] = e;
			e = next;
		}
	}
	kv_free(table);
	table = bigger;
	buckets = count;
	return 0;
}

static struct entry **find(const char *key, size_t key_length)
{
	struct entry **at;

	if (!buckets)
		return NULL;
	at = &table[hash(key, key_length) & (buckets - 1)];
	while (*at && ((*at)->key_length != key_length || memcmp((*at)->bytes, key, key_length) != 0))
		at = &(*at)->next;
	return at;
}

int store_set(const char *key, size_t key_length, const char *value, size_t value_length)
{
	struct entry **at;
	struct entry *e;

	if ((size_t)entries >= buckets && grow() != 0)
		return -1;
	e = kv_alloc(sizeof *e + key_length + value_length);
	if (!e)
		return -1;
	e->key_length = key_length;
	e->value_length = value_length;
	memcpy(e->bytes, key, key_length);
	memcpy(e->bytes + key_length, value, value_length);
	at = find(key, key_length);
	if (*at) {
		e->next = (*at)->next;
		kv_free(*at);
	} else {
		e->next = NULL;
		entries++;
	}
	*at = e;
	return 0;
}

long store_get(const char *key, size_t key_length, char *out, size_t capacity)
{
	struct entry **at = find(key, key_length);

	if (!at || !*at)
		return -1;
	if ((*at)->value_length <= capacity)
		memcpy(out, (*at)->bytes + key_length, (*at)->value_length);
	return (long)(*at)->value_length;
}

int store_delete(const char *key, size_t key_length)
{
	struct entry **at = find(key, key_length);
	struct entry *e;

	if (!at || !*at)
		return 0;
	e = *at;
	*at = e->next;
	kv_free(e);
	entries--;
	return 1;
}

int store_increment(const char *key, size_t key_length, long long delta, long long *result)
{
	char digits[32];
	long value_length = store_get(key, key_length, digits, sizeof digits - 1);
	long long value = 0;
	int written;

	if (value_length >= (long)sizeof digits) {
		errno = EINVAL;
		return -1;
	}
	if (value_length >= 0) {
		char *end;

		digits[value_length] = '\0';
		errno = 0;
		value = strtoll(digits, &end, 10);
		if (value_length == 0 || *end != '\0' || errno == ERANGE) {
			errno = EINVAL;
			return -1;
		}
	}
	if ((delta > 0 && value > LLONG_MAX - delta) || (delta < 0 && value < LLONG_MIN - delta)) {
		errno = EINVAL;
		return -1;
	}
	value += delta;
	written = snprintf(digits, sizeof digits, "%lld", value);
	if (store_set(key, key_length, digits, (size_t)written) != 0)
		return -1;
	*result = value;
	return 0;
}

long store_size(void)
{
	return entries;
}

void store_clear(void)
{
	for (size_t i = 0; i < buckets; i++) {
		while (table[i]) {
			struct entry *e = table[i];

			table[i] = e->next;
			kv_free(e);
		}
	}
	entries = 0;
}
