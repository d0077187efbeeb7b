#ifndef A_H
#define A_H

/* A registry of named functions, as interpreters keep their built-ins. */
struct a_command {
	int id;
	int (*run)(int);
};

extern const struct a_command a_commands[];
int a_square(int x);
void a_listen(int (*listener)(int));
int a_fire(int value);
int a_apply_direct(int x);

#endif
