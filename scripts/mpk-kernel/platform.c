/*
 * The platform of the test kernel that scripts/mpk-kernel-in-qemu.sh runs, a stand-in for
 * Unikraft's: after boot.S it turns protection keys on (CR4.PKE) with the AVX state the gates clear
 * (XCR0 = 7), installs the exception handlers, has flexc's generated start-up
 * (flexc_mpk_kernel.c) give each compartment's pages their key and enter main's compartment, and
 * runs main with the words of the boot command line as arguments. It provides the hooks
 * flexc_mpk_kernel.h asks for, and print() to the program (examples/keyring/platform/print.h). The
 * console is the serial port; the machine stops through QEMU's isa-debug-exit device, whose exit
 * status tells how: 33 main returned 0, 65 protection-key page fault, 97 anything else.
 */
#include <stddef.h>
#include <stdint.h>

#include "flexc_mpk_kernel.h"
#include "print.h"

#define SERIAL 0x3f8
#define DEBUG_EXIT 0xf4
#define EXIT_PASSED 0x10
#define EXIT_KEY_FAULT 0x20
#define EXIT_TROUBLE 0x30
#define PAGE_SIZE 4096u
#define MAPPED (16u << 20)
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002u
#define MULTIBOOT_INFO_CMDLINE (1u << 2)
#define PF_ERROR_PROTECTION_KEY (1u << 5)
#define PTE_KEY_SHIFT 59

extern uint64_t platform_page_tables[];
extern const uint64_t platform_trap_entries[32];
extern uint32_t platform_boot_magic, platform_boot_info;

int main(int argc, char **argv);

