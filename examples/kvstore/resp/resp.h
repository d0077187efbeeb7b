#ifndef KVSTORE_RESP_H
#define KVSTORE_RESP_H

#include <stddef.h>

/* RESP, the Redis protocol: requests (multi-bulk or inline) in, replies out. */
#define RESP_MAX_ARGUMENTS 64

/* A parsed request: each argument as an offset and length into the buffer it was parsed from. */
struct resp_request {
	int count;
	size_t offset[RESP_MAX_ARGUMENTS];
	size_t length[RESP_MAX_ARGUMENTS];
};

/* Bytes the first request in buffer takes, 0 if it is not complete yet, -1 if it is malformed. */
long resp_parse(const char *buffer, size_t length, struct resp_request *request);

/* Each writes one reply into out and returns its length, or 0 if it does not fit in capacity. */
size_t resp_simple(char *out, size_t capacity, const char *text);
size_t resp_error(char *out, size_t capacity, const char *text);
size_t resp_integer(char *out, size_t capacity, long long value);
size_t resp_bulk(char *out, size_t capacity, const char *bytes, size_t length);
size_t resp_null(char *out, size_t capacity);
size_t resp_array(char *out, size_t capacity, long count);

#endif
