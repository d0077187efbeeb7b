
/*
 * The measured source of sharing (after PKRU-Safe, EuroS&P'22), on proc: appended to
 * flexc_proc_memory.c when a build profiles sharing (FLEXC_PROC_PROFILE, flexc build
 * --profile-sharing) or uses a profile (FLEXC_PROC_SHARED_SITES, flexc build --sharing FILE).
 *
 * An allocation site is named by the return addresses of the allocator's call in the program's
 * own code (the executable's text, flexc's runtime included; the C library's frames are skipped),
 * at most FLEXC_SITE_FRAMES of them, innermost first, each as function+0xOFFSET from the
 * program's symbol table: "new_state+0x1d<main+0x8f"; an allocation by a function of the C
 * library's (strdup, fopen) starts with that function's name: "@strdup<main+0x8f". The same
 * sources rewritten the same way compile to the same functions whatever flexc's runtime options
 * are, so a site recorded by the profiling build names the same code in the build that uses the
 * profile, though the addresses change from run to run (PIE, ASLR). The frames come from the C library's backtrace() (the
 * unwind tables: frame pointers are not needed). A global is named by its symbol.
 *
 * Profiling. Every compartment's heap, data and bss are shared mappings created before the fork
 * (MAP_SHARED: the heaps anonymous, the data and bss remapped onto a memfd), still inaccessible in
 * the other compartments' processes. An access to another compartment's heap or global faults as
 * ever; here the fault is recorded (accessor, owner, kind, the block's allocation site asked of
 * its owner, or the global's name), the page is opened to this process and the instruction single
 * stepped (the trap flag in the saved context); the SIGTRAP that follows closes the page again,
 * so the access reads and writes the owner's own bytes and the next access faults and is recorded
 * too. While the page is open, the process's other threads may touch it unrecorded. Once a
 * site's block has been touched from elsewhere, the owner allocates that site's later blocks from
 * the shared heap, as the build using the profile will: they are not stepped again. A stack is
 * not shared memory (each process's stacks are its own copies): an access to another
 * compartment's stack is recorded as kind "stack" with the function that touched it and then
 * faults with the report, as without profiling; a local whose address the transformer sees passed
 * to a gate is on the data shadow stack already (static rule), others need a source change.
 *
 * How this relates to declared trust (flexc.yaml's trust, which also maps a compartment's memory
 * shared so that trusted compartments may read it): trust opens a compartment's memory to another
 * for good; profiling opens one page for one instruction, to watch, and is a build of its own.
 *
 * The profile: each process counts its accesses in memory and merges the new ones into the
 * profile file every second (a thread of its own), at exit and before it dies of a fault, under
 * an exclusive flock of FILE.lock: read, add, sort, write FILE.PID.tmp, rename (FILE.lock
 * stays). The file is FLEXC_SHARING_PROFILE if set (relative to where the program started), else
 * sharing-profile.txt in the directory above the program's (the build's directory for
 * OUT/bin/NAME). A line is "ACCESSOR OWNER KIND WHAT COUNT": compartments by name, KIND heap,
 * global or stack, WHAT a site, a global's name or a function; sorted; '#' lines are comments.
 *
 * Using a profile: the listed globals go to .data_shared (flexc places them at build time); the
 * heap sites are resolved by name at start-up, and malloc, calloc and realloc compare their
 * caller's return address with the sites' innermost frames (a pointer comparison per site) and
 * walk the stack only when it matches or when the caller is not the program's code (strdup): a
 * matching allocation comes from the shared heap (flexc_shared_malloc).
 */

#define FLEXC_SITE_FRAMES 3
/* A site in memory: the allocator's caller when it is not the program's (the C library's strdup), else 0, then the frames. */
#define FLEXC_SITE_WORDS (FLEXC_SITE_FRAMES + 1)

#include <execinfo.h>
#include <sys/file.h>

/* The executable's code, from its program headers in memory: a site's frames are only those. */
static uintptr_t flexc_text_ranges[8][2];
static int flexc_text_count = -1;

static int flexc_in_program(uintptr_t address)
{
	if (flexc_text_count < 0) {
		const Elf64_Ehdr *header = (const Elf64_Ehdr *)__ehdr_start;
		const Elf64_Phdr *segments = (const Elf64_Phdr *)(__ehdr_start + header->e_phoff);
		uintptr_t bias = header->e_type == ET_DYN ? (uintptr_t)__ehdr_start : 0;
		int count = 0;

		for (int i = 0; i < header->e_phnum && count < 8; i++)
			if (segments[i].p_type == PT_LOAD && (segments[i].p_flags & PF_X)) {
				flexc_text_ranges[count][0] = bias + segments[i].p_vaddr;
				flexc_text_ranges[count][1] = bias + segments[i].p_vaddr + segments[i].p_memsz;
				count++;
			}
		__atomic_store_n(&flexc_text_count, count, __ATOMIC_SEQ_CST);
	}
	for (int i = 0; i < flexc_text_count; i++)
		if (address >= flexc_text_ranges[i][0] && address < flexc_text_ranges[i][1])
			return 1;
	return 0;
}

/* Set once backtrace() has been called outside malloc (it loads the unwinder with dlopen, which allocates). */
static int flexc_walk_ready;
static __thread int flexc_walking;
/*
 * While the unwinder is loaded: what the dynamic loader allocates for it (which the unwinder reads
 * in every process, _dl_find_object) comes from the shared heap, not main's.
 */
static int flexc_allocating_shared;

