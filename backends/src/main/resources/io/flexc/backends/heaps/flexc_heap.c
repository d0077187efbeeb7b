/*
 * The heaps' place and size; a backend may set them before this text. A backend that owns the
 * process's whole malloc (proc) defines FLEXC_HEAP_FOREIGN_FREE and FLEXC_HEAP_FOREIGN_REALLOC
 * for blocks no heap owns; by default they go back to the C library's allocator.
 */
#ifndef FLEXC_HEAP_BASE
#define FLEXC_HEAP_BASE ((uintptr_t)0x600000000000)
#endif
#ifndef FLEXC_HEAP_SIZE
#define FLEXC_HEAP_SIZE ((size_t)64 << 20)
#endif
#ifndef FLEXC_HEAP_FOREIGN_FREE
#define FLEXC_HEAP_FOREIGN_FREE(pointer) free(pointer)
#define FLEXC_HEAP_FOREIGN_REALLOC(pointer, size) realloc((pointer), (size))
#endif
#define FLEXC_HEAP_ALIGNMENT 16
/* In the header before a block handed out with a larger alignment: its distance to the real block, this bit set. */
#define FLEXC_HEAP_ALIGNED 1

/* Blocks tile the heap after its record: each header is followed by size bytes, then the next header. */
struct flexc_block {
	size_t size; /* bytes after the header */
	union {
		struct flexc_block *next; /* free: the next free block, by address */
		const void *site; /* allocated: the code that allocated it (its caller's return address) */
	};
};

/*
 * With FLEXC_HEAP_BINS (proc, where every allocation of the program comes here), a freed block of
 * up to FLEXC_HEAP_BINS * FLEXC_HEAP_ALIGNMENT bytes waits in the bin of its size, last in first
 * out and never merged, marked FLEXC_HEAP_BINNED in its header: programs free and allocate small
 * blocks of few sizes, which then cost no walk of the free list (dlmalloc's fast bins).
 */
#define FLEXC_HEAP_BINNED 2

/*
 * A heap's reserved addresses are left out of core dumps but for the part blocks were ever carved
 * from, which grows in steps of this many bytes: a crash's core holds what the program used, not
 * gigabytes of reserve (written out as zeros where cores go through a pipe).
 */
#define FLEXC_HEAP_DUMP_STEP ((size_t)1 << 20)

struct flexc_heap {
	pthread_mutex_t lock;
	struct flexc_block *free;
	char *dumped_end; /* the end of the part left in core dumps */
#ifdef FLEXC_HEAP_BINS
	struct flexc_block *bins[FLEXC_HEAP_BINS];
#endif
} __attribute__((aligned(64)));

static struct flexc_heap *flexc_heap(int k)
{
	return (struct flexc_heap *)(FLEXC_HEAP_BASE + (uintptr_t)k * FLEXC_HEAP_SIZE);
}

static int flexc_heap_owner(const void *address)
{
	uintptr_t offset = (uintptr_t)address - FLEXC_HEAP_BASE;

	if ((uintptr_t)address < FLEXC_HEAP_BASE || offset >= FLEXC_HEAP_COUNT * FLEXC_HEAP_SIZE)
		return -1;
	return (int)(offset / FLEXC_HEAP_SIZE);
}

static int flexc_heap_owns(const struct flexc_heap *heap, const void *block)
{
	return (const char *)block > (const char *)heap && (const char *)block < (const char *)heap + FLEXC_HEAP_SIZE;
}

static void flexc_heap_die(const char *what)
{
	perror(what);
	_exit(127);
}

/*
 * Maps heap k at its fixed address, one free block, with sharing MAP_PRIVATE or MAP_SHARED (proc:
 * the heap of a compartment whose memory other compartments may read, or every heap of a
 * profiling build, which the other processes, forked later, then see live).
 */
static struct flexc_heap *flexc_heap_reserve_as(int k, int sharing)
{
	struct flexc_heap *heap = flexc_heap(k);
	pthread_mutexattr_t attributes;

	if (mmap(heap, FLEXC_HEAP_SIZE, PROT_READ | PROT_WRITE,
		 sharing | MAP_ANONYMOUS | MAP_NORESERVE |
		 MAP_FIXED_NOREPLACE, -1, 0) != heap)
		flexc_heap_die("flexc: reserving a compartment's heap at its fixed address");
	madvise(heap, FLEXC_HEAP_SIZE, MADV_DONTDUMP);
	heap->dumped_end = (char *)heap;
	/* A shared heap's lock is taken and let go in several processes around their forks: a process-shared mutex. */
	pthread_mutexattr_init(&attributes);
	if (sharing == MAP_SHARED)
		pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&heap->lock, &attributes);
	pthread_mutexattr_destroy(&attributes);
	heap->free = (struct flexc_block *)(heap + 1);
	heap->free->size = FLEXC_HEAP_SIZE - sizeof *heap - sizeof(struct flexc_block);
	heap->free->next = NULL;
	return heap;
}

