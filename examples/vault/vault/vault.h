#ifndef VAULT_H
#define VAULT_H

struct vault_stats {
	int entries;
	long smallest;
	long largest;
};

int vault_store(const char *name, long value);
long vault_lookup(const char *name);
double vault_average(void);
struct vault_stats vault_stats(void);
double vault_blend(int a, long b, double c, float d, struct vault_stats s, char e, short f, long g, double h);
void vault_each(void (*visit)(int index, long value));
long *vault_secret_address(void);
int vault_copy_secret(long *out);
int vault_borrow_rights(long *out);

#endif