/* The program's frames of stack from caller on, at most FLEXC_SITE_FRAMES, into frames: their count, or -1 without caller. */
static int flexc_program_frames(void *const *stack, int depth, const void *caller, uintptr_t *frames)
{
	int at = 0, count = 0;

	while (at < depth && stack[at] != caller)
		at++;
	if (at == depth)
		return -1;
	for (int i = at; i < depth && count < FLEXC_SITE_FRAMES; i++)
		if (flexc_in_program((uintptr_t)stack[i]))
			frames[count++] = (uintptr_t)stack[i];
	return count;
}

/* The site of an allocation whose allocator returns to caller: site[] filled, its count of frames returned. */
static int flexc_site_of(const void *caller, uintptr_t *site)
{
	/* The allocator's own frames (2 or 3), the C library's, then the site's. */
	void *stack[FLEXC_SITE_FRAMES + 8];
	uintptr_t *frames = site + 1;
	int depth, count;

	site[0] = flexc_in_program((uintptr_t)caller) ? 0 : (uintptr_t)caller;
	if (!flexc_walk_ready || flexc_walking) {
		if (site[0] != 0)
			return 0;
		frames[0] = (uintptr_t)caller;
		return 1;
	}
	/*
	 * The unwinder's cost grows with each frame: first as many as a site needs when nothing comes
	 * between the allocator and its caller in the program, the whole depth only when that falls short.
	 */
	flexc_walking = 1;
	depth = backtrace(stack, FLEXC_SITE_FRAMES + 3);
	count = flexc_program_frames(stack, depth, caller, frames);
	if (count < FLEXC_SITE_FRAMES && depth == FLEXC_SITE_FRAMES + 3) {
		depth = backtrace(stack, FLEXC_SITE_FRAMES + 8);
		count = flexc_program_frames(stack, depth, caller, frames);
	}
	flexc_walking = 0;
	if (count < 0) {
		count = 0;
		if (flexc_in_program((uintptr_t)caller))
			frames[count++] = (uintptr_t)caller;
	}
	return count;
}

static void flexc_walk_prepare(void)
{
	void *stack[2];

	flexc_walking = 1;
	flexc_allocating_shared = 1;
	backtrace(stack, 2);
	flexc_allocating_shared = 0;
	flexc_walking = 0;
	flexc_walk_ready = 1;
}

/* The program's symbol table, read from /proc/self/exe into memory: for naming and resolving sites. */
struct flexc_symbol_table {
	Elf64_Sym *symbols;
	size_t count;
	char *names;
	size_t names_size;
	uintptr_t bias;
};

static int flexc_read_at(int file, void *into, size_t size, off_t offset)
{
	return pread(file, into, size, offset) == (ssize_t)size;
}

static int flexc_load_symbols(struct flexc_symbol_table *table)
{
	int file = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr header;
	Elf64_Shdr section, strings;
	int found = 0;

	memset(table, 0, sizeof *table);
	if (file < 0)
		return 0;
	if (flexc_read_at(file, &header, sizeof header, 0) && header.e_shentsize == sizeof(Elf64_Shdr)) {
		table->bias = header.e_type == ET_DYN ? (uintptr_t)__ehdr_start : 0;
		for (unsigned i = 0; i < header.e_shnum && !found; i++)
			found = flexc_read_at(file, &section, sizeof section, (off_t)(header.e_shoff + i * sizeof section)) &&
				section.sh_type == SHT_SYMTAB && section.sh_entsize == sizeof(Elf64_Sym);
	}
	if (found && flexc_read_at(file, &strings, sizeof strings, (off_t)(header.e_shoff + section.sh_link * sizeof strings))) {
		table->symbols = malloc(section.sh_size);
		table->names = malloc(strings.sh_size + 1);
		if (table->symbols == NULL || table->names == NULL ||
		    !flexc_read_at(file, table->symbols, section.sh_size, (off_t)section.sh_offset) ||
		    !flexc_read_at(file, table->names, strings.sh_size, (off_t)strings.sh_offset)) {
			free(table->symbols);
			free(table->names);
			memset(table, 0, sizeof *table);
		} else {
			table->count = section.sh_size / sizeof(Elf64_Sym);
			table->names[strings.sh_size] = 0;
			table->names_size = strings.sh_size;
		}
	}
	close(file);
	return table->symbols != NULL;
}

static void flexc_free_symbols(struct flexc_symbol_table *table)
{
	free(table->symbols);
	free(table->names);
}

static int flexc_symbol_usable(const struct flexc_symbol_table *table, const Elf64_Sym *symbol, int type)
{
	return symbol->st_shndx != SHN_UNDEF && ELF64_ST_TYPE(symbol->st_info) == type && symbol->st_name != 0 &&
	       symbol->st_name < table->names_size;
}

/*
 * Which of the functions named like symbol it is, from 1 in the symbol table's order, when more
 * than one has its name (static functions of different files); 0 when it is the only one.
 */
__attribute__((unused)) static int flexc_symbol_ordinal(const struct flexc_symbol_table *table, const Elf64_Sym *symbol)
{
	const char *name = table->names + symbol->st_name;
	int same = 0, ordinal = 0;

	for (size_t i = 0; i < table->count; i++)
		if (flexc_symbol_usable(table, &table->symbols[i], STT_FUNC) && strcmp(table->names + table->symbols[i].st_name, name) == 0) {
			same++;
			if (&table->symbols[i] == symbol)
				ordinal = same;
		}
	return same > 1 ? ordinal : 0;
}