static inline void out_byte(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t in_byte(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static void serial_start(void)
{
	out_byte(SERIAL + 1, 0x00); /* no interrupts: nothing here takes them */
	out_byte(SERIAL + 3, 0x80);
	out_byte(SERIAL + 0, 0x01); /* 115200 baud */
	out_byte(SERIAL + 1, 0x00);
	out_byte(SERIAL + 3, 0x03); /* 8 bits, no parity, one stop bit */
	out_byte(SERIAL + 2, 0xc7);
}

void print(const char *text)
{
	for (; *text != '\0'; text++) {
		while ((in_byte(SERIAL + 5) & 0x20) == 0)
			continue;
		out_byte(SERIAL, (uint8_t)*text);
	}
}

static void print_hex(uint64_t value)
{
	char digits[19] = "0x";
	int shift = 60;

	while (shift > 0 && (value >> shift) == 0)
		shift -= 4;
	int n = 2;
	for (; shift >= 0; shift -= 4)
		digits[n++] = "0123456789abcdef"[(value >> shift) & 0xf];
	digits[n] = '\0';
	print(digits);
}

static void print_decimal(int value)
{
	char digits[12];
	char *end = digits + sizeof digits - 1;
	unsigned magnitude = value < 0 ? 0u - (unsigned)value : (unsigned)value;

	*end = '\0';
	do {
		*--end = (char)('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude != 0);
	if (value < 0)
		*--end = '-';
	print(end);
}

static __attribute__((noreturn)) void stop(uint8_t status)
{
	out_byte(DEBUG_EXIT, status);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void flexc_platform_halt(const char *message)
{
	print(message);
	print("\n");
	stop(EXIT_TROUBLE);
}

int flexc_platform_set_pkey(uintptr_t start, uintptr_t end, int key)
{
	if (start % PAGE_SIZE != 0 || end > MAPPED || key < 0 || key > 15)
		return -1;
	for (uintptr_t page = start; page < end; page += PAGE_SIZE) {
		uint64_t *entry = &platform_page_tables[page / PAGE_SIZE];

		*entry = (*entry & ~(0xfull << PTE_KEY_SHIFT)) | (uint64_t)key << PTE_KEY_SHIFT;
		__asm__ volatile("invlpg (%0)" : : "r"(page) : "memory");
	}
	return 0;
}

/* From boot.S's exception entries: reports the exception on the console and stops. */
void __attribute__((noreturn)) platform_trap(uint64_t vector, uint64_t error, uint64_t rip)
{
	if (vector == 14) {
		uintptr_t address;

		__asm__ volatile("mov %%cr2, %0" : "=r"(address));
		int compartment = flexc_mpk_compartment_of(address);
		print("flexc-kernel: page fault at ");
		print_hex(address);
		print(", error code ");
		print_hex(error);
		print((error & PF_ERROR_PROTECTION_KEY) != 0 ? " (protection key)" : " (not a protection key)");
		print(", rip ");
		print_hex(rip);
		print(": memory of compartment ");
		print_decimal(compartment);
		print(" (");
		print(flexc_mpk_compartment_name(compartment));
		print(")\n");
		stop((error & PF_ERROR_PROTECTION_KEY) != 0 ? EXIT_KEY_FAULT : EXIT_TROUBLE);
	}
	print("flexc-kernel: exception ");
	print_decimal((int)vector);
	print(", error code ");
	print_hex(error);
	print(", rip ");
	print_hex(rip);
	print("\n");
	stop(EXIT_TROUBLE);
}

struct idt_entry {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t stack_table;
	uint8_t type;
	uint16_t offset_middle;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

static struct idt_entry idt[32];

static void idt_start(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) pointer = { sizeof idt - 1, (uint64_t)idt };

	for (int vector = 0; vector < 32; vector++) {
		uint64_t entry = platform_trap_entries[vector];

		idt[vector] = (struct idt_entry){ (uint16_t)entry, 0x08, 0, 0x8e, (uint16_t)(entry >> 16),
						  (uint32_t)(entry >> 32), 0 };
	}
	__asm__ volatile("lidt %0" : : "m"(pointer));
}

static void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t registers[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(registers[0]), "=b"(registers[1]), "=c"(registers[2]), "=d"(registers[3])
			 : "a"(leaf), "c"(subleaf));
}

/* Protection keys (CR4.PKE) and the AVX state the gates' vzeroall needs (CR4.OSXSAVE, XCR0 = 7). */
static void keys_start(void)
{
	uint32_t features[4], extended[4];
	uint64_t cr4;

	cpuid(1, 0, features);
	cpuid(7, 0, extended);
	if ((features[2] & (1u << 26)) == 0 || (features[2] & (1u << 28)) == 0)
		flexc_platform_halt("flexc-kernel: this CPU has no XSAVE or AVX (run QEMU with -cpu max)");
	if ((extended[2] & (1u << 3)) == 0)
		flexc_platform_halt("flexc-kernel: this CPU has no protection keys (run QEMU with -cpu max)");
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= 1u << 18 | 1u << 22;
	cr4 &= ~(uint64_t)(1u << 20 | 1u << 21);
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
	__asm__ volatile("xsetbv" : : "a"(7), "d"(0), "c"(0));
}

static uint32_t read_pkru(void)
{
	uint32_t pkru;

	__asm__ volatile("rdpkru" : "=a"(pkru) : "c"(0) : "rdx");
	return pkru;
}

static char command_line[256];
static char *arguments[8];

/* The boot command line's words (QEMU's multiboot passes the kernel's file name, then -append). */
static int split_command_line(void)
{
	const uint32_t *info = (const uint32_t *)(uintptr_t)platform_boot_info;
	int count = 0;

	if (platform_boot_magic != MULTIBOOT_BOOTLOADER_MAGIC || (info[0] & MULTIBOOT_INFO_CMDLINE) == 0)
		return 0;
	const char *given = (const char *)(uintptr_t)info[4];
	size_t n = 0;
	for (; given[n] != '\0' && n + 1 < sizeof command_line; n++)
		command_line[n] = given[n] == ' ' ? '\0' : given[n];
	for (size_t i = 0; i < n && count < (int)(sizeof arguments / sizeof arguments[0]); i++)
		if (command_line[i] != '\0' && (i == 0 || command_line[i - 1] == '\0'))
			arguments[count++] = &command_line[i];
	return count;
}

void platform_main(void)
{
	serial_start();
	idt_start();
	keys_start();
	int argc = split_command_line();
	print("flexc-kernel: protection keys on; giving the compartments their keys\n");
	flexc_mpk_kernel_start();
	print("flexc-kernel: entering main with PKRU ");
	print_hex(read_pkru());
	print("\n");
	int status = main(argc, arguments);
	print("flexc-kernel: main returned ");
	print_decimal(status);
	print("\n");
	stop(status == 0 ? EXIT_PASSED : EXIT_TROUBLE);
}
