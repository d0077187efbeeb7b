/*
 * PKRU writes of every kind, for PkruWriteScanTest (compiled, never run): the gates' checked switch,
 * a check against a value no compartment has, a bare wrpkru, the instruction's bytes hidden in an
 * immediate operand, and an xrstor.
 */
void flexc_mpk_violation(void)
{
	for (;;)
		;
}

void checked(void)
{
	__asm__ volatile("xorl %%ecx, %%ecx\n\txorl %%edx, %%edx\n\tmovl $0x30, %%eax\n\twrpkru\n\t"
			 "cmpl $0x30, %%eax\n\tjne flexc_mpk_violation" ::: "rax", "rcx", "rdx");
}

void checked_against_another_value(void)
{
	__asm__ volatile("xorl %%ecx, %%ecx\n\txorl %%edx, %%edx\n\tmovl $0x4, %%eax\n\twrpkru\n\t"
			 "cmpl $0x4, %%eax\n\tjne flexc_mpk_violation" ::: "rax", "rcx", "rdx");
}

void bare(void)
{
	__asm__ volatile("wrpkru" : : "a"(0), "c"(0), "d"(0));
}

unsigned int hidden(void)
{
	unsigned int value;

	__asm__ volatile("movl $0x00ef010f, %0" : "=r"(value));
	return value;
}

void restore(void *area)
{
	__asm__ volatile("xrstor (%0)" : : "r"(area), "a"(0), "d"(0) : "memory");
}

int main(void)
{
	return 0;
}
