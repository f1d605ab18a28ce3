/* emulate.h - the workers that perform emulated network calls and answer their notifications,
 * so that a blocking connect or send never stalls the handling of other notifications.
 */
#ifndef SUPERVISE_NOTIFY_EMULATE_H
#define SUPERVISE_NOTIFY_EMULATE_H

#include <stdint.h>

#include "../trap/netcall.h"

struct notify_pool;

/* notify_pool_new - a pool answering on the listener FD. Threads start on demand (at most
 * NOTIFY_POOL_MAX, then jobs queue). Dies on out of memory. */
struct notify_pool *notify_pool_new(int fd);

/* notify_pool_submit - perform C (taken over: the pool frees it) for notification ID in a
 * worker, and answer ID with its result (never CONTINUE). An answer that fails with ENOENT means
 * the call was interrupted (a signal) or its thread died: nothing waits for it. */
void notify_pool_submit(struct notify_pool *p, uint64_t id, struct net_call *c);

/* notify_pool_free - stop the pool: queued jobs are answered, calls still blocked in a worker are
 * cut short with shutdown(2) on the supervisor's copy of their socket (the whole tree is gone by
 * then), and every worker is joined. Safe on NULL. */
void notify_pool_free(struct notify_pool *p);

#endif
