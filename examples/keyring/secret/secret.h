#ifndef SECRET_H
#define SECRET_H

struct secret_digest {
	long sum;
	long folded;
	int length;
	int uses;
};

int secret_check(const char *guess);
long secret_mix(int a, long b, unsigned char c, short d, long e, int f, long g);
struct secret_digest secret_digest(const char *text, unsigned long length);
double secret_scale(double x, float y);
void secret_each(void (*visit)(int index, long value));
long secret_uses(void);
char *secret_key_address(void);
int secret_borrow_rights(long *out);

#endif
