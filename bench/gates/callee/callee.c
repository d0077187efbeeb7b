/* What the benchmark calls: one addition, never inlined into the caller. */
__attribute__((noinline)) int bench_increment(int x)
{
	return x + 1;
}