/* Maps heap k at its fixed address, one free block: a backend's start-up calls it for each heap. */
static struct flexc_heap *flexc_heap_reserve(int k)
{
	return flexc_heap_reserve_as(k, MAP_PRIVATE);
}

/* The header of the block that pointer (a block handed out) starts, whatever its alignment. */
static struct flexc_block *flexc_heap_block(void *pointer)
{
	struct flexc_block *header = (struct flexc_block *)pointer - 1;

	if (header->size & FLEXC_HEAP_ALIGNED)
		return (struct flexc_block *)((char *)pointer - (header->size & ~(size_t)FLEXC_HEAP_ALIGNED)) - 1;
	return header;
}

/* The bytes a caller may use from pointer on (malloc_usable_size). */
__attribute__((unused)) static size_t flexc_heap_usable(void *pointer)
{
	struct flexc_block *block = flexc_heap_block(pointer);

	return (size_t)((char *)(block + 1) + block->size - (char *)pointer);
}

/*
 * The block of heap holding address, walking the tiles from the first (for a fault's report, so
 * reading only, bounded by the heap's end): its header, and in *free whether it is free; NULL if
 * the address is in the heap's record or the walk meets a broken header. (Not every backend reports
 * so: unused is no warning.)
 */
__attribute__((unused)) static const struct flexc_block *flexc_heap_find(const struct flexc_heap *heap,
									  const void *address, int *is_free)
{
	const char *end = (const char *)heap + FLEXC_HEAP_SIZE;
	const struct flexc_block *block = (const struct flexc_block *)(heap + 1);
	const struct flexc_block *unused = heap->free;

	while ((const char *)(block + 1) <= end) {
		size_t size = block->size & ~(size_t)(FLEXC_HEAP_ALIGNMENT - 1);
		const struct flexc_block *next = (const struct flexc_block *)((const char *)(block + 1) + size);

		if (size > (size_t)(end - (const char *)(block + 1)))
			break;
		while (unused != NULL && unused < block && (const char *)unused > (const char *)heap && (const char *)unused < end)
			unused = unused->next;
		if ((const char *)address < (const char *)next) {
			*is_free = unused == block || (block->size & FLEXC_HEAP_BINNED) != 0;
			return (const char *)address >= (const char *)block ? block : NULL;
		}
		block = next;
	}
	return NULL;
}

/*
 * A block this heap does not own goes back to the C library when it is the C library's (a
 * string from strdup, a shared buffer); another compartment's cannot be touched from here.
 */
static void flexc_heap_refuse_other_compartments(const void *pointer)
{
	static const char message[] =
		"flexc: a compartment freed or resized a block of another compartment's heap\n";

	if (flexc_heap_owner(pointer) < 0)
		return;
	if (write(STDERR_FILENO, message, sizeof message - 1) < 0)
		_exit(127);
	abort();
}

/* Called with the lock held when a block ending at end was carved out. */
static void flexc_heap_keep_in_dumps(struct flexc_heap *heap, const char *end)
{
	char *limit = (char *)heap + FLEXC_HEAP_SIZE;
	char *from = heap->dumped_end;

	if (end <= from)
		return;
	heap->dumped_end = (char *)heap + (((size_t)(end - (char *)heap) + FLEXC_HEAP_DUMP_STEP - 1) & ~(FLEXC_HEAP_DUMP_STEP - 1));
	if (heap->dumped_end > limit)
		heap->dumped_end = limit;
	madvise(from, (size_t)(heap->dumped_end - from), MADV_DODUMP);
}

static void *flexc_heap_allocate(struct flexc_heap *heap, size_t size, const void *site)
{
	struct flexc_block **link;
	void *result = NULL;

	if (size > FLEXC_HEAP_SIZE) {
		errno = ENOMEM;
		return NULL;
	}
	size = (size + FLEXC_HEAP_ALIGNMENT - 1) & ~(size_t)(FLEXC_HEAP_ALIGNMENT - 1);
	pthread_mutex_lock(&heap->lock);
#ifdef FLEXC_HEAP_BINS
	if (size != 0 && size <= FLEXC_HEAP_BINS * FLEXC_HEAP_ALIGNMENT && heap->bins[size / FLEXC_HEAP_ALIGNMENT - 1] != NULL) {
		struct flexc_block *block = heap->bins[size / FLEXC_HEAP_ALIGNMENT - 1];

		heap->bins[size / FLEXC_HEAP_ALIGNMENT - 1] = block->next;
		block->size &= ~(size_t)FLEXC_HEAP_BINNED;
		block->site = site;
		pthread_mutex_unlock(&heap->lock);
		return block + 1;
	}
#endif
	for (link = &heap->free; *link != NULL; link = &(*link)->next) {
		struct flexc_block *block = *link;

		if (block->size < size)
			continue;
		if (block->size >= size + 2 * sizeof(struct flexc_block)) {
			struct flexc_block *rest = (struct flexc_block *)((char *)(block + 1) + size);

			rest->size = block->size - size - sizeof(struct flexc_block);
			rest->next = block->next;
			block->size = size;
			*link = rest;
		} else {
			*link = block->next;
		}
		block->site = site;
		result = block + 1;
		flexc_heap_keep_in_dumps(heap, (const char *)(block + 1) + block->size + sizeof(struct flexc_block));
		break;
	}
	pthread_mutex_unlock(&heap->lock);
	if (result == NULL)
		errno = ENOMEM;
	return result;
}

