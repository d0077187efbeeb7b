#ifndef KVSTORE_SCRIPT_H
#define KVSTORE_SCRIPT_H

#include <stddef.h>

/* The untrusted plug-in: a small integer expression language for EVAL.
 *   expression := comparison; operators + - * / % == != < > <= >=, unary -, parentheses
 *   numbers are 64-bit signed, written in decimal or 0x hexadecimal; a result out of their range,
 *              a division by zero or nesting deeper than 256 is an error, never a crash
 *   get(key)   the integer value of key (keys are bare words or "quoted"), through lookup
 *   poke(address, byte) writes a byte anywhere: the deliberate hole that stands in for a
 *              memory-safety bug in a real script engine (and what the isolation tests exploit)
 */
typedef long long (*script_lookup)(const char *key, size_t key_length);

/* 0 and the value in *result, or -1 and a message in error. */
int script_eval(const char *source, size_t length, script_lookup lookup, long long *result, char *error,
		size_t error_capacity);

#endif
