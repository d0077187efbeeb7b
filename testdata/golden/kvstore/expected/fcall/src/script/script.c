#include <limits.h>
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
	int depth; /* of nested expressions: bounded, so a script cannot exhaust the stack */
};

/* Deep enough for any expression a person writes; shallow enough for any thread's stack. */
#define SCRIPT_MAX_DEPTH 256

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

/*
 * A decimal or 0x hexadecimal literal; negative when it follows a unary minus, so that the
 * smallest long long can be written. Arithmetic in the engine never overflows: a result out of
 * range is an error, as C leaves it undefined (and x86 traps on LLONG_MIN / -1).
 */
static long long literal(struct parser *p, int negative)
{
	unsigned long long limit = negative ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	unsigned long long magnitude = 0;
	unsigned base = 10;

	if (p->at + 1 < p->length && p->source[p->at] == '0' && p->source[p->at + 1] == 'x') {
		p->at += 2;
		base = 16;
	}
	while (p->at < p->length) {
		char c = p->source[p->at];
		int digit = c >= '0' && c <= '9' ? c - '0' : base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (digit < 0)
			break;
		if (magnitude > (limit - (unsigned)digit) / base) {
			fail(p, "integer overflow");
			return 0;
		}
		magnitude = magnitude * base + (unsigned)digit;
		p->at++;
	}
	if (!negative)
		return (long long)magnitude;
	return magnitude == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)magnitude;
}

static long long negated(struct parser *p, long long value)
{
	if (value == LLONG_MIN) {
		fail(p, "integer overflow");
		return 0;
	}
	return -value;
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
	if (accept(p, "-")) {
		skip_spaces(p);
		if (p->at < p->length && p->source[p->at] >= '0' && p->source[p->at] <= '9')
			return literal(p, 1);
		if (++p->depth > SCRIPT_MAX_DEPTH) {
			fail(p, "expression nested too deeply");
			return 0;
		}
		value = negated(p, primary(p));
		p->depth--;
		return value;
	}
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
	if (p->at < p->length && p->source[p->at] >= '0' && p->source[p->at] <= '9')
		return literal(p, 0);
	fail(p, "number, get(key), poke(address, byte) or '(' expected");
	return 0;
}

static long long product(struct parser *p)
{
	long long value = primary(p);

	for (;;) {
		if (accept(p, "*")) {
			if (__builtin_mul_overflow(value, primary(p), &value)) {
				fail(p, "integer overflow");
				return 0;
			}
		} else if (accept(p, "/") || accept(p, "%")) {
			char operator = p->source[p->at - 1];
			long long divisor = primary(p);

			if (divisor == 0) {
				fail(p, "division by zero");
				return 0;
			}
			/* x % -1 is 0 for every x, but LLONG_MIN % -1 traps as LLONG_MIN / -1 does. */
			if (divisor == -1)
				value = operator == '/' ? negated(p, value) : 0;
			else
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
		int overflow;

		if (accept(p, "+"))
			overflow = __builtin_add_overflow(value, product(p), &value);
		else if (accept(p, "-"))
			overflow = __builtin_sub_overflow(value, product(p), &value);
		else
			return value;
		if (overflow) {
			fail(p, "integer overflow");
			return 0;
		}
	}
}

static long long comparison(struct parser *p)
{
	long long value;

	if (++p->depth > SCRIPT_MAX_DEPTH) {
		fail(p, "expression nested too deeply");
		return 0;
	}
	value = sum(p);
	p->depth--;

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
	struct parser p = { source, length, 0, lookup, error, error_capacity, 0, 0 };
	long long value = comparison(&p);

	skip_spaces(&p);
	if (!p.failed && p.at != p.length)
		fail(&p, "unexpected text");
	if (p.failed)
		return -1;
	*result = value;
	return 0;
}
