/*@HEADER@*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_MERGEABLE
#define MADV_MERGEABLE 12
#endif
#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE 15
#endif
#define PAGE 4096L
#define SKIP 77
#define MAXV 16

enum { OP_LOAD, OP_STORE, OP_DONTNEED, OP_FORK, OP_ODIRECT, OP_PAGEOUT, OP_MIGRATE };
enum { PG_NONE, PG_ZERO, PG_VALUE, PG_SWAPPED, PG_SHARED };
struct op { int kind, page, last; long value; int check; const char *text; };
struct agent { const char *name; int mm, cpu, helper, nops; const struct op *ops; unsigned touch; };
struct initial { int mm, page, kind; long value; int writable; };
struct legal { const char *what; int n; long v[MAXV]; };
struct final { int mm, page; struct legal legal; };

/*@SCENARIO@*/

/* Shared between the processes (mm0 and mm1): the start line, the results, the child's verdicts. */
struct shared {
    volatile int ready, go, done, setup_ok, child_bad;
    volatile long result[NCHECKS + 1];
    char child_msg[512];
};
static struct shared *sh;
static char *base;                 /* the pages, 2 MiB aligned: A, B, ... (a second PMD from SECOND_PMD on) */
static int odirect_fd = -1;
static char odirect_path[4096], swap_path[4096];
static int swap_made;
static long ksm_saved[3] = { -1, -1, -1 }, ksm_scans;
static volatile sig_atomic_t stop;
static int iteration, jitter;

/* Pages are contiguous; with a second PMD, page SECOND_PMD starts the second 2 MiB range, so a
   range over both is one madvise, as in the model. */
static char *addr(int page) { return base + (SECOND_PMD >= 0 ? 512 - SECOND_PMD + page : page) * PAGE; }

/* A CPU agent runs on its own CPU; a kernel thread's stand-in on the next free one, or shares the last. */
static int cpu_of(const struct agent *a)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    int c = a->helper ? CPU_AGENTS + a->cpu : a->cpu;
    return c < online ? c : (int)online - 1;
}

static void skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("SKIPPED: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    exit(SKIP);
}

static unsigned rnd(unsigned *s) { *s ^= *s << 13; *s ^= *s >> 17; *s ^= *s << 5; return *s; }

static void spin(unsigned n) { for (volatile unsigned i = 0; i < n; i++) { } }

static void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) { perror("sched_setaffinity"); exit(2); }
}

static int write_file(const char *path, long v)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    int ok = fprintf(f, "%ld\n", v) > 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static long read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    long v = -1;
    if (!f) return -1;
    if (fscanf(f, "%ld", &v) != 1) v = -1;
    fclose(f);
    return v;
}

/* A page is swapped out when its PTE is a swap entry: /proc/self/pagemap bit 62. */
static int swapped(int page)
{
    int fd = open("/proc/self/pagemap", O_RDONLY);
    uint64_t e = 0;
    if (fd < 0) return 0;
    ssize_t n = pread(fd, &e, sizeof e, ((uintptr_t)addr(page) / PAGE) * sizeof e);
    close(fd);
    return n == sizeof e && (e >> 62 & 1);
}

static void do_op(const struct op *o)
{
    long len = (o->last - o->page + 1) * PAGE;
    switch (o->kind) {
    case OP_LOAD: sh->result[o->check] = *(volatile long *)addr(o->page); break;
    case OP_STORE: *(volatile long *)addr(o->page) = o->value; break;
    case OP_DONTNEED: madvise(addr(o->page), len, MADV_DONTNEED); break;
    case OP_ODIRECT: {
        long off = 0;
        for (int i = 0; i < NODIRECT; i++) if (odirect_values[i] == o->value) off = i * PAGE;
        if (pread(odirect_fd, addr(o->page), PAGE, off) != PAGE) perror("O_DIRECT read");
        break;
    }
    case OP_PAGEOUT: madvise(addr(o->page), PAGE, MADV_PAGEOUT); break;
    case OP_MIGRATE: {
        void *p = addr(o->page);
        int status = -1, node = 0;
        if (syscall(SYS_move_pages, 0, 1, &p, NULL, &status, 0) == 0) node = status == 0 ? 1 : 0;
        syscall(SYS_move_pages, 0, 1, &p, &node, &status, 2 /* MPOL_MF_MOVE */);
        break;
    }
    }
}

static void run_agents(int mm, int after_fork);

/* One agent's thread: pinned like the table's agent; touches the pages its CPU's TLB holds in the
   counterexample; waits for the start line; runs its operations with random spins between. */
