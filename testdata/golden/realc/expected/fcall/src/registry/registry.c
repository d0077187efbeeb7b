#include <stddef.h>
#include <string.h>

#include "registry.h"
#include "../util/util.h"

/* Operations by name: pointers to another library's functions in a static table. */
extern __typeof__(util_twice) flexc_gate_c3_util_twice; /* flexc gate */
extern __typeof__(util_square) flexc_gate_c3_util_square; /* flexc gate */
static const struct operation {
  const char *name;
  int (*run)(int);
} operations[] = {
  {"twice", flexc_gate_c3_util_twice},
  {"square", flexc_gate_c3_util_square},
};

int registry_run(const char *name, int x)
{
  for (size_t i = 0; i < sizeof operations / sizeof operations[0]; i++) {
    if (strcmp(operations[i].name, name) == 0) {
      return operations[i].run(x);
    }
  }
  return -1;
}
