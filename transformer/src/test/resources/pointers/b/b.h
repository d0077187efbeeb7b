#ifndef B_H
#define B_H

int b_run(int id, int x);
typedef int (*b_function)(int);

b_function b_pick(void);
int b_windows_only(int x);

#endif
