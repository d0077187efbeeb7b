
/*
 * Every process of a proc program is a fork of the first, so without this a pointer into another
 * compartment's memory would read the caller's own bytes at that address, silently. Here each
 * compartment's private memory lives at addresses of its own, reserved in every process and
 * inaccessible (PROT_NONE) in all but its owner's:
 * - data and bss: the linker script's page-aligned ranges per compartment (flexc_private);
 * - code: the other compartments' text (flexc_code), so a call through an ungated function
 *   pointer faults instead of running in the wrong process;
 * - heap: the whole malloc family of the program (the C library's own allocations too) comes from
 *   the heap of the process's compartment (flexc_heap.c, heap k at FLEXC_HEAP_BASE + k *
 *   FLEXC_HEAP_SIZE); what main's process allocated before the fork is main's;
 * - stacks: the protocol's threads run on stacks in their compartment's stack area
 *   (FLEXC_STACK_BASE + k * FLEXC_STACK_AREA), and a child leaves the main thread's stack it
 *   inherited for one of its own, then makes that stack inaccessible;
 * - what the kernel places (the program's own threads' stacks, mapped files, libraries opened
 *   later): the kernel places a new mapping in the highest free range below the libraries, the
 *   same in every process, so the space below the libraries is cut in one band per compartment
 *   and each process reserves the others' bands (and, before the fork, every hole among the
 *   mappings above): its own mappings land in its own band.
 * A fault is reported with the compartment and function that touched the memory, its owner and
 * what it is: a global by name, a heap block with where it was allocated (asked of its owner,
 * whose heap only it can read, through a slot in memory every process shares), a stack, or a
 * function called directly. A program that handles SIGSEGV itself (Redis prints a bug report)
 * keeps its handler: flexc's reports first, then runs it (sigaction below).
 *
 * flexc.yaml's trust (flexc_trust) opens a compartment's data, bss and heap to named others: those
 * are shared mappings made before the fork (so every process sees the owner's live bytes), mapped
 * readable, or readable and writable, in the reader's process and inaccessible elsewhere as above.
 * Stacks and what the kernel places stay private: a reader that follows a pointer into the owner's
 * stack still faults.
 */

#define FLEXC_STACK_BASE ((uintptr_t)0x580000000000)
/* A stack for each channel's server thread and a few more (1 GiB with 64 channels), below the heaps. */
#define FLEXC_STACK_AREA ((size_t)(FLEXC_RPC_CHANNELS + 64) * FLEXC_STACK_SIZE)
#define FLEXC_STACK_SIZE ((size_t)8 << 20)
#define FLEXC_PAGE ((size_t)4096)

_Static_assert(FLEXC_STACK_BASE + FLEXC_STACK_AREA * FLEXC_HEAP_COUNT <= FLEXC_HEAP_BASE, "the stack areas end below the heaps");

extern char **environ;
extern void *__libc_stack_end;
extern const char __ehdr_start[] __attribute__((visibility("hidden")));

/* Whose heap this process allocates from: main's until a child becomes its compartment. */
static int flexc_heap_self = FLEXC_PROC_MAIN;
static int flexc_heaps_reserved;

/* The main thread's stack, its arguments and environment at the top: main's, out of reach in the children. */
static uintptr_t flexc_main_stack_low, flexc_main_stack_high;

/* The bands of what the kernel places: band k is [flexc_band_top - (k + 1) * size, flexc_band_top - k * size). */
static uintptr_t flexc_band_top, flexc_band_size;

/* A faulting process asks the owner of a heap address for its block: one slot per compartment, in shared memory. */
struct flexc_describe {
	uint32_t lock;
	uint32_t state; /* FLEXC_IDLE, FLEXC_ASKED, FLEXC_ANSWERED */
	uintptr_t address;
	uintptr_t block;
	size_t size;
	uintptr_t site;
	uintptr_t frames[4]; /* the site, in profiling builds (flexc_proc_sharing.c's FLEXC_SITE_WORDS) */
	int found;
	int is_free;
};

enum { FLEXC_IDLE, FLEXC_ASKED, FLEXC_ANSWERED };

static struct flexc_describe *flexc_describes;

/*
 * The measured source of sharing (flexc_proc_sharing.c, appended below in the builds that profile
 * or use a profile): a block's site, the fault that records, the start-up that prepares.
 */
#if defined(FLEXC_PROC_PROFILE) || defined(FLEXC_PROC_SHARED_SITES)
static void flexc_sharing_prepare(void);
static void flexc_sharing_start(void);
#endif
#ifdef FLEXC_PROC_PROFILE
static const void *flexc_profile_site(const void *caller);
static void flexc_site_frames(const void *site, uintptr_t *frames);
static void flexc_profile_share_site(const void *site);
static int flexc_profile_fault(siginfo_t *info, void *context);
static void flexc_profile_write(void);
#define FLEXC_SITE() flexc_profile_site(__builtin_return_address(0))
#else
#define FLEXC_SITE() __builtin_return_address(0)
#endif
#if defined(FLEXC_PROC_PROFILE) || defined(FLEXC_PROC_SHARED_SITES)
void *flexc_shared_malloc(size_t size);
void *flexc_shared_calloc(size_t count, size_t size);
static void *flexc_shared_move(void *old, size_t size);
static int flexc_shared_site(const void *caller, void *const *slot);
/* slot: where the allocator's return address is (its frame pointer's word above), for the profile's sites to read the stack from. */
#define FLEXC_SHARED_SITE(site, allocation)                                                     \
	do {                                                                                    \
		if (flexc_shared_site(site, (void *const *)__builtin_frame_address(0) + 1))     \
			return allocation;                                                      \
	} while (0)
