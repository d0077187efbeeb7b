/* A call whose structure argument takes more stack than an ABI-level gate forwards. */
struct b_big {
	char bytes[264];
};

int b_first(struct b_big big);

int a_big(void)
{
	struct b_big big = { { 7 } };

	return b_first(big);
}
