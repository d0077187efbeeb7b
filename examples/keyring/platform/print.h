#ifndef PRINT_H
#define PRINT_H

/*
 * Writes a NUL-terminated string: the only service the platform gives the program. A kernel
 * writes it to its console (scripts/mpk-kernel/platform.c), a Linux program to standard output
 * (scripts/mpk-kernel/print-linux.c).
 */
void print(const char *text);

#endif
