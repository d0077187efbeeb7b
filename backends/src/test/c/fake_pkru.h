/*
 * Stands in for PKRU on a CPU without protection keys (included before flexc_mpk.h): the gates
 * read and write a variable instead, so that test_mpk_gates.c runs them here, checks and all.
 */
#define FLEXC_MPK_RDPKRU(R) "movl flexc_fake_pkru(" R "rip), " R "eax\n\txorl " R "edx, " R "edx"
#define FLEXC_MPK_WRPKRU(R) "movl " R "eax, flexc_fake_pkru(" R "rip)"
