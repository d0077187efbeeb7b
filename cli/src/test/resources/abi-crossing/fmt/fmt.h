#ifndef FMT_H
#define FMT_H

#include <stddef.h>

/* The library's export macro, as Lua's LUA_API: the definitions are spelled with it. */
#define FMT_API extern

/* Formats like snprintf into out (size bytes); returns the length it would have. */
FMT_API int fmt_format(char *out, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));

/* Defined K&R-style. */
long fmt_sum3(long a, int b, long c);

FMT_API double fmt_scale(int value, double factor);

/* Nine int and ten double arguments: some of each are passed on the stack. */
double fmt_mix(int a, int b, int c, int d, int e, int f, int g, int h, int i, double d1, double d2, double d3,
	       double d4, double d5, double d6, double d7, double d8, double d9, double d10);

#endif
