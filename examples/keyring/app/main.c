#include "../platform/print.h"
#include "../secret/secret.h"

/* The program's own data and bss: the secret's callbacks write here, in the program's compartment. */
static long visited_total;
static int visits;
static char banner[] = "keyring: asking the secret\n";

static void print_long(const char *label, long value)
{
	char digits[24];
	char *end = digits + sizeof digits - 1;
	unsigned long magnitude = value < 0 ? 0UL - (unsigned long)value : (unsigned long)value;

	*end = '\0';
	do {
		*--end = (char)('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude != 0);
	if (value < 0)
		*--end = '-';
	print(label);
	print(end);
	print("\n");
}

static void visit(int index, long value)
{
	visits++;
	visited_total += value * (index + 1);
	print_long("  ledger entry, weighted: ", value * (index + 1));
}

static unsigned long length(const char *text)
{
	unsigned long n = 0;

	while (text[n] != '\0')
		n++;
	return n;
}

static int same(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int main(int argc, char **argv)
{
	const char *text = "the quick brown fox";
	struct secret_digest digest;

	print(banner);
	print_long("check wrong guess: ", secret_check("opal-0000"));
	print_long("check right guess: ", secret_check("opal-7391"));
	print_long("mix: ", secret_mix(-2, 40000000000L, 250, -300, 7, 1 << 20, -9));
	digest = secret_digest(text, length(text));
	print_long("digest sum: ", digest.sum);
	print_long("digest folded: ", digest.folded);
	print_long("digest length: ", digest.length);
	print_long("digest uses: ", digest.uses);
	print_long("scale, in thousandths: ", (long)(secret_scale(2.5, 0.75f) * 1000));
	secret_each(visit);
	print_long("visits: ", visits);
	print_long("visited total: ", visited_total);
	print_long("secret used: ", secret_uses());
	if (argc > 1 && same(argv[1], "violate")) {
		print("keyring: writing into the secret's key\n");
		secret_key_address()[0] = 'X';
		print("keyring: the write went through\n");
		return 1;
	}
	if (argc > 1 && same(argv[1], "borrow")) {
		print("keyring: letting the secret call the program's gate\n");
		if (secret_borrow_rights(&visited_total) == 0)
			print_long("keyring: the secret came back with the program's rights and wrote ", visited_total);
		return 1;
	}
	return 0;
}
