/* Takes a structure by value that is passed on the stack: 264 bytes. */
struct b_big {
	char bytes[264];
};

int b_first(struct b_big big);

int b_first(struct b_big big)
{
	return big.bytes[0];
}