/*
 * A block whose address is a multiple of alignment (a power of two): a larger block, and before
 * the aligned address a header that leads back to it.
 */
__attribute__((unused)) static void *flexc_heap_allocate_aligned(struct flexc_heap *heap, size_t alignment, size_t size, const void *site)
{
	char *block;
	char *aligned;
	struct flexc_block *header;

	if (alignment <= FLEXC_HEAP_ALIGNMENT)
		return flexc_heap_allocate(heap, size, site);
	if (size > FLEXC_HEAP_SIZE || alignment > FLEXC_HEAP_SIZE) {
		errno = ENOMEM;
		return NULL;
	}
	block = flexc_heap_allocate(heap, size + alignment, site);
	if (block == NULL || ((uintptr_t)block & (alignment - 1)) == 0)
		return block;
	aligned = (char *)(((uintptr_t)block + alignment - 1) & ~(uintptr_t)(alignment - 1));
	header = (struct flexc_block *)aligned - 1;
	header->size = (size_t)(aligned - block) | FLEXC_HEAP_ALIGNED;
	header->site = site;
	return aligned;
}

static void *flexc_heap_allocate_zeroed(struct flexc_heap *heap, size_t count, size_t size, const void *site)
{
	void *block;

	if (size != 0 && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	block = flexc_heap_allocate(heap, count * size, site);
	if (block != NULL)
		memset(block, 0, count * size);
	return block;
}

static void flexc_heap_free(struct flexc_heap *heap, void *pointer)
{
	struct flexc_block *block;
	struct flexc_block **link;

	if (pointer == NULL)
		return;
	if (!flexc_heap_owns(heap, pointer)) {
		flexc_heap_refuse_other_compartments(pointer);
		FLEXC_HEAP_FOREIGN_FREE(pointer);
		return;
	}
	block = flexc_heap_block(pointer);
	pthread_mutex_lock(&heap->lock);
#ifdef FLEXC_HEAP_BINS
	if (block->size != 0 && block->size <= FLEXC_HEAP_BINS * FLEXC_HEAP_ALIGNMENT) {
		struct flexc_block **bin = &heap->bins[block->size / FLEXC_HEAP_ALIGNMENT - 1];

		block->next = *bin;
		block->size |= FLEXC_HEAP_BINNED;
		*bin = block;
		pthread_mutex_unlock(&heap->lock);
		return;
	}
#endif
	for (link = &heap->free; *link != NULL && *link < block; link = &(*link)->next)
		;
	block->next = *link;
	*link = block;
	if (block->next != NULL && (char *)(block + 1) + block->size == (char *)block->next) {
		block->size += sizeof(struct flexc_block) + block->next->size;
		block->next = block->next->next;
	}
	if (link != &heap->free) {
		struct flexc_block *before = (struct flexc_block *)((char *)link - offsetof(struct flexc_block, next));

		if ((char *)(before + 1) + before->size == (char *)block) {
			before->size += sizeof(struct flexc_block) + block->size;
			before->next = block->next;
		}
	}
	pthread_mutex_unlock(&heap->lock);
}

static void *flexc_heap_reallocate(struct flexc_heap *heap, void *old, size_t size, const void *site)
{
	void *block;
	size_t kept;

	if (old == NULL)
		return flexc_heap_allocate(heap, size, site);
	if (!flexc_heap_owns(heap, old)) {
		flexc_heap_refuse_other_compartments(old);
		return FLEXC_HEAP_FOREIGN_REALLOC(old, size);
	}
	if (size == 0) {
		flexc_heap_free(heap, old);
		return NULL;
	}
	block = flexc_heap_allocate(heap, size, site);
	if (block == NULL)
		return NULL;
	kept = flexc_heap_usable(old);
	memcpy(block, old, kept < size ? kept : size);
	flexc_heap_free(heap, old);
	return block;
}
