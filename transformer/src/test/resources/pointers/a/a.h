#ifndef A_H
#define A_H

/* A registry of named functions, as interpreters keep their built-ins. */
struct a_command {
	int id;
	int (*run)(int);
};

extern const struct a_command a_commands[];
/* Not inlined, so that a_apply_direct's call to it stays a call in the object. */
int a_square(int x) __attribute__((noinline));
void a_listen(int (*listener)(int));
int a_fire(int value);
int a_apply_direct(int x);

#endif