#else
#define FLEXC_SHARED_SITE(site, allocation) do { (void)(site); } while (0)
#endif

__attribute__((noreturn)) static void flexc_memory_die(const char *what)
{
	perror(what);
	_exit(127);
}

/* What compartment reader may do with owner's data, bss and heap in its process, by flexc.yaml's trust: a protection. */
static int flexc_trust_access(int owner, int reader)
{
	int access = PROT_NONE;

	for (const struct flexc_trust *edge = flexc_trust; edge->owner >= 0; edge++)
		if (edge->owner == owner && edge->reader == reader)
			access = edge->writable ? PROT_READ | PROT_WRITE : PROT_READ;
	return access;
}

/* Whether another compartment may read owner's memory: then it lives in shared mappings, made before the fork. */
static int flexc_trusted(int owner)
{
	for (const struct flexc_trust *edge = flexc_trust; edge->owner >= 0; edge++)
		if (edge->owner == owner)
			return 1;
	return 0;
}

/*
 * Whether owner's heap, data and bss are shared mappings, made before the fork: another
 * compartment may read them (flexc.yaml's trust), or a profiling build opens their pages to the
 * others one access at a time, which must show the owner's live bytes.
 */
static int flexc_memory_shared(int owner)
{
	int profiling = 0;

#ifdef FLEXC_PROC_PROFILE
	profiling = 1;
#endif
	return profiling || flexc_trusted(owner);
}

static void flexc_reserve_heaps(void)
{
	if (flexc_heaps_reserved)
		return;
	flexc_heaps_reserved = 1;
	for (int k = 0; k < FLEXC_HEAP_COUNT; k++)
		if (flexc_memory_shared(k))
			flexc_heap_reserve_as(k, MAP_SHARED);
		else
			flexc_heap_reserve(k);
}

/* The first allocation reserves the heaps: the C library may allocate before any constructor runs. */
static struct flexc_heap *flexc_own_heap(void)
{
	if (!flexc_heaps_reserved)
		flexc_reserve_heaps();
	return flexc_heap(flexc_heap_self);
}

static int flexc_in_shared_area(const void *pointer)
{
	return (uintptr_t)pointer - FLEXC_RPC_AREA_ADDRESS < FLEXC_RPC_AREA_SIZE;
}

/* A block of the shared heap (flexc_shared_malloc) goes back to it; anything else no heap owns is a bug of the program's. */
static void flexc_free_foreign(void *pointer)
{
	static const char message[] = "flexc: free of a pointer that no malloc returned\n";

	if (flexc_in_shared_area(pointer)) {
		flexc_shared_free(pointer);
		return;
	}
	if (write(STDERR_FILENO, message, sizeof message - 1) < 0)
		_exit(127);
	abort();
}

static void *flexc_realloc_foreign(void *pointer, size_t size)
{
	if (flexc_in_shared_area(pointer))
		return flexc_shared_realloc(pointer, size);
	flexc_free_foreign(pointer);
	return NULL;
}

/* Never inlined: a block's allocation site is the return address of the call to these. */
#define FLEXC_ALLOCATOR __attribute__((noinline))

FLEXC_ALLOCATOR void *malloc(size_t size)
{
	const void *site = FLEXC_SITE();

	FLEXC_SHARED_SITE(site, flexc_shared_malloc(size));
	return flexc_heap_allocate(flexc_own_heap(), size, site);
}

FLEXC_ALLOCATOR void *calloc(size_t count, size_t size)
{
	const void *site = FLEXC_SITE();

	FLEXC_SHARED_SITE(site, flexc_shared_calloc(count, size));
	return flexc_heap_allocate_zeroed(flexc_own_heap(), count, size, site);
}

FLEXC_ALLOCATOR void *realloc(void *old, size_t size)
{
	const void *site = FLEXC_SITE();

	FLEXC_SHARED_SITE(site, flexc_shared_move(old, size));
	return flexc_heap_reallocate(flexc_own_heap(), old, size, site);
}

void free(void *block)
{
	flexc_heap_free(flexc_own_heap(), block);
}

static int flexc_alignment_valid(size_t alignment)
{
	return alignment != 0 && (alignment & (alignment - 1)) == 0;
}

FLEXC_ALLOCATOR void *memalign(size_t alignment, size_t size)
{
	if (!flexc_alignment_valid(alignment)) {
		errno = EINVAL;
		return NULL;
	}
	return flexc_heap_allocate_aligned(flexc_own_heap(), alignment, size, FLEXC_SITE());
}

FLEXC_ALLOCATOR void *aligned_alloc(size_t alignment, size_t size)
{
	if (!flexc_alignment_valid(alignment)) {
		errno = EINVAL;
		return NULL;
	}
	return flexc_heap_allocate_aligned(flexc_own_heap(), alignment, size, FLEXC_SITE());
}

