#include <stdio.h>

#include "../logger/logger.h"
#include "../registry/registry.h"
#include "../util/util.h"

extern __typeof__(kr_sum) flexc_gate_c0_kr_sum; /* flexc gate */
extern __typeof__(realc_scale) flexc_gate_c0_realc_scale; /* flexc gate */
extern __typeof__(log_line) flexc_gate_c0_log_line; /* flexc gate */
extern __typeof__(registry_run) flexc_gate_c0_registry_run; /* flexc gate */
int main(void)
{
  printf("kr_sum(2, 3) = %d\n", flexc_gate_c0_kr_sum(2, 3));
  printf("realc_scale(7) = %ld\n", flexc_gate_c0_realc_scale(7));
  int length = flexc_gate_c0_log_line("%s %d %ld %.2f %c", "answer", 42, -7L, 2.5, 'x');
  printf("log_line wrote %d characters\n", length);
  printf("registry_run(\"twice\", 21) = %d\n", flexc_gate_c0_registry_run("twice", 21));
  printf("registry_run(\"square\", 12) = %d\n", flexc_gate_c0_registry_run("square", 12));
  return 0;
}
