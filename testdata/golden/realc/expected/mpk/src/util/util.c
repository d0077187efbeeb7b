#include "util.h"

/* A K&R definition, as old C libraries still have them. */
int kr_sum(a, b)
  int a;
  int b;
{
  return a + b;
}

REALC_API long realc_scale(int x)
{
  return 10L * x;
}

int util_twice(int x) { return 2 * x; }

int util_square(int x) { return x * x; }