FLEXC_ALLOCATOR int posix_memalign(void **result, size_t alignment, size_t size)
{
	void *block;

	if (!flexc_alignment_valid(alignment) || alignment % sizeof(void *) != 0)
		return EINVAL;
	block = flexc_heap_allocate_aligned(flexc_own_heap(), alignment, size, FLEXC_SITE());
	if (block == NULL)
		return ENOMEM;
	*result = block;
	return 0;
}

FLEXC_ALLOCATOR void *valloc(size_t size)
{
	return flexc_heap_allocate_aligned(flexc_own_heap(), FLEXC_PAGE, size, FLEXC_SITE());
}

FLEXC_ALLOCATOR void *pvalloc(size_t size)
{
	if (size > FLEXC_HEAP_SIZE) {
		errno = ENOMEM;
		return NULL;
	}
	return flexc_heap_allocate_aligned(flexc_own_heap(), FLEXC_PAGE, (size + FLEXC_PAGE - 1) & ~(FLEXC_PAGE - 1),
					   FLEXC_SITE());
}

size_t malloc_usable_size(void *block)
{
	if (block != NULL && flexc_in_shared_area(block))
		return flexc_shared_usable(block);
	if (block == NULL || !flexc_heap_owns(flexc_own_heap(), block))
		return 0;
	return flexc_heap_usable(block);
}

/* The main thread's stack as mapped now: [*low, end), end returned; 0 if /proc/self/maps does not say. */
static uintptr_t flexc_main_stack_mapped(uintptr_t *low)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	uintptr_t end = 0;
	char line[512];

	while (maps != NULL && fgets(line, sizeof line, maps) != NULL) {
		unsigned long start, stop;

		if (strstr(line, "[stack]") != NULL && sscanf(line, "%lx-%lx", &start, &stop) == 2) {
			*low = start;
			end = stop;
		}
	}
	if (maps != NULL)
		fclose(maps);
	return end;
}

static uintptr_t flexc_main_stack_end(void)
{
	uintptr_t low;
	uintptr_t end = flexc_main_stack_mapped(&low);

	return end != 0 ? end : ((uintptr_t)__libc_stack_end + FLEXC_PAGE) & ~(uintptr_t)(FLEXC_PAGE - 1);
}

/*
 * The environment and the program's name live at the top of the main thread's stack, in its
 * last page with main's first frames: a child takes copies before it makes the stack
 * inaccessible.
 */
static void flexc_copy_environment(void)
{
	size_t count = 0;
	char **copy;

	while (environ != NULL && environ[count] != NULL)
		count++;
	copy = malloc((count + 1) * sizeof *copy);
	if (copy == NULL)
		flexc_memory_die("flexc: copying the environment");
	for (size_t i = 0; i < count; i++)
		if ((copy[i] = strdup(environ[i])) == NULL)
			flexc_memory_die("flexc: copying the environment");
	copy[count] = NULL;
	environ = copy;
	program_invocation_name = strdup(program_invocation_name);
	program_invocation_short_name = strdup(program_invocation_short_name);
}

static void flexc_reserve(uintptr_t start, uintptr_t end)
{
	if (end > start && mmap((void *)start, end - start, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
				-1, 0) != (void *)start)
		flexc_memory_die("flexc: reserving another compartment's addresses");
}

/*
 * Before the fork: fills the holes among the mappings above the shared area (libraries, the
 * kernel's pages), up to the last before the main thread's stack, and cuts the free space below
 * them into a band per compartment (at most 1 TiB each). Without a page to spare, no bands.
 */
static void flexc_plan_bands(void)
{
	const uintptr_t floor = FLEXC_RPC_AREA_ADDRESS + FLEXC_RPC_AREA_SIZE;
	FILE *maps = fopen("/proc/self/maps", "re");
	uintptr_t lowest = 0, previous = 0;
	char line[512];

	while (maps != NULL && fgets(line, sizeof line, maps) != NULL) {
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx", &start, &end) != 2 || start < floor || strstr(line, "[stack]") != NULL ||
		    strstr(line, "[vsyscall]") != NULL)
			continue;
		if (lowest == 0)
			lowest = start;
		else if (start > previous)
			flexc_reserve(previous, start);
		previous = end;
	}
	if (maps != NULL)
		fclose(maps);
	if (lowest == 0)
		return;
	flexc_band_top = lowest;
	flexc_band_size = ((lowest - floor) / FLEXC_HEAP_COUNT) & ~(uintptr_t)(FLEXC_PAGE - 1);
	if (flexc_band_size > ((uintptr_t)1 << 40))
		flexc_band_size = (uintptr_t)1 << 40;
}

/* After the fork: the other compartments' bands are reserved here, so what the kernel places lands in this one's. */
static void flexc_keep_own_band(void)
{
	for (int k = 0; k < FLEXC_HEAP_COUNT && flexc_band_size > 0; k++)
		if (k != flexc_heap_self)
			flexc_reserve(flexc_band_top - (uintptr_t)(k + 1) * flexc_band_size,
				      flexc_band_top - (uintptr_t)k * flexc_band_size);
}

static int flexc_band_owner(uintptr_t address)
{
	if (flexc_band_size == 0 || address >= flexc_band_top ||
	    address < flexc_band_top - FLEXC_HEAP_COUNT * flexc_band_size)
		return -1;
	return (int)((flexc_band_top - 1 - address) / flexc_band_size);
}

