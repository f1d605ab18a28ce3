/* timing.c - --timings: phase times in a page shared with the forked child (see timing.h). */
#include "timing.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "util.h"

/* The shared page. start[] is 0 while a phase is not running. */
struct timing_page {
	uint64_t start[TIMING_NPHASES];
	uint64_t total[TIMING_NPHASES];
	uint32_t count[TIMING_NPHASES];
};

/* One timing_add() line, kept in the supervisor's own memory. */
struct timing_extra {
	char name[48];
	char unit[16];
	double value;
	unsigned long n;
};

#define TIMING_MAX_EXTRA 64

static struct timing_page *_page;	/* NULL: --timings is off */
static struct timing_extra _extra[TIMING_MAX_EXTRA];
static size_t _nextra;
static pthread_mutex_t _extra_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const _names[TIMING_NPHASES] = {
	[TIMING_TOTAL] = "startup.total",
	[TIMING_DB] = "startup.db",
	[TIMING_PROFILE] = "startup.profile",
	[TIMING_FILTER] = "startup.filter",
	[TIMING_FORK] = "startup.fork",
	[TIMING_NAMESPACES] = "startup.namespaces",
	[TIMING_VIEW] = "startup.view",
	[TIMING_LOCK] = "startup.lock",
	[TIMING_CHILD_FILTER] = "startup.child_filter",
	[TIMING_EXEC] = "startup.exec",
	[TIMING_TEARDOWN] = "teardown",
};

uint64_t timing_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void timing_init(bool on)
{
	void *p;

	if (!on || _page)
		return;
	p = mmap(NULL, sizeof(*_page), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		warnx("--timings: cannot map the shared page: %s", strerror(errno));
		return;
	}
	_page = p;
	timing_begin(TIMING_TOTAL);
}

bool timing_on(void)
{
	return _page != NULL;
}

void timing_begin(enum timing_phase ph)
{
	if (_page)
		_page->start[ph] = timing_now_ns();
}

void timing_end(enum timing_phase ph)
{
	if (!_page || !_page->start[ph])
		return;
	_page->total[ph] += timing_now_ns() - _page->start[ph];
	_page->count[ph]++;
	_page->start[ph] = 0;
}

void timing_add(const char *name, double value, const char *unit, unsigned long n)
{
	struct timing_extra *e;

	if (!_page)
		return;
	pthread_mutex_lock(&_extra_lock);
	if (_nextra < TIMING_MAX_EXTRA) {
		e = &_extra[_nextra++];
		snprintf(e->name, sizeof(e->name), "%s", name);
		snprintf(e->unit, sizeof(e->unit), "%s", unit);
		e->value = value;
		e->n = n;
	}
	pthread_mutex_unlock(&_extra_lock);
}

void timing_print(void)
{
	if (!_page)
		return;
	timing_end(TIMING_TEARDOWN);
	for (int ph = 0; ph < TIMING_NPHASES; ph++) {
		if (!_page->count[ph])
			continue;
		if (_page->count[ph] > 1)
			fprintf(stderr, "supervise: timing: %s %.3f ms n=%u\n", _names[ph],
				(double)_page->total[ph] / 1e6, _page->count[ph]);
		else
			fprintf(stderr, "supervise: timing: %s %.3f ms\n", _names[ph],
				(double)_page->total[ph] / 1e6);
	}
	pthread_mutex_lock(&_extra_lock);
	for (size_t i = 0; i < _nextra; i++) {
		if (_extra[i].n)
			fprintf(stderr, "supervise: timing: %s %.3f %s n=%lu\n", _extra[i].name,
				_extra[i].value, _extra[i].unit, _extra[i].n);
		else
			fprintf(stderr, "supervise: timing: %s %.3f %s\n", _extra[i].name,
				_extra[i].value, _extra[i].unit);
	}
	pthread_mutex_unlock(&_extra_lock);
}
