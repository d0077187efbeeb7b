#include <stdio.h>
#include <string.h>

#include "script.h"

struct parser {
	const char *source;
	size_t length;
	size_t at;
	script_lookup lookup;
	char *error;
	size_t error_capacity;
	int failed;
};

static long long comparison(struct parser *p);

static void fail(struct parser *p, const char *what)
{
	if (!p->failed)
		snprintf(p->error, p->error_capacity, "ERR script: %s at offset %zu", what, p->at);
	p->failed = 1;
}

static void skip_spaces(struct parser *p)
{
	while (p->at < p->length && (p->source[p->at] == ' ' || p->source[p->at] == '\t' || p->source[p->at] == '\n'))
		p->at++;
}

static int accept(struct parser *p, const char *token)
{
	size_t n = strlen(token);

	skip_spaces(p);
	if (p->at + n <= p->length && memcmp(p->source + p->at, token, n) == 0) {
		p->at += n;
		return 1;
	}
	return 0;
}

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
}

static long long key_value(struct parser *p)
{
	size_t start;
	size_t end;

	skip_spaces(p);
	if (accept(p, "\"")) {
		start = p->at;
		while (p->at < p->length && p->source[p->at] != '"')
			p->at++;
		end = p->at;
		if (!accept(p, "\"")) {
			fail(p, "unterminated key");
			return 0;
		}
	} else {
		start = p->at;
		while (p->at < p->length && is_word(p->source[p->at]))
			p->at++;
		end = p->at;
	}
	if (end == start) {
		fail(p, "key expected");
		return 0;
	}
	return p->lookup(p->source + start, end - start);
}

static long long primary(struct parser *p)
{
	long long value = 0;

	if (accept(p, "(")) {
		value = comparison(p);
		if (!accept(p, ")"))
			fail(p, "')' expected");
		return value;
	}
	if (accept(p, "-"))
		return -primary(p);
	if (accept(p, "get(")) {
		value = key_value(p);
		if (!accept(p, ")"))
			fail(p, "')' expected");
		return value;
	}
	if (accept(p, "poke(")) {
		long long address = comparison(p);
		long long byte;

		if (!accept(p, ","))
			fail(p, "',' expected");
		byte = comparison(p);
		if (!accept(p, ")"))
			fail(p, "')' expected");
		if (!p->failed)
			*(volatile unsigned char *)(unsigned long)address = (unsigned char)byte;
		return 0;
	}
	skip_spaces(p);
	if (p->at < p->length && p->source[p->at] == '0' && p->at + 1 < p->length && p->source[p->at + 1] == 'x') {
		p->at += 2;
		while (p->at < p->length) {
			char c = p->source[p->at];
			int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

			if (digit < 0)
				break;
			value = value * 16 + digit;
			p->at++;
		}
		return value;
	}
	if (p->at < p->length && p->source[p->at] >= '0' && p->source[p->at] <= '9') {
		while (p->at < p->length && p->source[p->at] >= '0' && p->source[p->at] <= '9')
			value = value * 10 + (p->source[p->at++] - '0');
		return value;
	}
	fail(p, "number, get(key), poke(address, byte) or '(' expected");
	return 0;
}

static long long product(struct parser *p)
{
	long long value = primary(p);

	for (;;) {
		if (accept(p, "*")) {
			value *= primary(p);
		} else if (accept(p, "/") || accept(p, "%")) {
			char operator = p->source[p->at - 1];
			long long divisor = primary(p);

			if (divisor == 0) {
				fail(p, "division by zero");
				return 0;
			}
			value = operator == '/' ? value / divisor : value % divisor;
		} else {
			return value;
		}
	}
}

static long long sum(struct parser *p)
{
	long long value = product(p);

	for (;;) {
		if (accept(p, "+"))
			value += product(p);
		else if (accept(p, "-"))
			value -= product(p);
		else
			return value;
	}
}

static long long comparison(struct parser *p)
{
	long long value = sum(p);

	if (accept(p, "=="))
		return value == sum(p);
	if (accept(p, "!="))
		return value != sum(p);
	if (accept(p, "<="))
		return value <= sum(p);
	if (accept(p, ">="))
		return value >= sum(p);
	if (accept(p, "<"))
		return value < sum(p);
	if (accept(p, ">"))
		return value > sum(p);
	return value;
}

int script_eval(const char *source, size_t length, script_lookup lookup, long long *result, char *error,
		size_t error_capacity)
{
	struct parser p = { source, length, 0, lookup, error, error_capacity, 0 };
	long long value = comparison(&p);

	skip_spaces(&p);
	if (!p.failed && p.at != p.length)
		fail(&p, "unexpected text");
	if (p.failed)
		return -1;
	*result = value;
	return 0;
}