/* A fork (the program's, or the transport's own) must not copy the heap's lock while another thread holds it. */
/* Set once this process keeps its own memory: a fork from then on is the program's, not the transport's. */
static int flexc_memory_kept;

/*
 * Per compartment, in memory every process shares: how many children of the program's forks
 * have copied its shared memory. The parent keeps its heap locked until its child has, so that
 * the copy is the heap as it was at the fork.
 */
static uint32_t *flexc_forks_copied;
static uint32_t flexc_forks_seen;

static int flexc_child_copies_memory(void)
{
	return flexc_memory_kept && flexc_memory_shared(flexc_heap_self);
}

static void flexc_futex(uint32_t *word, int operation, uint32_t value, const struct timespec *timeout);

static void flexc_lock_heap_for_fork(void)
{
	pthread_mutex_lock(&flexc_own_heap()->lock);
	flexc_forks_seen = __atomic_load_n(&flexc_forks_copied[flexc_heap_self], __ATOMIC_SEQ_CST);
}

/* In the parent: once the child has its copy (a child that died first is waited for 10 s at most). */
static void flexc_unlock_heap_after_fork(void)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	uint32_t *copied = &flexc_forks_copied[flexc_heap_self];

	for (int ticks = 0; flexc_child_copies_memory() && ticks < 1000 &&
			    __atomic_load_n(copied, __ATOMIC_SEQ_CST) == flexc_forks_seen; ticks++)
		flexc_futex(copied, FUTEX_WAIT, flexc_forks_seen, &tick);
	pthread_mutex_unlock(&flexc_own_heap()->lock);
}

/*
 * Before the fork: the data and bss that flexc_memory_shared names are moved onto shared memory
 * at the same addresses (their bytes copied, as flexc_share_globals does for the shared globals);
 * each range is whole pages, as the linker script aligns every compartment's sections.
 */
static void flexc_share_sections(void)
{
	for (size_t i = 0; i < sizeof flexc_private / sizeof flexc_private[0]; i++) {
		char *start = flexc_private[i].start;
		size_t size = (size_t)(flexc_private[i].end - start);
		int memory;

		if (size == 0 || !flexc_memory_shared(flexc_private[i].compartment))
			continue;
		memory = memfd_create("flexc-shared-sections", 0);
		if (memory < 0 || write(memory, start, size) != (ssize_t)size)
			flexc_memory_die("flexc: memfd for a compartment's data");
		if (mmap(start, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, memory, 0) != (void *)start)
			flexc_memory_die("flexc: mapping a compartment's data onto shared memory");
		close(memory);
	}
}