/* The smallest symbol of type holding address, or NULL (for naming, in profiling builds). */
__attribute__((unused)) static const Elf64_Sym *flexc_symbol_at(const struct flexc_symbol_table *table, uintptr_t address, int type)
{
	const Elf64_Sym *best = NULL;

	for (size_t i = 0; i < table->count; i++) {
		const Elf64_Sym *symbol = &table->symbols[i];
		uintptr_t start = table->bias + symbol->st_value;

		if (flexc_symbol_usable(table, symbol, type) && address >= start &&
		    address < start + (symbol->st_size ? symbol->st_size : 1) && (best == NULL || symbol->st_size < best->st_size))
			best = symbol;
	}
	return best;
}

/*
 * realloc at a site of the profile (or while the dynamic loader loads the unwinder): the block is
 * (or stays) in the shared heap, whose allocator knows its size for malloc_usable_size (Redis's
 * sds takes the usable size as its capacity), free and realloc from any site.
 */
static void *flexc_shared_move(void *old, size_t size)
{
	void *block;
	size_t kept;

	if (old == NULL)
		return flexc_shared_malloc(size);
	if (size == 0) {
		free(old);
		return NULL;
	}
	if (flexc_in_shared_area(old))
		return flexc_shared_realloc(old, size);
	if (!flexc_heap_owns(flexc_own_heap(), old))
		return flexc_realloc_foreign(old, size);
	kept = flexc_heap_usable(old);
	block = flexc_shared_malloc(size);
	if (block == NULL)
		return NULL;
	memcpy(block, old, kept < size ? kept : size);
	free(old);
	return block;
}

#ifdef FLEXC_PROC_PROFILE

/* Interned sites: a heap block's header points at its site's entry (a block's site in profiling builds). */
#define FLEXC_SITE_TABLE 16384
struct flexc_site {
	uintptr_t words[FLEXC_SITE_WORDS];
};
static struct flexc_site flexc_sites[FLEXC_SITE_TABLE];
static uint32_t flexc_sites_lock;

/* Which entry of the table a block's site is, or -1 for a bare caller. */
static int flexc_site_index(const void *site)
{
	const struct flexc_site *entry = site;

	return entry >= flexc_sites && entry < flexc_sites + FLEXC_SITE_TABLE ? (int)(entry - flexc_sites) : -1;
}

