#define FLEXC_HEAP_BASE ((uintptr_t)0x600000000000)
#define FLEXC_HEAP_SIZE ((size_t)64 << 20)
#define FLEXC_HEAP_ALIGNMENT 16

struct flexc_block {
	size_t size; /* bytes after the header */
	struct flexc_block *next; /* next free block, by address; unused while allocated */
};

struct flexc_heap {
	pthread_mutex_t lock;
	struct flexc_block *free;
} __attribute__((aligned(64)));

static struct flexc_heap *flexc_heap(int k)
{
	return (struct flexc_heap *)(FLEXC_HEAP_BASE + (uintptr_t)k * FLEXC_HEAP_SIZE);
}

int flexc_mpk_heap_owner(const void *address)
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

/* Runs after the keys are allocated (flexc_mpk_runtime.c, priority 101), before any library's code. */
__attribute__((constructor(102))) static void flexc_heaps_reserve(void)
{
	for (int k = 0; k < FLEXC_HEAP_COUNT; k++) {
		struct flexc_heap *heap = flexc_heap(k);

		if (mmap(heap, FLEXC_HEAP_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0) != heap)
			flexc_heap_die("flexc: reserving a compartment's heap at its fixed address");
		pthread_mutex_init(&heap->lock, NULL);
		heap->free = (struct flexc_block *)(heap + 1);
		heap->free->size = FLEXC_HEAP_SIZE - sizeof *heap - sizeof(struct flexc_block);
		heap->free->next = NULL;
		if (pkey_mprotect(heap, FLEXC_HEAP_SIZE, PROT_READ | PROT_WRITE, k + 1) != 0)
			flexc_heap_die("flexc: pkey_mprotect of a compartment's heap");
	}
}

/*
 * A block this heap does not own goes back to the C library when it is the C library's (a
 * string from strdup, a shared buffer); another compartment's cannot be touched from here.
 */
static void flexc_heap_refuse_other_compartments(const void *pointer)
{
	static const char message[] =
		"flexc: a compartment freed or resized a block of another compartment's heap\n";

	if (flexc_mpk_heap_owner(pointer) < 0)
		return;
	if (write(STDERR_FILENO, message, sizeof message - 1) < 0)
		_exit(127);
	abort();
}

static void *flexc_heap_allocate(struct flexc_heap *heap, size_t size)
{
	struct flexc_block **link;
	void *result = NULL;

	if (size > FLEXC_HEAP_SIZE) {
		errno = ENOMEM;
		return NULL;
	}
	size = (size + FLEXC_HEAP_ALIGNMENT - 1) & ~(size_t)(FLEXC_HEAP_ALIGNMENT - 1);
	pthread_mutex_lock(&heap->lock);
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
		result = block + 1;
		break;
	}
	pthread_mutex_unlock(&heap->lock);
	if (result == NULL)
		errno = ENOMEM;
	return result;
}

static void *flexc_heap_allocate_zeroed(struct flexc_heap *heap, size_t count, size_t size)
{
	void *block;

	if (size != 0 && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	block = flexc_heap_allocate(heap, count * size);
	if (block != NULL)
		memset(block, 0, count * size);
	return block;
}

static void flexc_heap_free(struct flexc_heap *heap, void *pointer)
{
	struct flexc_block *block = (struct flexc_block *)pointer - 1;
	struct flexc_block **link;

	if (pointer == NULL)
		return;
	if (!flexc_heap_owns(heap, pointer)) {
		flexc_heap_refuse_other_compartments(pointer);
		free(pointer);
		return;
	}
	pthread_mutex_lock(&heap->lock);
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

static void *flexc_heap_reallocate(struct flexc_heap *heap, void *old, size_t size)
{
	void *block;
	size_t kept;

	if (old == NULL)
		return flexc_heap_allocate(heap, size);
	if (!flexc_heap_owns(heap, old)) {
		flexc_heap_refuse_other_compartments(old);
		return realloc(old, size);
	}
	if (size == 0) {
		flexc_heap_free(heap, old);
		return NULL;
	}
	block = flexc_heap_allocate(heap, size);
	if (block == NULL)
		return NULL;
	kept = ((struct flexc_block *)old - 1)->size;
	memcpy(block, old, kept < size ? kept : size);
	flexc_heap_free(heap, old);
	return block;
}
