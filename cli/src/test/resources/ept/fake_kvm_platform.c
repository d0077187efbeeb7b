/*
 * A fake KVM platform, for running ept images as Linux processes in a test: the ivshmem memory BAR
 * is the file FAKE_IVSHMEM, which every image maps; the registers are a private page whose
 * IVPosition is FAKE_PEER; doorbells go nowhere and a halt sleeps 50 microseconds; the
 * unikernel's threads are POSIX threads.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "flexc_hypervisor.h"

#define MEMORY 0x1000000000UL
#define REGISTERS 0x2000000000UL

uintptr_t flexc_kvm_pci_bar(uint16_t vendor, uint16_t device, int bar, size_t *size)
{
	(void)vendor; (void)device;
	*size = bar == FLEXC_IVSHMEM_MEMORY_BAR ? (size_t)96 << 20 : 4096;
	return bar == FLEXC_IVSHMEM_MEMORY_BAR ? MEMORY : REGISTERS;
}

int flexc_kvm_map_physical(uintptr_t virtual_address, uintptr_t physical, size_t size, int uncached)
{
	(void)uncached;
	if (physical == REGISTERS) {
		uint32_t *registers = mmap((void *)virtual_address, size, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (registers == MAP_FAILED) return -1;
		registers[FLEXC_IVSHMEM_IV_POSITION] = (uint32_t)atoi(getenv("FAKE_PEER"));
		return 0;
	}
	int memory = open(getenv("FAKE_IVSHMEM"), O_RDWR | O_CREAT, 0600);
	if (memory < 0 || ftruncate(memory, 96 << 20) != 0) return -1;
	void *mapped = mmap((void *)virtual_address, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, memory, 0);
	close(memory);
	return mapped == MAP_FAILED ? -1 : 0;
}

void flexc_kvm_irq_disable(void) {}
void flexc_kvm_irq_enable(void) {}
void flexc_kvm_safe_halt(void) { usleep(50); }

struct start { void (*entry)(void *); void *argument; };

static void *run(void *start)
{
	struct start copy = *(struct start *)start;
	free(start);
	copy.entry(copy.argument);
	return NULL;
}

int flexc_ept_thread_create(void (*entry)(void *argument), void *argument)
{
	struct start *start = malloc(sizeof *start);
	pthread_t thread;
	if (start == NULL) return 1;
	start->entry = entry;
	start->argument = argument;
	int error = pthread_create(&thread, NULL, run, start);
	if (error == 0) pthread_detach(thread);
	return error;
}

void flexc_ept_thread_yield(void) { sched_yield(); }

/* A key's destructor runs when the thread ends: the channel goes back to the pool. */
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static void (*at_exit)(void);

static void thread_ended(void *unused)
{
	(void)unused;
	at_exit();
}

static void make_exit_key(void)
{
	pthread_key_create(&exit_key, thread_ended);
}

void flexc_ept_thread_at_exit(void (*function)(void))
{
	at_exit = function;
	pthread_once(&exit_key_once, make_exit_key);
	pthread_setspecific(exit_key, (void *)1);
}