static void flexc_spin_lock(uint32_t *lock)
{
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void flexc_spin_unlock(uint32_t *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

static const void *flexc_profile_site(const void *caller)
{
	struct flexc_site site;
	uintptr_t hash = 0;
	size_t slot;

	memset(&site, 0, sizeof site);
	if (flexc_site_of(caller, site.words) == 0 && site.words[0] == 0)
		return caller;
	for (int i = 0; i < FLEXC_SITE_WORDS; i++)
		hash = (hash ^ site.words[i]) * 0x100000001b3ull;
	flexc_spin_lock(&flexc_sites_lock);
	for (slot = hash % FLEXC_SITE_TABLE;; slot = (slot + 1) % FLEXC_SITE_TABLE) {
		if (flexc_sites[slot].words[0] == 0 && flexc_sites[slot].words[1] == 0) {
			flexc_sites[slot] = site;
			break;
		}
		if (memcmp(&flexc_sites[slot], &site, sizeof site) == 0)
			break;
		if (slot == (hash + FLEXC_SITE_TABLE - 1) % FLEXC_SITE_TABLE) {
			/* Full: the block keeps its caller alone. */
			flexc_spin_unlock(&flexc_sites_lock);
			return caller;
		}
	}
	flexc_spin_unlock(&flexc_sites_lock);
	return &flexc_sites[slot];
}

/* In the owner's describing thread: a block's site (an entry, or a bare caller) as FLEXC_SITE_WORDS words. */
static void flexc_site_frames(const void *site, uintptr_t *words)
{
	memset(words, 0, FLEXC_SITE_WORDS * sizeof *words);
	if (flexc_site_index(site) >= 0)
		memcpy(words, ((const struct flexc_site *)site)->words, FLEXC_SITE_WORDS * sizeof *words);
	else
		words[flexc_in_program((uintptr_t)site) ? 1 : 0] = (uintptr_t)site;
}

enum { FLEXC_KIND_HEAP, FLEXC_KIND_GLOBAL, FLEXC_KIND_STACK };
static const char *const flexc_kind_names[] = { "heap", "global", "stack" };

/* This process's accesses: heap by site, global by its symbol's start, stack by the touching code's function start or address. */
#define FLEXC_RECORDS 8192
struct flexc_record {
	int owner;
	int kind;
	uintptr_t what[FLEXC_SITE_WORDS];
	unsigned long count;
	unsigned long flushed; /* how many of count the profile has */
};
static struct flexc_record flexc_records[FLEXC_RECORDS];
static size_t flexc_record_count;
static unsigned long flexc_records_lost;
static uint32_t flexc_records_lock;

/* Every object of the private ranges (start, size), sorted, read before the fork: a fault finds its global without a system call. */
struct flexc_global {
	uintptr_t start;
	size_t size;
};
static struct flexc_global *flexc_globals;
static size_t flexc_global_count;

static int flexc_compare_globals(const void *a, const void *b)
{
	uintptr_t x = ((const struct flexc_global *)a)->start, y = ((const struct flexc_global *)b)->start;

	return x < y ? -1 : x > y;
}

static void flexc_profile_read_globals(void)
{
	struct flexc_symbol_table table;

	if (!flexc_load_symbols(&table))
		return;
	flexc_globals = malloc((table.count + 1) * sizeof *flexc_globals);
	for (size_t i = 0; flexc_globals != NULL && i < table.count; i++) {
		uintptr_t start = table.bias + table.symbols[i].st_value;

		if (flexc_symbol_usable(&table, &table.symbols[i], STT_OBJECT) &&
		    flexc_owner_in(flexc_private, FLEXC_COUNT(flexc_private), start) >= 0) {
			flexc_globals[flexc_global_count].start = start;
			flexc_globals[flexc_global_count].size = table.symbols[i].st_size ? table.symbols[i].st_size : 1;
			flexc_global_count++;
		}
	}
	if (flexc_globals != NULL)
		qsort(flexc_globals, flexc_global_count, sizeof *flexc_globals, flexc_compare_globals);
	flexc_free_symbols(&table);
}

/* The start of the global holding address, or address itself when no symbol holds it. */
static uintptr_t flexc_global_start(uintptr_t address)
{
	size_t low = 0, high = flexc_global_count;

	while (low < high) {
		size_t middle = (low + high) / 2;

		if (flexc_globals[middle].start <= address)
			low = middle + 1;
		else
			high = middle;
	}
	if (low > 0 && address < flexc_globals[low - 1].start + flexc_globals[low - 1].size)
		return flexc_globals[low - 1].start;
	return address;
}

/* Counts an access; returns how many this process has counted of the same record. */
static unsigned long flexc_profile_count(int owner, int kind, const uintptr_t *what)
{
	unsigned long count = 0;
	size_t i;

	flexc_spin_lock(&flexc_records_lock);
	for (i = 0; i < flexc_record_count; i++)
		if (flexc_records[i].owner == owner && flexc_records[i].kind == kind &&
		    memcmp(flexc_records[i].what, what, sizeof flexc_records[i].what) == 0)
			break;
	if (i == flexc_record_count && i < FLEXC_RECORDS) {
		flexc_records[i].owner = owner;
		flexc_records[i].kind = kind;
		memcpy(flexc_records[i].what, what, sizeof flexc_records[i].what);
		flexc_record_count++;
	}
	if (i < FLEXC_RECORDS)
		count = ++flexc_records[i].count;
	else
		flexc_records_lost++;
	flexc_spin_unlock(&flexc_records_lock);
	return count;
}

/* The pages this thread opened for the instruction being stepped: closed again on SIGTRAP. */
#define FLEXC_OPEN_PAGES 8
static __thread uintptr_t flexc_open_pages[FLEXC_OPEN_PAGES];
static __thread int flexc_open_count;

static int flexc_profile_owner(uintptr_t address, int *kind)
{
	int owner = flexc_owner_in(flexc_private, FLEXC_COUNT(flexc_private), address);

	*kind = FLEXC_KIND_GLOBAL;
	if (owner < 0) {
		owner = flexc_heap_owner((const void *)address);
		*kind = FLEXC_KIND_HEAP;
	}
	if (owner < 0) {
		owner = flexc_stack_owner(address);
		*kind = FLEXC_KIND_STACK;
	}
	if (owner < 0) {
		owner = flexc_band_owner(address);
		*kind = FLEXC_KIND_STACK;
	}
	return owner == flexc_heap_self ? -1 : owner;
}

static void flexc_profile_write(void);

/*
 * Pages left open in this process until the flusher's next second rather than stepped access by
 * access: those a recorded block covers whole, and those of a block whose site this process has
 * already touched FLEXC_HOT_ACCESSES times. A long-lived buffer another compartment reads millions
 * of times (Redis's reply buffer of its scripts' client) then costs a fault a second, not one an
 * instruction. What else lies on such a page, or takes the block's place, is recorded at its
 * first access after the page closes again, not within the second.
 */
#define FLEXC_HOT_ACCESSES 1000
#define FLEXC_HELD_PAGES 256
static uintptr_t flexc_held_pages[FLEXC_HELD_PAGES];
static int flexc_held_count;
static uint32_t flexc_held_lock;

static int flexc_profile_hold(uintptr_t page, const struct flexc_describe *block, unsigned long accesses)
{
	int held = 0;

	if (accesses < FLEXC_HOT_ACCESSES && (block->block > page || block->block + block->size < page + FLEXC_PAGE))
		return 0;
	flexc_spin_lock(&flexc_held_lock);
	if (flexc_held_count < FLEXC_HELD_PAGES && mprotect((void *)page, FLEXC_PAGE, PROT_READ | PROT_WRITE) == 0) {
		flexc_held_pages[flexc_held_count++] = page;
		held = 1;
	}
	flexc_spin_unlock(&flexc_held_lock);
	return held;
}

/* In the flusher, every second: the held pages close, so that their next access is recorded again. */
static void flexc_profile_release_held(void)
{
	flexc_spin_lock(&flexc_held_lock);
	for (int i = 0; i < flexc_held_count; i++)
		mprotect((void *)flexc_held_pages[i], FLEXC_PAGE, PROT_NONE);
	flexc_held_count = 0;
	flexc_spin_unlock(&flexc_held_lock);
}

/*
 * In the fault handler: records an access to another compartment's heap or global, opens its
 * page and steps the instruction (1: the access proceeds); a stack is recorded and the profile
 * written, then it faults as without profiling (0).
 */
static int flexc_profile_fault(siginfo_t *info, void *context)
{
	greg_t *registers = ((ucontext_t *)context)->uc_mcontext.gregs;
	uintptr_t address = (uintptr_t)info->si_addr;
	uintptr_t what[FLEXC_SITE_WORDS] = { 0 };
	uintptr_t page = address & ~(uintptr_t)(FLEXC_PAGE - 1);
	int kind;
	int owner = flexc_profile_owner(address, &kind);
	struct flexc_describe block;
	unsigned long accesses;

	if (owner < 0 || address == (uintptr_t)registers[REG_RIP])
		return 0;
	if (kind == FLEXC_KIND_STACK) {
		what[0] = (uintptr_t)registers[REG_RIP];
		flexc_profile_count(owner, kind, what);
		flexc_profile_write();
		return 0;
	}
	block.found = 0;
	if (kind == FLEXC_KIND_GLOBAL)
		what[0] = flexc_global_start(address);
	else if (flexc_ask_owner(owner, address, &block) && block.found && !block.is_free)
		memcpy(what, block.frames, sizeof what);
	accesses = flexc_profile_count(owner, kind, what);
	if (block.found && !block.is_free && flexc_profile_hold(page, &block, accesses))
		return 1;
	if (flexc_open_count == FLEXC_OPEN_PAGES || mprotect((void *)page, FLEXC_PAGE, PROT_READ | PROT_WRITE) != 0)
		return 0;
	flexc_open_pages[flexc_open_count++] = page;
	registers[REG_EFL] |= 0x100;
	return 1;
}

/*
 * Sites another compartment has touched a block of: their later blocks come from the shared heap,
 * so a site is single-stepped for the blocks it allocated before its first record, not for every
 * block it ever allocates (Redis's FUNCTION LOAD reads each new library's code a byte at a time).
 * The profile is the same; its counts are of the accesses that were stepped.
 */
static unsigned char flexc_site_shared[FLEXC_SITE_TABLE];

/* In the owner's describing thread: another compartment touched a block of this site. */
static void flexc_profile_share_site(const void *site)
{
	int index = flexc_site_index(site);

	if (index >= 0)
		__atomic_store_n(&flexc_site_shared[index], 1, __ATOMIC_RELAXED);
}

/* What the dynamic loader allocates while the unwinder is loaded, and the sites another compartment touched. */
static int flexc_shared_site(const void *site, void *const *slot)
{
	(void)slot;
	int index = flexc_site_index(site);

	return flexc_allocating_shared || (index >= 0 && __atomic_load_n(&flexc_site_shared[index], __ATOMIC_RELAXED));
}

/* After the stepped instruction: the pages close again, the trap flag is cleared. */
static void flexc_profile_step(int signal, siginfo_t *info, void *context)
{
	greg_t *registers = ((ucontext_t *)context)->uc_mcontext.gregs;

	(void)signal;
	(void)info;
	for (int i = 0; i < flexc_open_count; i++)
		mprotect((void *)flexc_open_pages[i], FLEXC_PAGE, PROT_NONE);
	flexc_open_count = 0;
	registers[REG_EFL] &= ~(greg_t)0x100;
}

/*
 * The profile's file: FLEXC_SHARING_PROFILE (relative to the directory the program started in:
 * a program may change directory, as Redis does), else sharing-profile.txt above the program's
 * directory. Worked out before the fork.
 */
static char flexc_profile_file[4096];

static void flexc_profile_find_path(void)
{
	const char *given = getenv("FLEXC_SHARING_PROFILE");
	char *path = flexc_profile_file;
	size_t length = sizeof flexc_profile_file;
	ssize_t got;

	if (given != NULL && *given != 0) {
		if (given[0] != '/' && getcwd(path, length - 1) != NULL && strlen(path) + strlen(given) + 2 < length)
			strcat(strcat(path, "/"), given);
		else
			snprintf(path, length, "%s", given);
		return;
	}
	got = readlink("/proc/self/exe", path, length - 32);
	if (got <= 0) {
		path[0] = 0;
		return;
	}
	path[got] = 0;
	for (int up = 0; up < 2 && strrchr(path, '/') != NULL; up++)
		*strrchr(path, '/') = 0;
	strcat(path, "/sharing-profile.txt");
}

/* "function+0xOFFSET" for a return address (the call is just before it), or "0x…" outside any function. */
static void flexc_profile_name(const struct flexc_symbol_table *table, uintptr_t address, int returned, char *into, size_t length)
{
	const Elf64_Sym *symbol = flexc_symbol_at(table, returned ? address - 1 : address, STT_FUNC);

	char ordinal[16] = "";

	if (symbol == NULL) {
		snprintf(into, length, "0x%lx", (unsigned long)(address - table->bias));
		return;
	}
	/* A name several static functions have: "createStringObject~2", the second in the symbol table. */
	if (flexc_symbol_ordinal(table, symbol) > 0)
		snprintf(ordinal, sizeof ordinal, "~%d", flexc_symbol_ordinal(table, symbol));
	snprintf(into, length, "%s%s+0x%lx", table->names + symbol->st_name, ordinal,
		 (unsigned long)(address - table->bias - symbol->st_value));
}

/* A record as the profile's key: "ACCESSOR OWNER KIND WHAT". */
static void flexc_profile_key(const struct flexc_symbol_table *table, const struct flexc_record *record, char *key, size_t length)
{
	char what[512] = "", name[160];

	if (record->kind == FLEXC_KIND_HEAP) {
		Dl_info info;

		/* Through a function of the C library's: "@strdup" first. */
		if (record->what[0] != 0)
			snprintf(what, sizeof what, "@%s",
				 dladdr((void *)record->what[0], &info) != 0 && info.dli_sname != NULL ? info.dli_sname : "?");
		for (int i = 1; i < FLEXC_SITE_WORDS && record->what[i] != 0; i++) {
			flexc_profile_name(table, record->what[i], 1, name, sizeof name);
			if (what[0] != 0)
				strncat(what, "<", sizeof what - strlen(what) - 1);
			strncat(what, name, sizeof what - strlen(what) - 1);
		}
		if (what[0] == 0)
			snprintf(what, sizeof what, "unknown-site");
	} else if (record->kind == FLEXC_KIND_GLOBAL) {
		const Elf64_Sym *symbol = flexc_symbol_at(table, record->what[0], STT_OBJECT);

		if (symbol != NULL)
			snprintf(what, sizeof what, "%s", table->names + symbol->st_name);
		else
			snprintf(what, sizeof what, "0x%lx", (unsigned long)(record->what[0] - table->bias));
	} else {
		const Elf64_Sym *symbol = flexc_symbol_at(table, record->what[0], STT_FUNC);

		snprintf(what, sizeof what, "%s", symbol != NULL ? table->names + symbol->st_name : "?");
	}
	snprintf(key, length, "%s %s %s %s", flexc_rpc_names[flexc_heap_self], flexc_rpc_names[record->owner],
		 flexc_kind_names[record->kind], what);
}

struct flexc_line {
	char *key;
	unsigned long count;
};

static int flexc_compare_lines(const void *a, const void *b)
{
	return strcmp(((const struct flexc_line *)a)->key, ((const struct flexc_line *)b)->key);
}

static int flexc_add_line(struct flexc_line **lines, size_t *count, size_t *capacity, const char *key, unsigned long times)
{
	for (size_t i = 0; i < *count; i++)
		if (strcmp((*lines)[i].key, key) == 0) {
			(*lines)[i].count += times;
			return 1;
		}
	if (*count == *capacity) {
		struct flexc_line *grown = realloc(*lines, (*capacity * 2 + 16) * sizeof **lines);

		if (grown == NULL)
			return 0;
		*lines = grown;
		*capacity = *capacity * 2 + 16;
	}
	(*lines)[*count].key = strdup(key);
	(*lines)[*count].count = times;
	return (*lines)[(*count)++].key != NULL;
}

static pthread_mutex_t flexc_profile_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Merges what this process recorded since its last merge into the profile: every second (a
 * thread of its own: a process killed, as a test suite kills a server that hangs, loses at most
 * its last second), at exit, and before it dies of a fault.
 */
static void flexc_profile_write(void)
{
	char path[4096], lock_path[4200], temporary[4200], line[1024];
	struct flexc_symbol_table table;
	struct flexc_line *lines = NULL;
	size_t count = 0, capacity = 0, records = __atomic_load_n(&flexc_record_count, __ATOMIC_SEQ_CST), fresh = 0;
	unsigned long *seen;
	FILE *file;
	int lock;

	if (records == 0 || flexc_profile_file[0] == 0)
		return;
	pthread_mutex_lock(&flexc_profile_lock);
	seen = malloc(records * sizeof *seen);
	for (size_t i = 0; seen != NULL && i < records; i++) {
		seen[i] = __atomic_load_n(&flexc_records[i].count, __ATOMIC_SEQ_CST);
		fresh += seen[i] != flexc_records[i].flushed;
	}
	if (seen == NULL || fresh == 0) {
		free(seen);
		pthread_mutex_unlock(&flexc_profile_lock);
		return;
	}
	snprintf(path, sizeof path, "%s", flexc_profile_file);
	snprintf(lock_path, sizeof lock_path, "%s.lock", path);
	snprintf(temporary, sizeof temporary, "%s.%d.tmp", path, (int)getpid());
	lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock < 0 || flock(lock, LOCK_EX) != 0) {
		fprintf(stderr, "flexc: cannot lock the sharing profile %s: %s\n", lock_path, strerror(errno));
		if (lock >= 0)
			close(lock);
		free(seen);
		pthread_mutex_unlock(&flexc_profile_lock);
		return;
	}
	file = fopen(path, "re");
	while (file != NULL && fgets(line, sizeof line, file) != NULL) {
		char *space = strrchr(line, ' ');

		if (line[0] == '#' || space == NULL)
			continue;
		*space = 0;
		flexc_add_line(&lines, &count, &capacity, line, strtoul(space + 1, NULL, 10));
	}
	if (file != NULL)
		fclose(file);
	flexc_load_symbols(&table);
	for (size_t i = 0; i < records; i++) {
		if (seen[i] == flexc_records[i].flushed)
			continue;
		flexc_profile_key(&table, &flexc_records[i], line, sizeof line);
		flexc_add_line(&lines, &count, &capacity, line, seen[i] - flexc_records[i].flushed);
	}
	flexc_free_symbols(&table);
	qsort(lines, count, sizeof *lines, flexc_compare_lines);
	file = fopen(temporary, "we");
	if (file != NULL) {
		fprintf(file, "# flexc sharing profile: ACCESSOR OWNER KIND WHAT COUNT (KIND heap: WHAT the allocation site,\n"
			      "# innermost frame first; global: its name; stack: the function that touched it). Merged across runs.\n");
		for (size_t i = 0; i < count; i++)
			fprintf(file, "%s %lu\n", lines[i].key, lines[i].count);
	}
	if (file == NULL || fclose(file) != 0 || rename(temporary, path) != 0)
		fprintf(stderr, "flexc: cannot write the sharing profile %s: %s\n", path, strerror(errno));
	else
		for (size_t i = 0; i < records; i++)
			flexc_records[i].flushed = seen[i];
	if (__atomic_exchange_n(&flexc_records_lost, 0, __ATOMIC_SEQ_CST) > 0)
		fprintf(stderr, "flexc: the sharing profile lost accesses (more than %d different ones)\n", FLEXC_RECORDS);
	close(lock);
	for (size_t i = 0; i < count; i++)
		free(lines[i].key);
	free(lines);
	free(seen);
	pthread_mutex_unlock(&flexc_profile_lock);
}

static void flexc_profile_flusher(void *unused)
{
	(void)unused;
	for (;;) {
		sleep(1);
		flexc_profile_release_held();
		flexc_profile_write();
	}
}

/* In the main process before the fork. */
static void flexc_sharing_prepare(void)
{
	flexc_walk_prepare();
	flexc_profile_find_path();
	flexc_profile_read_globals();
	if (atexit(flexc_profile_write) != 0)
		flexc_memory_die("flexc: atexit");
}

/* In each process once its memory is kept: the single steps' handler. */
static void flexc_sharing_start(void)
{
	struct sigaction action;

	memset(&action, 0, sizeof action);
	action.sa_sigaction = flexc_profile_step;
	action.sa_flags = SA_SIGINFO | SA_ONSTACK;
	__sigaction(SIGTRAP, &action, NULL);
	if (flexc_transport_spawn(flexc_profile_flusher, NULL) != 0)
		flexc_memory_die("flexc: starting the thread that writes the sharing profile");
}

#endif /* FLEXC_PROC_PROFILE */

#ifdef FLEXC_PROC_SHARED_SITES

/* The sites of the profile, resolved at start-up: frames[0] of each is compared first. */
struct flexc_shared_site {
	int through; /* allocated through a function of the C library's ("@strdup<…") */
	uintptr_t frames[FLEXC_SITE_FRAMES];
	int count;
};
static struct flexc_shared_site flexc_resolved[FLEXC_COUNT(flexc_shared_site_names)];
static size_t flexc_resolved_count;
static int flexc_resolved_through;

/* "name+0xOFF" or "name~N+0xOFF" (the Nth function of that name) to an address; 0 if the program has no such function. */
static uintptr_t flexc_resolve_frame(const struct flexc_symbol_table *table, const char *frame, size_t length)
{
	const char *plus = memchr(frame, '+', length);
	const char *tilde = memchr(frame, '~', length);
	size_t name_length;
	int wanted, seen = 0;

	if (plus == NULL)
		return 0;
	name_length = (size_t)((tilde != NULL && tilde < plus ? tilde : plus) - frame);
	wanted = tilde != NULL && tilde < plus ? atoi(tilde + 1) : 1;
	for (size_t i = 0; i < table->count; i++) {
		const Elf64_Sym *symbol = &table->symbols[i];
		const char *name = table->names + symbol->st_name;

		if (flexc_symbol_usable(table, symbol, STT_FUNC) && strlen(name) == name_length &&
		    strncmp(name, frame, name_length) == 0 && ++seen == wanted)
			return table->bias + symbol->st_value + strtoul(plus + 1, NULL, 16);
	}
	return 0;
}

/* In the main process before the fork; a site the program does not have is said, its blocks stay private (and fault). */
static void flexc_sharing_prepare(void)
{
	struct flexc_symbol_table table;

	flexc_walk_prepare();
	if (!flexc_load_symbols(&table)) {
		fprintf(stderr, "flexc: the program has no symbol table: the sharing profile's allocation sites stay private\n");
		return;
	}
	for (size_t i = 0; i < FLEXC_COUNT(flexc_shared_site_names); i++) {
		const char *site = flexc_shared_site_names[i];
		struct flexc_shared_site *resolved = &flexc_resolved[flexc_resolved_count];
		int complete = 1;

		resolved->count = 0;
		resolved->through = *site == '@';
		if (resolved->through) {
			site += strcspn(site, "<");
			site += *site == '<';
		}
		while (*site != 0 && resolved->count < FLEXC_SITE_FRAMES) {
			size_t length = strcspn(site, "<");
			uintptr_t address = flexc_resolve_frame(&table, site, length);

			complete = complete && address != 0;
			resolved->frames[resolved->count++] = address;
			site += length + (site[length] == '<');
		}
		if (complete && resolved->count > 0) {
			flexc_resolved_through |= resolved->through;
			flexc_resolved_count++;
		}
		else
			fprintf(stderr, "flexc: the sharing profile's site %s is not in this program: its blocks stay private\n",
				flexc_shared_site_names[i]);
	}
	flexc_free_symbols(&table);
}

static void flexc_sharing_start(void)
{
}

/* Whether the frames of a walk (count of them) are those of a site of the profile. */
static int flexc_site_listed(const uintptr_t *site, int count, int through)
{
	for (size_t i = 0; i < flexc_resolved_count; i++)
		if (flexc_resolved[i].through == through && flexc_resolved[i].count == count &&
		    memcmp(flexc_resolved[i].frames, site, (size_t)count * sizeof *site) == 0)
			return 1;
	return 0;
}

/*
 * Where the frames after a caller are on the stack, learned from a walk: Redis's zmalloc is the
 * innermost frame of most sites, so nearly every allocation would unwind the stack to tell who
 * called zmalloc. Instead, the return addresses of the caller's caller (and of the one after it)
 * are read at the word offsets from the allocator's own return-address slot where a walk found
 * them for the same caller (and the same next frame): a call site's frame layout is fixed. Each
 * thread keeps its own entries; every FLEXC_SLOTS_CHECK-th decision of an entry is walked again,
 * and a caller whose entries disagree with a walk is walked for good.
 */
#define FLEXC_SLOTS 64
#define FLEXC_SLOTS_CHECK 1024
struct flexc_slots {
	uintptr_t caller;
	uintptr_t next; /* the frame after caller's, whose own next frame offsets[1] finds */
	uint32_t offsets[2];
	uint32_t uses;
	int broken;
};
static __thread struct flexc_slots flexc_slots[FLEXC_SLOTS];
static __thread int flexc_slot_count;

/* The word offset of the first slot above from (at most 4096 words) that holds value, or 0. */
static uint32_t flexc_slot_of(void *const *slot, uint32_t from, uintptr_t value)
{
	for (uint32_t i = from; i < 4096; i++)
		if ((uintptr_t)slot[i] == value)
			return i;
	return 0;
}

/*
 * Decides from the slots whether the allocation whose return-address slot is slot is at a site:
 * 1 or 0 (uses then counts the deciding entry's decisions), or -1 when a walk must (nothing
 * learned yet, a site of caller's shorter than FLEXC_SITE_FRAMES, or a caller whose slots once
 * disagreed with a walk).
 */
static int flexc_site_by_slots(const void *caller, void *const *slot, uint32_t **uses)
{
	struct flexc_slots *any = NULL, *entry = NULL;
	uintptr_t frames[FLEXC_SITE_FRAMES] = { (uintptr_t)caller };
	int listed_next = 0;

	if (slot[0] != caller)
		return -1;
	for (size_t i = 0; i < flexc_resolved_count; i++)
		if (!flexc_resolved[i].through && flexc_resolved[i].frames[0] == frames[0] &&
		    flexc_resolved[i].count < FLEXC_SITE_FRAMES)
			return -1;
	for (int i = 0; i < flexc_slot_count; i++)
		if (flexc_slots[i].caller == frames[0]) {
			if (flexc_slots[i].broken)
				return -1;
			any = &flexc_slots[i];
		}
	if (any == NULL)
		return -1;
	frames[1] = (uintptr_t)slot[any->offsets[0]];
	for (size_t i = 0; i < flexc_resolved_count && !listed_next; i++)
		listed_next = !flexc_resolved[i].through && flexc_resolved[i].frames[0] == frames[0] &&
			      flexc_resolved[i].frames[1] == frames[1];
	/* No site goes on from caller to this next frame: not a site. */
	*uses = &any->uses;
	if (!listed_next)
		return 0;
	for (int i = 0; i < flexc_slot_count && entry == NULL; i++)
		if (flexc_slots[i].caller == frames[0] && flexc_slots[i].next == frames[1])
			entry = &flexc_slots[i];
	if (entry == NULL)
		return -1;
	*uses = &entry->uses;
	frames[2] = (uintptr_t)slot[entry->offsets[1]];
	return flexc_site_listed(frames, FLEXC_SITE_FRAMES, 0);
}

/* After a walk gave frames (count of them) for caller: learns their slots, or breaks the caller if the slots lied. */
static void flexc_learn_slots(void *const *slot, const uintptr_t *frames, int count, int decided, int walked)
{
	struct flexc_slots *entry = NULL;
	uint32_t first, second;

	if (slot[0] != (void *)frames[0])
		return;
	for (int i = 0; i < flexc_slot_count; i++)
		if (flexc_slots[i].caller == frames[0]) {
			if (decided >= 0 && decided != walked)
				flexc_slots[i].broken = 1;
			if (flexc_slots[i].next == frames[1])
				entry = &flexc_slots[i];
		}
	if (entry != NULL || count < FLEXC_SITE_FRAMES || flexc_slot_count == FLEXC_SLOTS)
		return;
	/* The walk saw these frames, so their slots lie below the stack's end: the scans stop there. */
	first = flexc_slot_of(slot, 1, frames[1]);
	second = first != 0 ? flexc_slot_of(slot, first + 1, frames[2]) : 0;
	if (first == 0 || second == 0)
		return;
	entry = &flexc_slots[flexc_slot_count++];
	entry->caller = frames[0];
	entry->next = frames[1];
	entry->offsets[0] = first;
	entry->offsets[1] = second;
}

/*
 * Whether an allocation returning to caller (its return address in slot) is at a site of the
 * profile: a comparison per site unless one's innermost frame matches, then the slots above or a
 * walk; through the C library, a walk only if the profile has such sites.
 */
static int flexc_shared_site(const void *caller, void *const *slot)
{
	uintptr_t site[FLEXC_SITE_WORDS] = { 0 };
	int count, candidate = 0, decided = -1, listed;
	int inside = flexc_in_program((uintptr_t)caller);
	uint32_t *uses = NULL;

	if (flexc_allocating_shared)
		return 1;
	if (flexc_resolved_count == 0 || (!inside && !flexc_resolved_through))
		return 0;
	if (inside) {
		for (size_t i = 0; i < flexc_resolved_count && !candidate; i++)
			candidate = !flexc_resolved[i].through && flexc_resolved[i].frames[0] == (uintptr_t)caller;
		if (!candidate)
			return 0;
		decided = flexc_site_by_slots(caller, slot, &uses);
		if (decided >= 0 && ++*uses % FLEXC_SLOTS_CHECK != 0)
			return decided;
	}
	count = flexc_site_of(caller, site);
	listed = flexc_site_listed(site + 1, count, !inside);
	if (inside)
		flexc_learn_slots(slot, site + 1, count, decided, listed);
	return listed;
}

#endif /* FLEXC_PROC_SHARED_SITES */
