/*
 * A library whose callers are trusted to read its memory: it hands them pointers to its global
 * and into its heap, as Lua's lua_tolstring does; and it reads what they point it to.
 */
const int *hit_count(void);
const char *name_of(int n);
struct box {
	const long *value;
};

long read_caller(const struct box *box);
void fill_name(char *buffer);
int forked_hits(void);
