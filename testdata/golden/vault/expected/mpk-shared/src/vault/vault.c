#include <errno.h>
#include <string.h>

#include "vault.h"

#define VAULT_SIZE 8

struct entry {
	char name[16];
	long value;
};

static struct entry entries[VAULT_SIZE];
static int used;
static long secret = 0x5ec7e7;

int vault_store(const char *name, long value)
{
	if (used == VAULT_SIZE || strlen(name) >= sizeof entries[0].name) {
		errno = ENOSPC;
		return -1;
	}
	strcpy(entries[used].name, name);
	entries[used].value = value ^ secret;
	used++;
	return 0;
}

long vault_lookup(const char *name)
{
	for (int i = 0; i < used; i++)
		if (strcmp(entries[i].name, name) == 0)
			return entries[i].value ^ secret;
	errno = ENOENT;
	return -1;
}

double vault_average(void)
{
	long sum = 0;

	for (int i = 0; i < used; i++)
		sum += entries[i].value ^ secret;
	return used ? (double)sum / used : 0.0;
}

struct vault_stats vault_stats(void)
{
	struct vault_stats stats = { used, 0, 0 };

	for (int i = 0; i < used; i++) {
		long value = entries[i].value ^ secret;

		if (i == 0 || value < stats.smallest)
			stats.smallest = value;
		if (i == 0 || value > stats.largest)
			stats.largest = value;
	}
	return stats;
}

/*
 * Nine arguments of every kind a call passes: integers and floating point past what registers
 * hold, and a structure by value. Exercises the gates' marshalling more than its result matters.
 */
double vault_blend(int a, long b, double c, float d, struct vault_stats s, char e, short f, long g, double h)
{
	return a + b + c + d + s.entries + s.smallest + s.largest + e + f + g + h;
}

void vault_each(void (*visit)(int index, long value))
{
	/*
	 * The visitor runs in the caller's compartment: it gets values, never a pointer into the vault's
	 * memory, which isolation would rightly refuse it.
	 */
	for (int i = 0; i < used; i++)
		visit(i, entries[i].value ^ secret);
}

long *vault_secret_address(void)
{
	return &secret;
}

int vault_copy_secret(long *out)
{
	*out = secret;
	return 0;
}

/*
 * Built into a gated program, this is the program's own way into the vault (flexc names the gate
 * of compartment 0's calls to vault_lookup so); an attacker who has taken the vault over and read
 * the binary calls it, hoping to come back from the vault into the vault with the program's rights.
 */
extern long flexc_gate_c0_vault_lookup(const char *name) __attribute__((weak));

int vault_borrow_rights(long *out)
{
	long stolen = secret;

	if (flexc_gate_c0_vault_lookup == NULL)
		return -1;
	flexc_gate_c0_vault_lookup("key1");
	*out = stolen;
	return 0;
}
