#ifndef B_H
#define B_H

struct pair {
	long first;
	long second;
};

int b_add(int x, int y);
struct pair b_pair(long x);
int b_sum(int count, ...);
void b_register(int (*callback)(int));
int b_call_back(int value);
int b_fill(int *out);
int b_fill_array(char *buffer, int size);
int b_checksum(const char *data, int size);
void b_take(void *owned);
extern int b_counter;

/* Calls that only exist once the preprocessor has run. */
#define B_TWICE(v) b_add((v), (v))
#define B_CALL(name) b_##name(20, 22)
#define B_FILL_NOTED(target, note) (b_fill(target), note)

#endif
