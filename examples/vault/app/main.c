#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../vault/vault.h"

static long total;

static void add_up(int index, long value)
{
	printf("  entry %d = %ld\n", index, value);
	total += value;
}

int main(int argc, char **argv)
{
	struct vault_stats stats;
	char name[16];
	long missing;

	for (int i = 1; i <= 5; i++) {
		snprintf(name, sizeof name, "key%d", i);
		vault_store(name, i * 100L);
	}
	printf("key3 -> %ld\n", vault_lookup("key3"));
	errno = 0;
	missing = vault_lookup("missing");
	printf("missing -> %ld (%s)\n", missing, errno == ENOENT ? "errno ENOENT" : "errno lost");
	printf("average %.2f\n", vault_average());
	stats = vault_stats();
	printf("entries %d, smallest %ld, largest %ld\n", stats.entries, stats.smallest, stats.largest);
	vault_each(add_up);
	printf("total %ld\n", total);
	if (argc > 1 && strcmp(argv[1], "violate") == 0) {
		long *secret = vault_secret_address();

		printf("writing into the vault's memory from the program\n");
		fflush(stdout);
		*secret = 0;
		printf("the write went through: no isolation\n");
	}
	if (argc > 1 && strcmp(argv[1], "smuggle") == 0) {
		/* A pointer to the program's own memory, handed to the vault, which writes through it. */
		long *where = &total;

		printf("letting the vault write into the program's memory\n");
		fflush(stdout);
		vault_copy_secret(where);
		printf("the vault wrote %ld: no isolation\n", total);
	}
	return 0;
}
