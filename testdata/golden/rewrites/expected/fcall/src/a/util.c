#include "util.h"

int a_square(int x)
{
	return x * x;
}
