/* backtrace.c - the call stack of a ptrace-stopped thread, with libunwind's ptrace accessors
 * (_UPT_create, unw_init_remote), named by function+offset and by module+offset from
 * /proc/TID/maps.
 *
 * Why this cannot hurt the supervisor or the tracee: libunwind only reads (PTRACE_PEEKDATA,
 * PTRACE_GETREGS, and the ELF files on disk); every failure ends the walk with the frames found
 * so far; the walk is bounded (MAX_FRAMES, and libunwind stops on a frame that does not move the
 * stack); a program without unwind information or frame pointers yields fewer or "?" frames.
 * A stale cache entry (see struct tracer_bt) can only mislabel a frame, never crash.
 */
#include "backtrace.h"

#include <inttypes.h>
#include <libunwind-ptrace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"

#define MAX_FRAMES 64
#define NAMES 1024	/* symbol cache slots (direct-mapped by address) */

struct map {
	uint64_t start, end, off;
	char *path;
};

struct name {
	uint64_t ip;
	char *text;	/* "function+0xoff" or "?"; NULL: empty slot */
};

/* The caches describe one program: the one thread last_tid runs. They are dropped when another
 * thread is unwound (it may be another program) and after an exec (tracer_bt_forget). Reading
 * /proc/TID/maps and mapping the ELF file to name a frame cost far more than the unwind itself
 * (~380 us per event before these caches). */
struct tracer_bt {
	unw_addr_space_t as;
	pid_t last_tid;		/* the thread the caches describe, 0 after an exec */
	struct map *maps;	/* its file mappings, re-read when a frame falls outside them */
	size_t nmaps;
	struct name names[NAMES];
};

static void _maps_free(struct map *m, size_t n);

/* _flush - drop every cache of BT. */
static void _flush(struct tracer_bt *bt)
{
	unw_flush_cache(bt->as, 0, 0);
	_maps_free(bt->maps, bt->nmaps);
	bt->maps = NULL;
	bt->nmaps = 0;
	for (size_t i = 0; i < NAMES; i++) {
		free(bt->names[i].text);
		bt->names[i].text = NULL;
	}
}

struct tracer_bt *tracer_bt_new(void)
{
	struct tracer_bt *bt = xcalloc(1, sizeof(*bt));

	bt->as = unw_create_addr_space(&_UPT_accessors, 0);
	if (!bt->as)
		die("libunwind: cannot create an address space");
	unw_set_caching_policy(bt->as, UNW_CACHE_GLOBAL);
	return bt;
}

void tracer_bt_forget(struct tracer_bt *bt)
{
	if (bt)
		bt->last_tid = 0;
}

void tracer_bt_free(struct tracer_bt *bt)
{
	if (!bt)
		return;
	_flush(bt);
	unw_destroy_addr_space(bt->as);
	free(bt);
}

/* _maps_read - the file mappings of TID from /proc/TID/maps; *N receives their number.
 * Returns a malloc'd array (free with _maps_free), NULL with *N = 0 when unreadable. */
static struct map *_maps_read(pid_t tid, size_t *n)
{
	char p[64], *line = NULL;
	size_t cap = 0, len = 0;
	struct map *m = NULL;
	_cleanup_fclose_ FILE *f = NULL;

	*n = 0;
	snprintf(p, sizeof(p), "/proc/%d/maps", (int)tid);
	f = fopen(p, "re");
	if (!f)
		return NULL;
	while (getline(&line, &len, f) > 0) {
		uint64_t s, e, off;
		int pos = 0;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %*s %" SCNx64 " %*s %*s %n", &s, &e, &off,
			   &pos) < 3 || !pos || line[pos] != '/')
			continue;
		line[strcspn(line, "\n")] = 0;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			m = xrealloc(m, cap * sizeof(*m));
		}
		m[(*n)++] = (struct map){ .start = s, .end = e, .off = off, .path = xstrdup(line + pos) };
	}
	free(line);
	return m;
}

/* _maps_free - free N maps M. */
static void _maps_free(struct map *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(m[i].path);
	free(m);
}

/* _module - the mapping of M (N entries) that holds IP, or NULL. */
static const struct map *_module(const struct map *m, size_t n, uint64_t ip)
{
	for (size_t i = 0; i < n; i++)
		if (ip >= m[i].start && ip < m[i].end)
			return &m[i];
	return NULL;
}

/* _name - "function+0xoff" for the frame at cursor C (address IP), through BT's cache. */
static const char *_name(struct tracer_bt *bt, unw_cursor_t *c, uint64_t ip)
{
	struct name *e = &bt->names[(ip >> 2) % NAMES];
	unw_word_t off = 0;
	char name[256];

	if (e->text && e->ip == ip)
		return e->text;
	free(e->text);
	e->ip = ip;
	if (unw_get_proc_name(c, name, sizeof(name), &off) == 0)
		e->text = xasprintf("%s+0x%" PRIx64, name, (uint64_t)off);
	else
		e->text = xstrdup("?");
	return e->text;
}

/* _frame - append the line for the frame at cursor C to OUT, for the thread TID. */
static void _frame(struct tracer_bt *bt, FILE *out, unw_cursor_t *c, pid_t tid)
{
	unw_word_t ip = 0;
	const struct map *mod;

	unw_get_reg(c, UNW_REG_IP, &ip);
	fputs(_name(bt, c, ip), out);
	mod = _module(bt->maps, bt->nmaps, ip);
	if (!mod) {	/* mapped since the cache was read (dlopen, JIT): read again */
		_maps_free(bt->maps, bt->nmaps);
		bt->maps = _maps_read(tid, &bt->nmaps);
		mod = _module(bt->maps, bt->nmaps, ip);
	}
	if (mod)
		fprintf(out, " (%s+0x%" PRIx64 ")\n", mod->path, (uint64_t)(ip - mod->start + mod->off));
	else
		fprintf(out, " (?+0x%" PRIx64 ")\n", (uint64_t)ip);
}

char *tracer_bt_walk(struct tracer_bt *bt, pid_t tid)
{
	void *upt = _UPT_create(tid);
	unw_cursor_t c;
	size_t size = 0;
	char *text = NULL;
	FILE *out;
	int frames = 0;

	if (!upt)
		die("libunwind: out of memory");
	if (tid != bt->last_tid) {
		_flush(bt);
		bt->last_tid = tid;
	}
	out = open_memstream(&text, &size);
	if (!out)
		die("open_memstream: out of memory");
	if (unw_init_remote(&c, bt->as, upt) == 0)
		do
			_frame(bt, out, &c, tid);
		while (++frames < MAX_FRAMES && unw_step(&c) > 0);
	fclose(out);
	_UPT_destroy(upt);
	if (!frames) {
		free(text);
		return NULL;
	}
	text[size - 1] = 0;	/* drop the last newline */
	return text;
}
