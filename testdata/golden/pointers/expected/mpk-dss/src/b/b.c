#include "../a/a.h"
#include "b.h"

/* Calls a's functions through a's table: the pointers come from another compartment. */
int b_run(int id, int x)
{
	for (const struct a_command *command = a_commands; command->run; command++) {
		if (command->id == id)
			return command->run(x);
	}
	return -1;
}

static int b_half(int x)
{
	return x / 2;
}

/* A function pointer as a return value. */
b_function b_pick(void)
{
	return b_half;
}

#ifdef _WIN32
#include <windows.h>
int b_windows_only(int x)
{
	return (int)GetCurrentProcessId() + x;
}
#endif
