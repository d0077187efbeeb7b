/*
 * A fake ivshmem device, for running ept images as Linux processes in a test: the memory BAR is
 * the file FAKE_IVSHMEM, which every image maps; the registers are a private page whose
 * IVPosition is FAKE_PEER, and doorbells written there go nowhere. The memory is the build's
 * shared area (its size follows build: {channels: N}) and a MiB for the peer page.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "flexc_hypervisor.h"
#include "flexc_rpc.h"

#define MEMORY 0x1000000000UL
#define REGISTERS 0x2000000000UL
#define MEMORY_BYTES ((size_t)FLEXC_RPC_AREA_SIZE + ((size_t)1 << 20))

uintptr_t flexc_kvm_pci_bar(uint16_t vendor, uint16_t device, int bar, size_t *size)
{
	(void)vendor; (void)device;
	*size = bar == FLEXC_IVSHMEM_MEMORY_BAR ? MEMORY_BYTES : 4096;
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
	if (memory < 0 || ftruncate(memory, (off_t)MEMORY_BYTES) != 0) return -1;
	void *mapped = mmap((void *)virtual_address, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, memory, 0);
	close(memory);
	return mapped == MAP_FAILED ? -1 : 0;
}
