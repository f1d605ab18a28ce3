/* emulate.c - a small on-demand thread pool for emulated network calls (see emulate.h).
 *
 * Why answering from several threads is safe: SECCOMP_IOCTL_NOTIF_SEND takes the filter's notify
 * lock and looks the id up, so answers may come from any thread and in any order; an id whose call
 * was interrupted answers ENOENT. The session (decisions, logging, learning) is only ever used by
 * the serving thread: a worker holds nothing but the decided copy of one call.
 */
#include "emulate.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

#include "../common/sys.h"
#include "../common/util.h"

#define NOTIFY_POOL_MAX 32

struct _job {
	struct _job *next;
	uint64_t id;
	struct net_call *c;
};

struct notify_pool {
	int fd;
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct _job *head, *tail;
	struct net_call *busy[NOTIFY_POOL_MAX];	/* the call each worker performs, or NULL */
	pthread_t threads[NOTIFY_POOL_MAX];
	unsigned nthreads, idle;
	bool stopping;
};

struct _worker {
	struct notify_pool *p;
	unsigned slot;
};

/* _run - perform job J and answer it; frees J. */
static void _run(struct notify_pool *p, struct _job *j)
{
	int64_t r = netcall_perform(j->c);
	int e = sys_notif_answer(p->fd, j->id, r < 0 ? 0 : r, r < 0 ? (int)-r : 0);

	if (e < 0 && e != -ENOENT)
		errx("answering an emulated %s: %s", j->c->name, strerror(-e));
}

/* _worker - a worker thread: take jobs until the pool stops and the queue is empty. */
static void *_worker(void *arg)
{
	struct _worker *w = arg;
	struct notify_pool *p = w->p;
	struct _job *j;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->more, &p->lock);
		if (!(j = p->head))
			break;
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		p->idle--;
		p->busy[w->slot] = j->c;
		pthread_mutex_unlock(&p->lock);
		_run(p, j);
		pthread_mutex_lock(&p->lock);
		p->busy[w->slot] = NULL;
		p->idle++;
		netcall_free(j->c);
		free(j->c);
		free(j);
	}
	pthread_mutex_unlock(&p->lock);
	free(w);
	return NULL;
}

struct notify_pool *notify_pool_new(int fd)
{
	struct notify_pool *p = xcalloc(1, sizeof(*p));

	p->fd = fd;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->more, NULL);
	return p;
}

/* _grow - start one more worker (lock held) when none is idle and the cap allows. A failure to
 * start one is not fatal while another worker exists: the job waits in the queue. */
static void _grow(struct notify_pool *p)
{
	struct _worker *w;

	if (p->idle > 0 || p->nthreads >= NOTIFY_POOL_MAX)
		return;
	w = xcalloc(1, sizeof(*w));
	*w = (struct _worker){ .p = p, .slot = p->nthreads };
	if (pthread_create(&p->threads[p->nthreads], NULL, _worker, w) != 0) {
		free(w);
		if (p->nthreads == 0)
			die("cannot start a network emulation thread");
		return;
	}
	p->nthreads++;
	p->idle++;
}

void notify_pool_submit(struct notify_pool *p, uint64_t id, struct net_call *c)
{
	struct _job *j = xcalloc(1, sizeof(*j));

	*j = (struct _job){ .id = id, .c = c };
	pthread_mutex_lock(&p->lock);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	_grow(p);
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->lock);
}

void notify_pool_free(struct notify_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	for (unsigned i = 0; i < p->nthreads; i++)
		if (p->busy[i] && p->busy[i]->sock >= 0)
			shutdown(p->busy[i]->sock, SHUT_RDWR);
	pthread_cond_broadcast(&p->more);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->more);
	free(p);
}
