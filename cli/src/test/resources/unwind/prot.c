/*
 * Protected calls and errors, the way Lua 5.1 makes them (luaD_rawrunprotected, luaD_throw): a
 * chain of jump buffers per thread (per lua_State in Lua), an error longjmps to the innermost.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "prot.h"

struct prot_frame {
	jmp_buf buffer;
	volatile int code;
	struct prot_frame *outer;
};

static __thread struct prot_frame *innermost;

long prot_call(prot_function function, long argument)
{
	struct prot_frame frame;
	long result;

	frame.code = 0;
	frame.outer = innermost;
	innermost = &frame;
	if (setjmp(frame.buffer) == 0)
		result = function(argument);
	else
		result = -frame.code;
	innermost = frame.outer;
	return result;
}

void prot_error(int code)
{
	if (innermost == NULL) {
		fprintf(stderr, "prot: error %d outside a protected call\n", code);
		abort();
	}
	innermost->code = code;
	longjmp(innermost->buffer, 1);
}

long prot_call_back(prot_function function, long argument)
{
	return function(argument);
}

/* A kilobyte of stack per level: the call after the error is made from deeper than the error's frames. */
static __attribute__((noinline)) long prot_deeper(prot_function function, long argument, long depth)
{
	volatile char frame[1024];

	frame[0] = 1;
	if (depth == 0)
		return function(argument);
	return prot_deeper(function, argument, depth - 1) + frame[0] - 1;
}

long prot_retry(prot_function function, long depth)
{
	long first = prot_call(function, 1);

	return 100 * first + prot_deeper(function, 0, depth);
}
