/*
 * Boot of the test kernel that scripts/mpk-kernel-in-qemu.sh runs, a stand-in for Unikraft's
 * x86-64 platform: the multiboot v1 header (QEMU's -kernel loads the image at 1 MiB, link/kernel.ld
 * puts .boot first), the 32-bit entry, page tables mapping the first 16 MiB one to one in 4 KiB
 * pages (protection keys are per page), long mode, and the exception entries that hand over to
 * platform_trap() in platform.c. Every page is user-mode (U/S = 1) although everything runs in
 * ring 0: protection keys apply to ring 0's data accesses only on user-mode pages (SMEP and SMAP
 * stay off, so ring 0 may run and touch them).
 */
#define MULTIBOOT_MAGIC 0x1badb002
#define MULTIBOOT_FLAGS 0
#define PAGE_FLAGS 7 /* present, writable, user-mode */
#define PAGE_TABLES 8 /* 8 x 512 pages of 4 KiB: 16 MiB */

	.section .boot, "a"
	.align 4
	.long MULTIBOOT_MAGIC
	.long MULTIBOOT_FLAGS
	.long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

	.section .bss
	.align 4096
pml4:	.skip 4096
pdpt:	.skip 4096
pd:	.skip 4096
	.globl platform_page_tables
platform_page_tables:
	.skip 4096 * PAGE_TABLES
	.align 16
stack:	.skip 65536
stack_top:
	.globl platform_boot_magic, platform_boot_info
platform_boot_magic:
	.skip 4
platform_boot_info:
	.skip 4

	.section .rodata
	.align 8
gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
gdt_end:
gdt_pointer:
	.word gdt_end - gdt - 1
	.quad gdt

	.section .text
	.code32
	.globl _start
_start:
	cli
	mov $stack_top, %esp
	mov %eax, platform_boot_magic
	mov %ebx, platform_boot_info

	mov $pdpt + PAGE_FLAGS, %eax
	mov %eax, pml4
	mov $pd + PAGE_FLAGS, %eax
	mov %eax, pdpt
	mov $platform_page_tables + PAGE_FLAGS, %eax
	xor %ecx, %ecx
1:	mov %eax, pd(, %ecx, 8)
	add $4096, %eax
	inc %ecx
	cmp $PAGE_TABLES, %ecx
	jb 1b
	/* Page 0 stays unmapped, so that a null pointer faults. */
	mov $4096 + PAGE_FLAGS, %eax
	mov $1, %ecx
2:	mov %eax, platform_page_tables(, %ecx, 8)
	add $4096, %eax
	inc %ecx
	cmp $512 * PAGE_TABLES, %ecx
	jb 2b

	mov $pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $(1 << 5) | (1 << 9) | (1 << 10), %eax /* PAE; OSFXSR, OSXMMEXCPT: the C code uses SSE */
	mov %eax, %cr4
	mov $0xc0000080, %ecx /* EFER: long mode */
	rdmsr
	or $1 << 8, %eax
	wrmsr
	mov %cr0, %eax
	and $~(1 << 2), %eax /* no x87 emulation */
	or $(1 << 31) | (1 << 16) | (1 << 1) | 1, %eax /* paging, write-protect in ring 0, MP, protected mode */
	mov %eax, %cr0
	lgdt gdt_pointer
	ljmp $0x08, $long_mode

	.code64
long_mode:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov $stack_top, %rsp
	call platform_main
3:	hlt
	jmp 3b

/* Exceptions 0-31: the vector and an error code (0 where the CPU pushes none) for platform_trap(). */
	.macro trap vector
trap_\vector:
	.if \vector != 8 && \vector != 10 && \vector != 11 && \vector != 12 && \vector != 13 && \vector != 14 && \vector != 17 && \vector != 21 && \vector != 29 && \vector != 30
	push $0
	.endif
	push $\vector
	jmp trap_common
	.endm

	.irp vector, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	trap \vector
	.endr

trap_common:
	mov (%rsp), %rdi
	mov 8(%rsp), %rsi
	mov 16(%rsp), %rdx
	and $-16, %rsp
	call platform_trap

	.section .rodata
	.align 8
	.globl platform_trap_entries
platform_trap_entries:
	.irp vector, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.quad trap_\vector
	.endr

	.section .note.GNU-stack, "", @progbits
