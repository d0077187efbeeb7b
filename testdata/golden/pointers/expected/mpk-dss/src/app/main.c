#include <stdio.h>
#include "../a/a.h"
#include "../b/b.h"

/* The callback reaches a_listen through a macro, as a parenthesised name. */
#define REGISTER(f) a_listen(f)

static int on_event(int value)
{
	return value + 100;
}

/* A function pointer stored in a struct's field by code. */
struct handler {
	int (*run)(int);
};

struct handler app_handler;

static int on_timer(int value)
{
	return 3 * value;
}

extern __typeof__(b_windows_only) flexc_gate_c0_b_windows_only; /* flexc gate */
extern __typeof__(b_run) flexc_gate_c0_b_run; /* flexc gate */
extern __typeof__(a_fire) flexc_gate_c0_a_fire; /* flexc gate */
extern __typeof__(a_apply_direct) flexc_gate_c0_a_apply_direct; /* flexc gate */
extern __typeof__(b_pick) flexc_gate_c0_b_pick; /* flexc gate */
extern __typeof__(a_listen) flexc_gate_c0_a_listen; /* flexc gate */
int main(void)
{
	flexc_gate_c0_a_listen((on_event));
#if 0
	b_run(7, 7);
#endif
#ifdef _WIN32
	printf("windows %d\n", flexc_gate_c0_b_windows_only(2));
#endif
	printf("double %d square %d\n", flexc_gate_c0_b_run(0, 21), flexc_gate_c0_b_run(1, 5));
	printf("event %d\n", flexc_gate_c0_a_fire(1));
	printf("direct %d\n", flexc_gate_c0_a_apply_direct(3));
	printf("half %d\n", flexc_gate_c0_b_pick()(8));
	app_handler.run = on_timer;
	printf("timer %d\n", app_handler.run(2));
	return 0;
}
