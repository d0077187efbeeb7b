#include "secret.h"
#include "../platform/print.h"

/* In the secret's own data and bss: under the mpk backend, no other compartment can touch them. */
static char key[] = "opal-7391";
static long ledger[4] = { 120, -45, 3000, 7 };
static long uses;

long secret_uses(void)
{
	return uses;
}

int secret_check(const char *guess)
{
	uses++;
	for (unsigned long i = 0; i < sizeof key; i++)
		if (guess[i] != key[i])
			return 0;
	return 1;
}

long secret_mix(int a, long b, unsigned char c, short d, long e, int f, long g)
{
	/* Unsigned, and reduced at the end: the same result on every platform, without overflow. */
	unsigned long mixed = (unsigned long)(a + 3 * b + 5 * c + 7 * d + 11 * e + 13 * f + 17 * g);

	uses++;
	for (unsigned long i = 0; i + 1 < sizeof key; i++)
		mixed = mixed * 31 + (unsigned char)key[i];
	return (long)(mixed % 1000000007UL) - 500000000L;
}

struct secret_digest secret_digest(const char *text, unsigned long length)
{
	struct secret_digest digest = { 0, 0, (int)length, 0 };
	unsigned long folded = 0;

	for (unsigned long i = 0; i < length; i++) {
		digest.sum += (unsigned char)text[i];
		folded = folded * 131 + ((unsigned char)text[i] ^ (unsigned char)key[i % (sizeof key - 1)]);
	}
	digest.folded = (long)(folded % 998244353UL);
	digest.uses = (int)++uses;
	return digest;
}

double secret_scale(double x, float y)
{
	uses++;
	return x * y + (double)ledger[0] / 8;
}

void secret_each(void (*visit)(int index, long value))
{
	uses++;
	print("secret: visiting the ledger\n");
	for (int i = 0; i < 4; i++)
		visit(i, ledger[i] + (long)key[i]);
}

char *secret_key_address(void)
{
	return key;
}

/*
 * Built into a gated program, this is the program's own way into the secret (flexc names the gate
 * of compartment 0's calls to secret_check so); a secret taken over calls it, hoping to come back
 * from the secret into the secret with the program's rights.
 */
extern int flexc_gate_c0_secret_check(const char *guess) __attribute__((weak));

int secret_borrow_rights(long *out)
{
	long stolen = ledger[2];

	if (flexc_gate_c0_secret_check == 0)
		return -1;
	flexc_gate_c0_secret_check("opal");
	*out = stolen;
	return 0;
}
