#include <stdio.h>

#include "../logger/logger.h"
#include "../registry/registry.h"
#include "../util/util.h"

int main(void)
{
  printf("kr_sum(2, 3) = %d\n", kr_sum(2, 3));
  printf("realc_scale(7) = %ld\n", realc_scale(7));
  int length = log_line("%s %d %ld %.2f %c", "answer", 42, -7L, 2.5, 'x');
  printf("log_line wrote %d characters\n", length);
  printf("registry_run(\"twice\", 21) = %d\n", registry_run("twice", 21));
  printf("registry_run(\"square\", 12) = %d\n", registry_run("square", 12));
  return 0;
}
