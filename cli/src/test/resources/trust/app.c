#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib.h"

static long secret = 41;

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "global") == 0) {
		printf("hits %d\n", *hit_count());
	} else if (strcmp(mode, "heap") == 0) {
		const char *first = name_of(1);

		printf("%s, then %s\n", first, name_of(2));
	} else if (strcmp(mode, "write") == 0) {
		int *hits = (int *)hit_count();

		*hits = 0;
		printf("hits %d\n", *hits);
	} else if (strcmp(mode, "heapwrite") == 0) {
		char *name = (char *)name_of(3);

		name[0] = 'N';
		printf("%s\n", name);
	} else if (strcmp(mode, "reverse") == 0) {
		struct box box = { &secret };

		printf("read %ld\n", read_caller(&box));
	} else if (strcmp(mode, "fork") == 0) {
		int forked = forked_hits();

		printf("hits %d after a fork, %d seen\n", forked, *hit_count());
	} else if (strcmp(mode, "shared") == 0) {
		char *kept = malloc(40);
		char *dropped = malloc(24);

		fill_name(kept);
		fill_name(dropped);
		printf("%s %s\n", kept, dropped);
		free(dropped);
	}
	return 0;
}
