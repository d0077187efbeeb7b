/*
 * print() for the Linux build of examples/keyring, which scripts/mpk-kernel-in-qemu.sh compares
 * with the kernel build's console, byte for byte.
 */
#include <stdio.h>

#include "../../examples/keyring/platform/print.h"

void print(const char *text)
{
	fputs(text, stdout);
}
