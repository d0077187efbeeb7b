#ifndef FLEXOS_H
#define FLEXOS_H
/* FlexOS's porting annotations, as a FlexOS-ported library is written; defined here as plain
 * calls so that the original sources build outside FlexOS. */
#include <stdlib.h>
#define flexos_gate(lib, f, ...) f(__VA_ARGS__)
#define flexos_gate_r(lib, ret, f, ...) ((ret) = f(__VA_ARGS__))
#define flexos_malloc_whitelist(size, lib) malloc(size)
#define flexos_free_whitelist(pointer, lib) free(pointer)
#define flexos_whitelist
#endif
