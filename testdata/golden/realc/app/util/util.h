#ifndef UTIL_H
#define UTIL_H

/* How libraries mark what they export (Lua's LUA_API, zlib's ZEXTERN). */
#define REALC_API extern

int kr_sum(int a, int b);
REALC_API long realc_scale(int x);
int util_twice(int x);
int util_square(int x);

#endif