static void *agent_main(void *arg)
{
    const struct agent *a = arg;
    unsigned s = 2654435761u * (unsigned)(iteration + 1) + (unsigned)(a - agents) * 40503u + 1;
    pin(cpu_of(a));
    for (int p = 0; p < NPAGES; p++) if (a->touch >> p & 1) (void)*(volatile long *)addr(p);
    __atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE) != iteration + 1) sched_yield();
    for (int i = 0; i < a->nops; i++) {
        if (jitter) spin(rnd(&s) % jitter);
        if (a->ops[i].kind == OP_FORK) {
            fflush(stdout);
            pid_t child = fork();
            if (child == 0) { run_agents(1, 1); _exit(0); }
            if (child > 0) waitpid(child, NULL, 0);
            continue;
        }
        do_op(&a->ops[i]);
    }
    __atomic_add_fetch(&sh->done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static int in(const struct legal *l, long v) { for (int i = 0; i < l->n; i++) if (l->v[i] == v) return 1; return 0; }

static void describe(char *buf, size_t size, const char *what, long got, const struct legal *l)
{
    int n = snprintf(buf, size, "%s returned %ld, but only", what, got);
    for (int i = 0; i < l->n && n > 0 && (size_t)n < size; i++) n += snprintf(buf + n, size - n, "%s %ld", i ? "," : "", l->v[i]);
    if (n > 0 && (size_t)n < size) snprintf(buf + n, size - n, " can be seen");
}

/* After the mm's agents finished: each page it holds must have a value some agent's last write left. */
static int check_finals(int mm, char *msg, size_t size)
{
    for (int i = 0; i < NFINALS; i++) {
        if (finals[i].mm != mm) continue;
        long v = *(volatile long *)addr(finals[i].page);
        if (!in(&finals[i].legal, v)) { describe(msg, size, finals[i].legal.what, v, &finals[i].legal); return 1; }
    }
    return 0;
}

/* The agents of one mm, as threads of this process; mm1's are started by a fork in mm0 or at setup. */
static void run_agents(int mm, int after_fork)
{
    pthread_t t[NAGENTS];
    int n = 0;
    for (int i = 0; i < NAGENTS; i++) {
        if (agents[i].mm != mm) continue;
        if (after_fork) __atomic_store_n(&sh->go, iteration + 1, __ATOMIC_RELEASE);
        if (pthread_create(&t[n], NULL, agent_main, (void *)&agents[i]) != 0) { perror("pthread_create"); _exit(2); }
        n++;
    }
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    if (mm == 1 && check_finals(1, sh->child_msg, sizeof sh->child_msg)) sh->child_bad = 1;
}

/* The model's initial pages of one mm; returns whether a fork write-protected the others too. */
static int set_pages(int mm, int inherited)
{
    int ro = 0;
    for (int i = 0; i < NINITIAL; i++) {
        const struct initial *p = &initial[i];
        if (p->mm != mm || p->kind == PG_SHARED) continue;
        if (inherited) madvise(addr(p->page), PAGE, MADV_DONTNEED);
        if (p->kind == PG_ZERO) (void)*(volatile long *)addr(p->page);
        else if (p->kind != PG_NONE) *(volatile long *)addr(p->page) = p->value;
        if (p->kind == PG_VALUE && !p->writable) ro = 1;
    }
    if (inherited) {
        /* Pages the model leaves unlisted in mm1 are pte_none: drop what fork copied. */
        for (int page = 0; page < NPAGES; page++) {
            int listed = 0;
            for (int i = 0; i < NINITIAL; i++) listed |= initial[i].mm == mm && initial[i].page == page;
            if (!listed) madvise(addr(page), PAGE, MADV_DONTNEED);
        }
    }
    /* A read-only PTE in a writable mapping is what fork leaves: fork a child that exits at once. */
    if (ro) { pid_t c = fork(); if (c == 0) _exit(0); waitpid(c, NULL, 0); }
    return ro;
}

/* After a fork wrote-protected everything, the pages the model has writable are written again
   (do_wp_page reuses them: one mapping, one reference), and the swapped ones are paged out. */
static int finish_pages(int mm, int forked)
{
    for (int i = 0; i < NINITIAL; i++) {
        const struct initial *p = &initial[i];
        if (p->mm != mm) continue;
        if (forked && p->kind == PG_VALUE && p->writable) *(volatile long *)addr(p->page) = p->value;
        if (p->kind == PG_SWAPPED) {
            madvise(addr(p->page), PAGE, MADV_PAGEOUT);
            if (!swapped(p->page)) return 0;
        }
    }
    return 1;
}

static void map_pages(void)
{
    long len = 1024 * PAGE;
    if (mmap(base, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != base) { perror("mmap"); exit(2); }
    madvise(base, len, MADV_NOHUGEPAGE);
    if (NEED_KSM) madvise(base, len, MADV_MERGEABLE);
}

static void on_signal(int sig) { (void)sig; stop = 1; }

static void cleanup(void)
{
    static const char *ksm[3] = { "/sys/kernel/mm/ksm/run", "/sys/kernel/mm/ksm/sleep_millisecs", "/sys/kernel/mm/ksm/pages_to_scan" };
    if (odirect_fd >= 0) { close(odirect_fd); unlink(odirect_path); }
    if (swap_made) { syscall(SYS_swapoff, swap_path); unlink(swap_path); }
    for (int i = 0; i < 3; i++) if (ksm_saved[i] >= 0) write_file(ksm[i], ksm_saved[i]);
}

static int has_swap(void)
{
    FILE *f = fopen("/proc/swaps", "r");
    char line[512];
    int n = 0;
    if (!f) return 0;
    while (fgets(line, sizeof line, f)) n++;
    fclose(f);
    return n > 1;
}

/* A 64 MiB swap file with a version-1 header (what mkswap writes), in the working directory. */
static void make_swap(void)
{
    static char page[PAGE];
    const char *dir = getenv("MMFUZZ_DIR") ? getenv("MMFUZZ_DIR") : ".";
    long pages = 16384;
    snprintf(swap_path, sizeof swap_path, "%s/mmfuzz-repro-%d.swap", dir, (int)getpid());
    int fd = open(swap_path, O_CREAT | O_EXCL | O_WRONLY, 0600);
    if (fd < 0) skip("no swap: cannot create the swap file %s: %s", swap_path, strerror(errno));
    for (long i = 0; i < pages; i++) {
        memset(page, 0, sizeof page);
        if (i == 0) {
            unsigned int hdr[3] = { 1, (unsigned)(pages - 1), 0 };
            memcpy(page + 1024, hdr, sizeof hdr);
            memcpy(page + PAGE - 10, "SWAPSPACE2", 10);
        }
        if (write(fd, page, PAGE) != PAGE) { close(fd); unlink(swap_path); skip("no swap: writing %s: %s", swap_path, strerror(errno)); }
    }
    fsync(fd);
    close(fd);
    if (syscall(SYS_swapon, swap_path, 0) != 0) {
        int e = errno;
        unlink(swap_path);
        skip("no swap: swapon(%s) failed: %s (the file system must support swap files)", swap_path, strerror(e));
    }
    swap_made = 1;
    printf("set up %s (64 MiB of swap) for this run; swapoff and removed at the end\n", swap_path);
}

static void check_resources(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (CPU_AGENTS > cpus) skip("too few CPUs: the counterexample runs on %d CPUs, this machine has %ld online", CPU_AGENTS, cpus);
    if ((NEED_SWAP || NEED_KSM) && geteuid() != 0 && !(NEED_SWAP && has_swap() && !NEED_KSM))
        skip("not root: %s needs root", NEED_KSM ? "running ksmd through /sys/kernel/mm/ksm" : "setting up a swap file");
    if (NEED_SWAP) {
        void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        *(volatile long *)p = 1;
        if (madvise(p, PAGE, MADV_PAGEOUT) != 0 && errno == EINVAL) skip("no MADV_PAGEOUT: reclaim needs Linux 5.4 or later");
        munmap(p, PAGE);
        if (!has_swap()) make_swap();
    }
    if (NEED_KSM) {
        static const char *ksm[3] = { "/sys/kernel/mm/ksm/run", "/sys/kernel/mm/ksm/sleep_millisecs", "/sys/kernel/mm/ksm/pages_to_scan" };
        static const long want[3] = { 1, 0, 10000 };
        if (access(ksm[0], F_OK) != 0) skip("no KSM: %s does not exist (CONFIG_KSM)", ksm[0]);
        for (int i = 0; i < 3; i++) {
            ksm_saved[i] = read_file(ksm[i]);
            if (write_file(ksm[i], want[i]) != 0) skip("no KSM: cannot write %s: %s", ksm[i], strerror(errno));
        }
        ksm_scans = read_file("/sys/kernel/mm/ksm/full_scans");
    }
    if (NEED_NUMA && access("/sys/devices/system/node/node1", F_OK) != 0)
        skip("one NUMA node: migration is driven by move_pages(2) between nodes, and this machine has only node0");
    if (NODIRECT > 0) {
        const char *dir = getenv("MMFUZZ_DIR") ? getenv("MMFUZZ_DIR") : ".";
        static char block[PAGE] __attribute__((aligned(4096)));
        snprintf(odirect_path, sizeof odirect_path, "%s/mmfuzz-repro-%d.data", dir, (int)getpid());
        int fd = open(odirect_path, O_CREAT | O_EXCL | O_WRONLY, 0600);
        for (int i = 0; fd >= 0 && i < NODIRECT; i++) {
            memset(block, 0, sizeof block);
            memcpy(block, &odirect_values[i], sizeof(long));
            if (write(fd, block, PAGE) != PAGE) { close(fd); fd = -1; }
        }
        if (fd >= 0) { fsync(fd); close(fd); }
        odirect_fd = fd < 0 ? -1 : open(odirect_path, O_RDONLY | O_DIRECT);
        if (odirect_fd < 0) { unlink(odirect_path); skip("no O_DIRECT: cannot read %s with O_DIRECT (set MMFUZZ_DIR to a disk file system)", odirect_path); }
    }
}

int main(int argc, char **argv)
{
    long iterations = 10000, seconds = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-n")) iterations = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "-s")) seconds = atol(argv[i + 1]);
        else { fprintf(stderr, "usage: %s [-n ITERATIONS] [-s SECONDS]\n", argv[0]); return 2; }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("%s", DESCRIPTION);
    for (int i = 0; i < NAGENTS; i++)
        if (agents[i].helper && CPU_AGENTS + agents[i].cpu >= sysconf(_SC_NPROCESSORS_ONLN))
            printf("note: %s's stand-in shares CPU %d (this machine has %ld CPUs)\n", agents[i].name, cpu_of(&agents[i]), sysconf(_SC_NPROCESSORS_ONLN));
    atexit(cleanup);
    check_resources();
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *reserve = mmap(NULL, 1536 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED || reserve == MAP_FAILED) { perror("mmap"); return 2; }
    base = (char *)(((uintptr_t)reserve + 512 * PAGE - 1) & ~(uintptr_t)(512 * PAGE - 1));
    static const unsigned spins[4] = { 0, 64, 1024, 16384 };
    long seen = 0, ran = 0, unset = 0;
    char first[640] = "";
    struct timeval t0, t1;
    gettimeofday(&t0, NULL);
    for (iteration = 0; iteration < iterations && !stop; iteration++) {
        gettimeofday(&t1, NULL);
        if (t1.tv_sec - t0.tv_sec >= seconds) break;
        jitter = spins[iteration % 4];
        map_pages();
        int ro0 = set_pages(0, 0);
        sh->ready = sh->done = sh->setup_ok = sh->child_bad = 0;
        sh->child_msg[0] = 0;
        for (int i = 0; i <= NCHECKS; i++) sh->result[i] = -1;
        pid_t child = -1;
        if (MM1_AT_START) {
            child = fork();
            if (child == 0) {
                int ro1 = set_pages(1, 1);
                sh->setup_ok = finish_pages(1, ro1) ? 1 : -1;
                run_agents(1, 0);
                _exit(0);
            }
            while (sh->setup_ok == 0) sched_yield();
        }
        int ok = finish_pages(0, MM1_AT_START || ro0) && (!MM1_AT_START || sh->setup_ok == 1);
        pthread_t t[NAGENTS];
        int n = 0;
        for (int i = 0; i < NAGENTS; i++)
            if (agents[i].mm == 0 && pthread_create(&t[n++], NULL, agent_main, (void *)&agents[i]) != 0) { perror("pthread_create"); return 2; }
        while (__atomic_load_n(&sh->ready, __ATOMIC_ACQUIRE) < START_AGENTS) sched_yield();
        __atomic_store_n(&sh->go, iteration + 1, __ATOMIC_RELEASE);
        for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
        if (child > 0) waitpid(child, NULL, 0);
        if (!ok) { unset++; continue; }
        ran++;
        char msg[640] = "";
        int bad = 0;
        for (int i = 0; i < NCHECKS && !bad; i++)
            if (sh->result[i] != -1 && !in(&checks[i], sh->result[i])) { describe(msg, sizeof msg, checks[i].what, sh->result[i], &checks[i]); bad = 1; }
        if (!bad && sh->child_bad) { snprintf(msg, sizeof msg, "%s", sh->child_msg); bad = 1; }
        if (!bad) bad = check_finals(0, msg, sizeof msg);
        if (bad) {
            if (seen++ == 0) snprintf(first, sizeof first, "iteration %d: %s", iteration, msg);
            if (seen <= 5) printf("VIOLATION in iteration %d: %s\n", iteration, msg);
        }
    }
    munmap(base, 1024 * PAGE);
    gettimeofday(&t1, NULL);
    double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_usec - t0.tv_usec) / 1e6;
    printf("ran %ld iterations in %.1f s", ran, secs);
    if (unset) printf(" (%ld more could not set up the initial state: a page did not go to swap)", unset);
    printf(": observed the violation in %ld of %ld\n", seen, ran);
    if (seen) printf("first: %s\n", first);
    if (NEED_KSM) printf("ksmd made %ld full scans meanwhile\n", read_file("/sys/kernel/mm/ksm/full_scans") - ksm_scans);
    if (ran == 0) skip("no iteration could set up the counterexample's initial state");
    return seen ? 1 : 0;
}
