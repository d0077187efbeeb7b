/*
 * The ivshmem device as a Linux guest sees it, for running each ept image as a static Linux
 * program in a VM of its own (scripts/ept-in-qemu.sh): the device is found by its ids in sysfs,
 * its BARs' guest-physical addresses are read from its `resource` file, and a BAR is mapped
 * through its `resourceN` file (uncached, as sysfs maps them). With ivshmem-plain there are no
 * doorbells: the VMs poll (linux_threads.c).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include "flexc_hypervisor.h"

#define DEVICES "/sys/bus/pci/devices"
#define BARS 6

/* The sysfs directory of the device flexc_kvm_pci_bar found. */
static char found[PATH_MAX];

static unsigned long read_number(const char *directory, const char *name)
{
	char path[PATH_MAX];
	unsigned long value = 0;
	FILE *file;

	snprintf(path, sizeof path, "%s/%s", directory, name);
	file = fopen(path, "r");
	if (file == NULL)
		return 0;
	if (fscanf(file, "%lx", &value) != 1)
		value = 0;
	fclose(file);
	return value;
}

/* Start and end (inclusive) of every BAR of the device in `found`; returns how many were read. */
static int read_bars(unsigned long long start[BARS], unsigned long long end[BARS])
{
	char path[PATH_MAX];
	unsigned long long flags;
	FILE *resource;
	int bars = 0;

	snprintf(path, sizeof path, "%s/resource", found);
	resource = fopen(path, "r");
	if (resource == NULL)
		return 0;
	while (bars < BARS && fscanf(resource, "%llx %llx %llx", &start[bars], &end[bars], &flags) == 3)
		bars++;
	fclose(resource);
	return bars;
}

uintptr_t flexc_kvm_pci_bar(uint16_t vendor, uint16_t device, int bar, size_t *size)
{
	unsigned long long start[BARS], end[BARS];
	DIR *devices = opendir(DEVICES);
	struct dirent *entry;

	if (devices == NULL)
		return 0;
	found[0] = '\0';
	while ((entry = readdir(devices)) != NULL) {
		char directory[PATH_MAX];

		if (entry->d_name[0] == '.')
			continue;
		snprintf(directory, sizeof directory, "%s/%s", DEVICES, entry->d_name);
		if (read_number(directory, "vendor") == vendor && read_number(directory, "device") == device) {
			snprintf(found, sizeof found, "%s", directory);
			break;
		}
	}
	closedir(devices);
	if (found[0] == '\0' || read_bars(start, end) <= bar || start[bar] == 0)
		return 0;
	*size = (size_t)(end[bar] - start[bar] + 1);
	return (uintptr_t)start[bar];
}

int flexc_kvm_map_physical(uintptr_t virtual_address, uintptr_t physical, size_t size, int uncached)
{
	unsigned long long start[BARS], end[BARS];
	int bars = read_bars(start, end);

	(void)uncached;
	for (int bar = 0; bar < bars; bar++) {
		char path[PATH_MAX];
		int file;
		void *mapped;

		if (start[bar] == 0 || physical < start[bar] || physical > end[bar])
			continue;
		snprintf(path, sizeof path, "%s/resource%d", found, bar);
		file = open(path, O_RDWR | O_SYNC);
		mapped = file < 0 ? MAP_FAILED
				  : mmap((void *)virtual_address, size, PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_FIXED_NOREPLACE, file, (off_t)(physical - start[bar]));
		if (mapped == MAP_FAILED)
			perror(path);
		if (file >= 0)
			close(file);
		return mapped == MAP_FAILED ? -1 : 0;
	}
	fprintf(stderr, "%s: no BAR holds guest-physical address %#lx\n", found, (unsigned long)physical);
	return -1;
}
