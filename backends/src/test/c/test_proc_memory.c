/*
 * The proc backend's memory runtime (flexc_proc_memory.c as flexc writes it for two compartments,
 * main 0), included here so its static functions can be checked, as this program's malloc: the
 * program's and the C library's allocations come from compartment 0's heap, aligned ones are
 * aligned, realloc keeps the bytes, a block records the code that allocated it, a small freed
 * block is found free and is the next one of its size, a forked process
 * that becomes compartment 1 allocates from heap 1, and the program's own symbol table names a
 * static function and a global. The compartments' sections are plain arrays here. Prints
 * "proc memory: ok" or the first check that failed.
 */
#include "flexc_proc_memory.c"

#include <sys/wait.h>

#define CHECK(condition)                                                          \
	do {                                                                      \
		if (!(condition)) {                                               \
			printf("proc memory: line %d: %s\n", __LINE__, #condition); \
			exit(1);                                                  \
		}                                                                 \
	} while (0)

char __flexc_c0_text_start[1], __flexc_c0_text_end[1], __flexc_c1_text_start[1], __flexc_c1_text_end[1];
char __flexc_c0_data_start[1], __flexc_c0_data_end[1], __flexc_c1_data_start[1], __flexc_c1_data_end[1];
char __flexc_c0_bss_start[1], __flexc_c0_bss_end[1], __flexc_c1_bss_start[1], __flexc_c1_bss_end[1];
const char *const flexc_rpc_names[FLEXC_RPC_COMPARTMENTS] = { "app", "vault" };

int counted_entries = 3;

void *flexc_shared_realloc(void *pointer, size_t size)
{
	(void)pointer;
	(void)size;
	return NULL;
}

void flexc_shared_free(void *pointer)
{
	(void)pointer;
}

size_t flexc_shared_usable(const void *pointer)
{
	(void)pointer;
	return 0;
}

int flexc_transport_spawn(void (*entry)(void *argument), void *argument)
{
	(void)entry;
	(void)argument;
	return 0;
}

static int in_heap(const void *pointer, int k)
{
	return flexc_heap_owner(pointer) == k;
}

__attribute__((noinline)) static void *allocate_here(size_t size)
{
	void *block = malloc(size);

	__asm__ volatile("" ::: "memory");
	return block;
}

int main(void)
{
	char name[128];
	char *text = malloc(100);
	char *copy = strdup("a string of the C library's");
	void *aligned = NULL;
	void *page = aligned_alloc(4096, 10);
	int is_free = 0;
	pid_t child;
	int status;

	CHECK(text != NULL && in_heap(text, 0));
	CHECK(copy != NULL && in_heap(copy, 0) && strcmp(copy, "a string of the C library's") == 0);
	CHECK(posix_memalign(&aligned, 256, 1000) == 0 && ((uintptr_t)aligned & 255) == 0 && in_heap(aligned, 0));
	CHECK(malloc_usable_size(aligned) >= 1000);
	CHECK(page != NULL && ((uintptr_t)page & 4095) == 0);
	CHECK(posix_memalign(&aligned, 3, 10) == EINVAL);
	strcpy(text, "kept");
	text = realloc(text, 100000);
	CHECK(text != NULL && strcmp(text, "kept") == 0);
	free(copy);
	free(page);

	{
		volatile size_t size = 48; /* not a constant, so that gcc does not clone allocate_here (and rename it) */
		char *block = allocate_here(size);
		void *volatile freed = block; /* read again after the free: no use of block */
		const struct flexc_block *found = flexc_heap_find(flexc_heap(0), block + 10, &is_free);

		CHECK(found != NULL && !is_free && (const char *)(found + 1) == block && found->size == 48);
		flexc_symbolize((uintptr_t)found->site, name, sizeof name);
		CHECK(strcmp(name, "allocate_here") == 0);
		free(block);
		found = flexc_heap_find(flexc_heap(0), freed, &is_free);
		CHECK(found != NULL && is_free);
		/* Kept in the bin of its size, it is the next block of that size. */
		CHECK(allocate_here(size) == freed);
	}
	flexc_symbolize((uintptr_t)&counted_entries, name, sizeof name);
	CHECK(strcmp(name, "counted_entries") == 0);

	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		flexc_proc_become(1);
		text = malloc(10);
		_exit(in_heap(text, 1) ? 0 : 1);
	}
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("proc memory: ok\n");
	return 0;
}
