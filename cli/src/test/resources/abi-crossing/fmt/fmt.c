#include <stdarg.h>
#include <stdio.h>

#include "fmt.h"

static int calls;

FMT_API int fmt_format(char *out, size_t size, const char *format, ...)
{
	va_list arguments;
	int length;

	calls++;
	va_start(arguments, format);
	length = vsnprintf(out, size, format, arguments);
	va_end(arguments);
	return length;
}

long fmt_sum3(a, b, c)
long a;
int b;
long c;
{
	calls++;
	return a + b + c;
}

FMT_API double fmt_scale(int value, double factor)
{
	calls++;
	return value * factor;
}

double fmt_mix(int a, int b, int c, int d, int e, int f, int g, int h, int i, double d1, double d2, double d3,
	       double d4, double d5, double d6, double d7, double d8, double d9, double d10)
{
	calls++;
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + d1 + 2 * d2 + 3 * d3 + 4 * d4 +
	       5 * d5 + 6 * d6 + 7 * d7 + 8 * d8 + 9 * d9 + 10 * d10 + calls;
}
