#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resp.h"

#define RESP_MAX_BULK (512L << 20)

/* The number after a type byte, up to CRLF: its value, or -2 if incomplete, -3 if malformed. */
static long long number(const char *buffer, size_t length, size_t *at)
{
	long long value = 0;
	int negative = 0;
	size_t start = *at;

	if (*at < length && buffer[*at] == '-') {
		negative = 1;
		(*at)++;
	}
	while (*at < length && buffer[*at] >= '0' && buffer[*at] <= '9') {
		value = value * 10 + (buffer[*at] - '0');
		if (value > RESP_MAX_BULK)
			return -3;
		(*at)++;
	}
	if (*at + 1 >= length)
		return -2;
	if (*at == start + (size_t)negative || buffer[*at] != '\r' || buffer[*at + 1] != '\n')
		return -3;
	*at += 2;
	return negative ? -value : value;
}

static long inline_request(const char *buffer, size_t length, struct resp_request *request)
{
	const char *end = memchr(buffer, '\n', length);
	size_t line;
	size_t at = 0;

	if (!end)
		return length > 65536 ? -1 : 0;
	line = (size_t)(end - buffer);
	request->count = 0;
	while (at < line) {
		while (at < line && (buffer[at] == ' ' || buffer[at] == '\r' || buffer[at] == '\t'))
			at++;
		if (at == line)
			break;
		if (request->count == RESP_MAX_ARGUMENTS)
			return -1;
		request->offset[request->count] = at;
		while (at < line && buffer[at] != ' ' && buffer[at] != '\r' && buffer[at] != '\t')
			at++;
		request->length[request->count] = at - request->offset[request->count];
		request->count++;
	}
	return (long)line + 1;
}

long resp_parse(const char *buffer, size_t length, struct resp_request *request)
{
	size_t at = 1;
	long long count;

	if (length == 0)
		return 0;
	if (buffer[0] != '*')
		return inline_request(buffer, length, request);
	count = number(buffer, length, &at);
	if (count == -2)
		return 0;
	if (count < 0 || count > RESP_MAX_ARGUMENTS)
		return -1;
	request->count = (int)count;
	for (int i = 0; i < (int)count; i++) {
		long long size;

		if (at >= length)
			return 0;
		if (buffer[at] != '$')
			return -1;
		at++;
		size = number(buffer, length, &at);
		if (size == -2)
			return 0;
		if (size < 0)
			return -1;
		if (at + (size_t)size + 2 > length)
			return 0;
		if (buffer[at + (size_t)size] != '\r' || buffer[at + (size_t)size + 1] != '\n')
			return -1;
		request->offset[i] = at;
		request->length[i] = (size_t)size;
		at += (size_t)size + 2;
	}
	return (long)at;
}

static size_t line(char *out, size_t capacity, char type, const char *text)
{
	size_t length = strlen(text);

	if (length + 3 > capacity)
		return 0;
	out[0] = type;
	memcpy(out + 1, text, length);
	memcpy(out + 1 + length, "\r\n", 2);
	return length + 3;
}

size_t resp_simple(char *out, size_t capacity, const char *text)
{
	return line(out, capacity, '+', text);
}

size_t resp_error(char *out, size_t capacity, const char *text)
{
	return line(out, capacity, '-', text);
}

static size_t counted(char *out, size_t capacity, char type, long long value)
{
	char digits[24];

	snprintf(digits, sizeof digits, "%lld", value);
	return line(out, capacity, type, digits);
}

size_t resp_integer(char *out, size_t capacity, long long value)
{
	return counted(out, capacity, ':', value);
}

size_t resp_bulk(char *out, size_t capacity, const char *bytes, size_t length)
{
	size_t header = counted(out, capacity, '$', (long long)length);

	if (header == 0 || header + length + 2 > capacity)
		return 0;
	memcpy(out + header, bytes, length);
	memcpy(out + header + length, "\r\n", 2);
	return header + length + 2;
}

size_t resp_null(char *out, size_t capacity)
{
	return line(out, capacity, '$', "-1");
}

size_t resp_array(char *out, size_t capacity, long count)
{
	return counted(out, capacity, '*', count);
}
