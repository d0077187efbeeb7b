#include <stddef.h>
#include "a.h"

static int a_double(int x)
{
	return 2 * x;
}

int a_square(int x)
{
	return x * x;
}

/* Both functions' addresses are taken here, in data: the table is all the object shows. */
const struct a_command a_commands[] = {
	{ 0, a_double },
	{ 1, a_square },
	{ -1, NULL },
};

static int (*listener)(int);

void a_listen(int (*f)(int))
{
	listener = f;
}

int a_fire(int value)
{
	return listener ? listener(value) : -1;
}

/* A direct call inside the compartment: it stays a direct call. */
int a_apply_direct(int x)
{
	return a_square(x) + 1;
}
