#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "b.h"
#include "flexos.h"

int b_counter;
static int (*saved)(int);

int b_add(int x, int y)
{
	b_counter++;
	return x + y;
}

struct pair b_pair(long x)
{
	struct pair p = { x, 2 * x };
	return p;
}

int b_sum(int count, ...)
{
	va_list arguments;
	int sum = 0;
	va_start(arguments, count);
	while (count--)
		sum += va_arg(arguments, int);
	va_end(arguments);
	return sum;
}

void b_register(int (*callback)(int))
{
	saved = callback;
}

int b_call_back(int value)
{
	return saved ? saved(value) : -1;
}

int b_fill(int *out)
{
	*out = 42;
	return 0;
}

int b_fill_array(char *buffer, int size)
{
	memset(buffer, 'x', size - 1);
	buffer[size - 1] = '\0';
	return size - 1;
}

int b_checksum(const char *data, int size)
{
	int sum = 0;
	for (int i = 0; i < size; i++)
		sum += data[i];
	return sum;
}

void b_take(void *owned)
{
	free(owned);
}

int /* flexc: flexos_whitelist */ b_open_to_all(void)
{
	return 7;
}