/* A private copy of the first used bytes of shared memory at start, for a forked child. */
static void *flexc_snapshot(const char *start, size_t used)
{
	void *copy = mmap(NULL, used, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (copy == MAP_FAILED)
		flexc_memory_die("flexc: copying a compartment's shared memory for a forked child");
	memcpy(copy, start, used);
	return copy;
}

/* Replaces the shared mapping [start, start + size) with a private one holding the snapshot. */
static void flexc_privatize(char *start, size_t size, void *snapshot, size_t used)
{
	if (mmap(start, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) !=
	    (void *)start)
		flexc_memory_die("flexc: a private copy of a compartment's shared memory for a forked child");
	memcpy(start, snapshot, used);
	munmap(snapshot, used);
}

/*
 * In the child of a fork. The transport's forks (before this process keeps its own memory) leave a
 * shared heap's lock to the parent, which unlocks it: the child becomes another compartment and
 * never allocates there. A fork of the program's in a compartment whose memory is shared (with
 * its readers, or in a profiling build) gives the child private copies of its heap, data and bss
 * (a fork's child owns a copy, and the other compartments keep seeing the parent's: Redis's BGSAVE
 * child must not free into the server's heap), copied before the parent unlocks its heap and
 * goes on; the copied lock is then made anew.
 */
static void flexc_heap_after_fork_in_child(void)
{
	struct flexc_heap *heap = flexc_own_heap();
	void *sections[sizeof flexc_private / sizeof flexc_private[0]] = { 0 };
	void *copy;
	size_t used;

	if (!flexc_memory_shared(flexc_heap_self)) {
		pthread_mutex_unlock(&heap->lock);
		return;
	}
	if (!flexc_memory_kept)
		return;
	/* Blocks are carved below dumped_end only, the header of the free rest included. */
	used = (size_t)(heap->dumped_end - (char *)heap);
	if (used < sizeof *heap + sizeof(struct flexc_block))
		used = sizeof *heap + sizeof(struct flexc_block);
	copy = flexc_snapshot((char *)heap, used);
	for (size_t i = 0; i < sizeof flexc_private / sizeof flexc_private[0]; i++)
		if (flexc_private[i].compartment == flexc_heap_self && flexc_private[i].end > flexc_private[i].start)
			sections[i] = flexc_snapshot(flexc_private[i].start, (size_t)(flexc_private[i].end - flexc_private[i].start));
	__atomic_add_fetch(&flexc_forks_copied[flexc_heap_self], 1, __ATOMIC_SEQ_CST);
	flexc_futex(&flexc_forks_copied[flexc_heap_self], FUTEX_WAKE, INT_MAX, NULL);
	flexc_privatize((char *)heap, FLEXC_HEAP_SIZE, copy, used);
	madvise(heap->dumped_end, (size_t)((char *)heap + FLEXC_HEAP_SIZE - heap->dumped_end), MADV_DONTDUMP);
	pthread_mutex_init(&heap->lock, NULL);
	for (size_t i = 0; i < sizeof flexc_private / sizeof flexc_private[0]; i++)
		if (sections[i] != NULL)
			flexc_privatize(flexc_private[i].start, (size_t)(flexc_private[i].end - flexc_private[i].start), sections[i],
					(size_t)(flexc_private[i].end - flexc_private[i].start));
}

void flexc_proc_reserve_memory(void)
{
	struct rlimit limit;

	flexc_reserve_heaps();
	flexc_share_sections();
	flexc_forks_copied = mmap(NULL, sizeof *flexc_forks_copied * FLEXC_HEAP_COUNT, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (flexc_forks_copied == MAP_FAILED)
		flexc_memory_die("flexc: mapping the counts of forks' copies");
	if (pthread_atfork(flexc_lock_heap_for_fork, flexc_unlock_heap_after_fork, flexc_heap_after_fork_in_child) != 0)
		flexc_memory_die("flexc: pthread_atfork");
	if (mmap((void *)FLEXC_STACK_BASE, FLEXC_STACK_AREA * FLEXC_HEAP_COUNT, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0) != (void *)FLEXC_STACK_BASE)
		flexc_memory_die("flexc: reserving the compartments' stack areas");
	flexc_describes = mmap(NULL, sizeof(struct flexc_describe) * FLEXC_HEAP_COUNT, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (flexc_describes == MAP_FAILED)
		flexc_memory_die("flexc: mapping the slots that describe heap blocks");
	flexc_main_stack_high = flexc_main_stack_end();
	if (getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > ((rlim_t)1 << 30))
		limit.rlim_cur = (rlim_t)1 << 30;
	flexc_main_stack_low = flexc_main_stack_high - (uintptr_t)limit.rlim_cur;
#if defined(FLEXC_PROC_PROFILE) || defined(FLEXC_PROC_SHARED_SITES)
	flexc_sharing_prepare();
#endif
	/* Last: the mappings above are all there. */
	flexc_plan_bands();
}

void flexc_proc_become(int compartment)
{
	flexc_heap_self = compartment;
}

void *flexc_proc_thread_stack(size_t *size)
{
	static unsigned taken;
	unsigned slot = __atomic_fetch_add(&taken, 1, __ATOMIC_SEQ_CST);
	char *stack = (char *)(FLEXC_STACK_BASE + (uintptr_t)flexc_heap_self * FLEXC_STACK_AREA) + slot * FLEXC_STACK_SIZE;

	if ((slot + 1) * FLEXC_STACK_SIZE > FLEXC_STACK_AREA)
		return NULL;
	/* The slot's first page stays a guard. */
	if (mprotect(stack + FLEXC_PAGE, FLEXC_STACK_SIZE - FLEXC_PAGE, PROT_READ | PROT_WRITE) != 0)
		return NULL;
	*size = FLEXC_STACK_SIZE - FLEXC_PAGE;
	return stack + FLEXC_PAGE;
}

void flexc_proc_run_on_own_stack(void (*body)(void))
{
	static ucontext_t context;
	size_t size;
	void *stack = flexc_proc_thread_stack(&size);

	if (stack == NULL || getcontext(&context) != 0)
		flexc_memory_die("flexc: a stack for the compartment's first thread");
	context.uc_stack.ss_sp = stack;
	context.uc_stack.ss_size = size;
	context.uc_link = NULL;
	makecontext(&context, body, 0);
	setcontext(&context);
	flexc_memory_die("flexc: switching to the compartment's own stack");
}

/*
 * The name of the symbol of this program holding address (a function if code, else any), from
 * its own symbol table in /proc/self/exe: read with open and pread only, since a fault handler
 * calls it. Falls back to dladdr for the shared libraries (the C library's functions). Writes
 * "?" if none holds it.
 */
static void flexc_symbolize(uintptr_t address, char *name, size_t length)
{
	uintptr_t bias = 0;
	Elf64_Ehdr header;
	Elf64_Shdr symbols, strings;
	size_t best_size = 0;
	uint32_t best_name = 0;
	int found = 0;
	int file = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	Dl_info info;

	snprintf(name, length, "?");
	if (file < 0)
		return;
	if (pread(file, &header, sizeof header, 0) != (ssize_t)sizeof header || header.e_shentsize != sizeof(Elf64_Shdr))
		goto done;
	if (header.e_type == ET_DYN)
		bias = (uintptr_t)__ehdr_start;
	symbols.sh_type = SHT_NULL;
	for (int dynamic = 0; dynamic < 2 && symbols.sh_type == SHT_NULL; dynamic++)
		for (unsigned i = 0; i < header.e_shnum; i++) {
			Elf64_Shdr section;

			if (pread(file, &section, sizeof section, (off_t)(header.e_shoff + i * sizeof section)) != (ssize_t)sizeof section)
				goto done;
			if (section.sh_type == (dynamic ? SHT_DYNSYM : SHT_SYMTAB)) {
				symbols = section;
				break;
			}
		}
	if (symbols.sh_type == SHT_NULL || symbols.sh_entsize != sizeof(Elf64_Sym) ||
	    pread(file, &strings, sizeof strings, (off_t)(header.e_shoff + symbols.sh_link * sizeof strings)) != (ssize_t)sizeof strings)
		goto done;
	for (size_t at = 0; at < symbols.sh_size; at += sizeof(Elf64_Sym) * 64) {
		Elf64_Sym chunk[64];
		ssize_t got = pread(file, chunk, sizeof chunk, (off_t)(symbols.sh_offset + at));

		if (got <= 0)
			break;
		for (size_t i = 0; i < (size_t)got / sizeof(Elf64_Sym); i++) {
			const Elf64_Sym *symbol = &chunk[i];
			int type = ELF64_ST_TYPE(symbol->st_info);
			uintptr_t start = bias + symbol->st_value;

			if (symbol->st_shndx == SHN_UNDEF || (type != STT_FUNC && type != STT_OBJECT) || symbol->st_name == 0)
				continue;
			if (address >= start && address < start + (symbol->st_size ? symbol->st_size : 1) &&
			    (!found || symbol->st_size < best_size)) {
				found = 1;
				best_size = symbol->st_size;
				best_name = symbol->st_name;
			}
		}
	}
	if (found) {
		ssize_t got = pread(file, name, length - 1, (off_t)(strings.sh_offset + best_name));

		name[got > 0 ? got : 0] = 0;
		if (got <= 0)
			snprintf(name, length, "?");
	}
done:
	close(file);
	if (!found && dladdr((void *)address, &info) != 0 && info.dli_sname != NULL)
		snprintf(name, length, "%s", info.dli_sname);
}

static void flexc_futex(uint32_t *word, int operation, uint32_t value, const struct timespec *timeout)
{
	syscall(SYS_futex, word, operation, value, timeout, NULL, 0);
}

/* Answers the faulting processes' questions about this compartment's heap, on a thread of its own. */
static void flexc_describe_blocks(void *unused)
{
	struct flexc_describe *slot = &flexc_describes[flexc_heap_self];
	struct flexc_heap *heap = flexc_heap(flexc_heap_self);

	(void)unused;
	for (;;) {
		uint32_t state = __atomic_load_n(&slot->state, __ATOMIC_SEQ_CST);
		const struct flexc_block *block;
		int is_free = 0;

		if (state != FLEXC_ASKED) {
			flexc_futex(&slot->state, FUTEX_WAIT, state, NULL);
			continue;
		}
		pthread_mutex_lock(&heap->lock);
		block = flexc_heap_find(heap, (const void *)slot->address, &is_free);
		slot->found = block != NULL;
		if (block != NULL) {
			slot->block = (uintptr_t)(block + 1);
			slot->size = block->size & ~(size_t)(FLEXC_HEAP_ALIGNMENT - 1);
			slot->site = is_free ? 0 : (uintptr_t)block->site;
#ifdef FLEXC_PROC_PROFILE
			flexc_site_frames(block->site, slot->frames);
			slot->site = slot->frames[0];
			if (!is_free)
				flexc_profile_share_site(block->site);
#endif
			slot->is_free = is_free;
		}
		pthread_mutex_unlock(&heap->lock);
		__atomic_store_n(&slot->state, FLEXC_ANSWERED, __ATOMIC_SEQ_CST);
		flexc_futex(&slot->state, FUTEX_WAKE, INT_MAX, NULL);
	}
}

/* Asks owner for the block holding address; 0 if it does not answer within a second. */
static int flexc_ask_owner(int owner, uintptr_t address, struct flexc_describe *answer)
{
	struct flexc_describe *slot = &flexc_describes[owner];
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	uint32_t free_lock = 0;
	int answered = 0;

	for (int tries = 0; !__atomic_compare_exchange_n(&slot->lock, &free_lock, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); tries++) {
		if (tries == 100)
			return 0;
		free_lock = 0;
		nanosleep(&tick, NULL);
	}
	slot->address = address;
	__atomic_store_n(&slot->state, FLEXC_ASKED, __ATOMIC_SEQ_CST);
	flexc_futex(&slot->state, FUTEX_WAKE, INT_MAX, NULL);
	for (int tries = 0; tries < 100 && !answered; tries++) {
		flexc_futex(&slot->state, FUTEX_WAIT, FLEXC_ASKED, &tick);
		answered = __atomic_load_n(&slot->state, __ATOMIC_SEQ_CST) == FLEXC_ANSWERED;
	}
	if (answered)
		*answer = *slot;
	__atomic_store_n(&slot->state, FLEXC_IDLE, __ATOMIC_SEQ_CST);
	__atomic_store_n(&slot->lock, 0, __ATOMIC_SEQ_CST);
	return answered;
}

static int flexc_owner_in(const struct flexc_range *ranges, size_t count, uintptr_t address)
{
	for (size_t i = 0; i < count; i++)
		if (address >= (uintptr_t)ranges[i].start && address < (uintptr_t)ranges[i].end)
			return ranges[i].compartment;
	return -1;
}

static int flexc_stack_owner(uintptr_t address)
{
	if (address - FLEXC_STACK_BASE < FLEXC_STACK_AREA * FLEXC_HEAP_COUNT)
		return (int)((address - FLEXC_STACK_BASE) / FLEXC_STACK_AREA);
	if (address >= flexc_main_stack_low && address < flexc_main_stack_high)
		return FLEXC_PROC_MAIN;
	return -1;
}

#define FLEXC_COUNT(array) (sizeof (array) / sizeof (array)[0])

/* What the memory at address, of compartment owner, is: into what (length bytes). */
static void flexc_describe_memory(uintptr_t address, int owner, char *what, size_t length)
{
	char name[128];
	struct flexc_describe block;

	if (flexc_owner_in(flexc_private, FLEXC_COUNT(flexc_private), address) >= 0) {
		flexc_symbolize(address, name, sizeof name);
		snprintf(what, length, "the global %s", name);
	} else if (flexc_heap_owner((const void *)address) >= 0) {
		if (!flexc_ask_owner(owner, address, &block) || !block.found) {
			snprintf(what, length, "its heap");
		} else if (block.is_free) {
			snprintf(what, length, "a free block of its heap, %zu bytes at %p", block.size, (void *)block.block);
		} else {
			static const char invoker[] = "flexc_rpc_abi_invoke";

			/*
			 * A function that its gate called and that ends in a call to malloc (a tail call)
			 * returns from malloc to the gate's invoker, which calls every function by address.
			 */
			flexc_symbolize(block.site, name, sizeof name);
			if (strncmp(name, invoker, sizeof invoker - 1) == 0)
				snprintf(what, length, "a heap block of %zu bytes at %p, allocated by a function called through"
					 " a gate (its last act a call to the allocator)", block.size, (void *)block.block);
			else
				snprintf(what, length, "a heap block of %zu bytes at %p, allocated in %s", block.size,
					 (void *)block.block, name);
		}
	} else if (flexc_owner_in(flexc_code, FLEXC_COUNT(flexc_code), address) >= 0) {
		flexc_symbolize(address, name, sizeof name);
		snprintf(what, length, "the code of its function %s", name);
	} else if (address - FLEXC_STACK_BASE < FLEXC_STACK_AREA * FLEXC_HEAP_COUNT) {
		snprintf(what, length, "the stack of one of its threads");
	} else if (flexc_band_owner(address) >= 0) {
		snprintf(what, length, "memory the kernel mapped for it (a thread's stack, a file, a library)");
	} else {
		snprintf(what, length, "its main thread's stack");
	}
}

/* The C library's sigaction, which the program's goes to for every other signal. */
extern int __sigaction(int signal, const struct sigaction *action, struct sigaction *old);

/* Set once flexc's fault handler is installed: from then on the program's SIGSEGV action waits here. */
static int flexc_fault_installed;
static struct sigaction flexc_program_fault;

/*
 * The program's sigaction: once flexc's fault handler is in place, the program's own SIGSEGV
 * action is kept, not installed, and flexc_fault runs it after its report, so that a fault across
 * compartments is located in a program that handles SIGSEGV itself too.
 */
int sigaction(int signal, const struct sigaction *action, struct sigaction *old)
{
	if (signal != SIGSEGV || !flexc_fault_installed)
		return __sigaction(signal, action, old);
	if (old != NULL)
		*old = flexc_program_fault;
	if (action != NULL)
		flexc_program_fault = *action;
	return 0;
}

/* After the report: the program's own handler, if it has one; then the default action. */
static void flexc_run_program_handler(int signal, siginfo_t *info, void *context)
{
	struct sigaction fallback;

	memset(&fallback, 0, sizeof fallback);
	fallback.sa_handler = SIG_DFL;
	__sigaction(SIGSEGV, &fallback, NULL);
	if (flexc_program_fault.sa_flags & SA_SIGINFO) {
		if (flexc_program_fault.sa_sigaction != NULL)
			flexc_program_fault.sa_sigaction(signal, info, context);
	} else if (flexc_program_fault.sa_handler != SIG_DFL && flexc_program_fault.sa_handler != SIG_IGN) {
		flexc_program_fault.sa_handler(signal);
	}
}

static void flexc_say(const char *message, int length)
{
	if (length > 0 && write(STDERR_FILENO, message, (size_t)length) < 0)
		_exit(128 + SIGSEGV);
}

/* Names who touched what: the compartment and function, the owner and what the memory is. */
static void flexc_report_fault(siginfo_t *info, void *context)
{
	const greg_t *registers = ((ucontext_t *)context)->uc_mcontext.gregs;
	uintptr_t address = (uintptr_t)info->si_addr;
	uintptr_t code = (uintptr_t)registers[REG_RIP];
	int self = flexc_heap_self;
	int owner = flexc_owner_in(flexc_private, FLEXC_COUNT(flexc_private), address);
	char message[800], function[128], what[300];

	if (owner < 0)
		owner = flexc_heap_owner((const void *)address);
	if (owner < 0)
		owner = flexc_owner_in(flexc_code, FLEXC_COUNT(flexc_code), address);
	if (owner < 0)
		owner = flexc_stack_owner(address);
	if (owner < 0)
		owner = flexc_band_owner(address);
	if (owner == self)
		owner = -1;
	if (owner >= 0 && address == code) {
		/* A call: the return address is on top of the stack. */
		char caller[128];

		flexc_symbolize(address, function, sizeof function);
		flexc_symbolize(*(const uintptr_t *)registers[REG_RSP] - 1, caller, sizeof caller);
		flexc_say(message, snprintf(message, sizeof message,
					    "flexc: compartment %d (%s) called compartment %d (%s)'s function %s directly (an ungated function pointer), from %s\n",
					    self, flexc_rpc_names[self], owner, flexc_rpc_names[owner], function, caller));
		return;
	}
	flexc_symbolize(code, function, sizeof function);
	if (owner < 0) {
		flexc_say(message, snprintf(message, sizeof message,
					    "flexc: compartment %d (%s), code at %p in %s, touched %p, memory of compartment -1 (none)\n",
					    self, flexc_rpc_names[self], (void *)code, function, (void *)address));
		return;
	}
	flexc_describe_memory(address, owner, what, sizeof what);
	flexc_say(message, snprintf(message, sizeof message,
				    "flexc: compartment %d (%s), code at %p in %s, touched %p, memory of compartment %d (%s): %s%s\n",
				    self, flexc_rpc_names[self], (void *)code, function, (void *)address, owner,
				    flexc_rpc_names[owner], what,
				    flexc_trust_access(owner, self) == PROT_READ && flexc_stack_owner(address) < 0 &&
						    flexc_band_owner(address) < 0 && flexc_owner_in(flexc_code, FLEXC_COUNT(flexc_code), address) < 0
					    ? "; it is readable but not writable by this compartment under flexc.yaml's trust (readableBy)"
					    : ""));
}

/*
 * Reports the fault and runs the program's own handler, then returns with the default action
 * restored: the access faults again and the process dies of it, as a crash does (the main process
 * reports the death).
 */
static void flexc_fault(int signal, siginfo_t *info, void *context)
{
#ifdef FLEXC_PROC_PROFILE
	if (flexc_profile_fault(info, context))
		return;
	flexc_profile_write();
#endif
	flexc_report_fault(info, context);
	flexc_run_program_handler(signal, info, context);
}

static void flexc_protect(uintptr_t start, uintptr_t end)
{
	if (end > start && mprotect((void *)start, end - start, PROT_NONE) != 0)
		flexc_memory_die("flexc: mprotect of another compartment's memory");
}

/* Another compartment's data, bss or heap: out of reach, or readable (writable) where it trusts this one. */
static void flexc_protect_trusted(int owner, uintptr_t start, uintptr_t end)
{
	int access = flexc_trust_access(owner, flexc_heap_self);

	if (access == PROT_NONE)
		flexc_protect(start, end);
	else if (end > start && mprotect((void *)start, end - start, access) != 0)
		flexc_memory_die("flexc: mprotect of a trusting compartment's memory");
}

void flexc_proc_keep_own_memory(void)
{
	static char alternate[64 << 10];
	struct sigaction action;
	stack_t stack = { .ss_sp = alternate, .ss_size = sizeof alternate, .ss_flags = 0 };

	for (size_t i = 0; i < FLEXC_COUNT(flexc_private); i++)
		if (flexc_private[i].compartment != flexc_heap_self)
			flexc_protect_trusted(flexc_private[i].compartment, (uintptr_t)flexc_private[i].start,
					      (uintptr_t)flexc_private[i].end);
	for (size_t i = 0; i < FLEXC_COUNT(flexc_code); i++)
		if (flexc_code[i].compartment != flexc_heap_self)
			flexc_protect((uintptr_t)flexc_code[i].start, (uintptr_t)flexc_code[i].end);
	for (int k = 0; k < FLEXC_HEAP_COUNT; k++)
		if (k != flexc_heap_self)
			flexc_protect_trusted(k, (uintptr_t)flexc_heap(k), (uintptr_t)flexc_heap(k) + FLEXC_HEAP_SIZE);
	flexc_keep_own_band();
	if (flexc_heap_self != FLEXC_PROC_MAIN) {
		/* What of the main thread's stack is mapped (the rest faults anyway), once this thread has left it. */
		uintptr_t here = (uintptr_t)__builtin_frame_address(0);
		uintptr_t low = 0;
		uintptr_t end = flexc_main_stack_mapped(&low);

		flexc_copy_environment();
		if (end != 0 && !(here >= low && here < end))
			flexc_protect(low, end);
	}
	/* The fault handler runs on a stack of its own: the faulting one may be what is out of reach. */
	sigaltstack(&stack, NULL);
	memset(&action, 0, sizeof action);
	action.sa_sigaction = flexc_fault;
	action.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_ONSTACK;
#ifdef FLEXC_PROC_PROFILE
	/* A recorded access returns to step its instruction: the handler stays (the report resets it). */
	action.sa_flags &= ~SA_RESETHAND;
#endif
#if defined(FLEXC_PROC_PROFILE) || defined(FLEXC_PROC_SHARED_SITES)
	flexc_sharing_start();
#endif
	__sigaction(SIGSEGV, &action, &flexc_program_fault);
	flexc_fault_installed = 1;
	flexc_memory_kept = 1;
	if (flexc_transport_spawn(flexc_describe_blocks, NULL) != 0)
		flexc_memory_die("flexc: starting the thread that describes heap blocks");
}
