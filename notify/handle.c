/* handle.c - receive one seccomp notification, have it decided (trap/decode.c), answer it.
 * Every notification that was received gets an answer unless its call is already gone.
 */
#include "handle.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <stdio.h>
#include <string.h>

#include "../common/sys.h"
#include "../common/timing.h"
#include "../common/util.h"
#include "../trap/syscalls.h"
#include "../trap/decode.h"
#include "../trap/netcall.h"
#include "emulate.h"

struct notify_handler {
	int fd;
	struct session *sess;
	struct seccomp_notif_sizes sizes;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct notify_pool *pool;	/* emulated network calls; started on first use */
	/* --timings: ns blocked in NOTIF_RECV (waiting included), in NOTIF_SEND, in session_commit
	 * (the log), and from the receive to the end of the log: the whole of one trap */
	uint64_t t_recv, t_reply, t_log, t_trap;
	unsigned long n;
};

struct notify_handler *notify_handler_new(int fd, struct session *sess)
{
	struct notify_handler *h = xcalloc(1, sizeof(*h));
	int r = sys_notif_sizes(&h->sizes);

	if (r < 0)
		die("SECCOMP_GET_NOTIF_SIZES: %s", strerror(-r));
	h->fd = fd;
	h->sess = sess;
	h->req = xcalloc(1, h->sizes.seccomp_notif > sizeof(*h->req) ? h->sizes.seccomp_notif : sizeof(*h->req));
	h->resp = xcalloc(1, h->sizes.seccomp_notif_resp > sizeof(*h->resp) ? h->sizes.seccomp_notif_resp
									   : sizeof(*h->resp));
	return h;
}

void notify_handler_report(const struct notify_handler *h)
{
	double n = (double)h->n;

	if (!h->n)
		return;
	timing_add("trap.count", n, "calls", 0);
	timing_add("trap.wait+receive", (double)h->t_recv / 1e3 / n, "us", h->n);
	decode_times_report();
	timing_add("trap.log", (double)h->t_log / 1e3 / n, "us", h->n);
	timing_add("trap.reply", (double)h->t_reply / 1e3 / n, "us", h->n);
	timing_add("trap.total", (double)h->t_trap / 1e3 / n, "us (receive returned to logged)", h->n);
}

void notify_handler_free(struct notify_handler *h)
{
	if (!h)
		return;
	notify_pool_free(h->pool);
	free(h->req);
	free(h->resp);
	free(h);
}

/* _still_valid - the notification is still pending (ID_VALID). */
static bool _still_valid(void *ctx)
{
	struct notify_handler *h = ctx;

	return sys_notif_id_valid(h->fd, h->req->id) == 0;
}

/* _emulate - a network call under enforce with network checks: decide on the copy and hand
 * the allowed call to a worker, which performs it and answers (trap/netcall.h says why it must
 * not be CONTINUE). Returns -1 when a worker answers (or the call is gone), else the errno. */
static int _emulate(struct notify_handler *h, const struct trap *t, const struct sc_desc *d)
{
	struct net_call *c = xcalloc(1, sizeof(*c));
	int err = netcall_decide(h->sess, t, d, true, c);

	if (err == 0) {
		if (!h->pool)
			h->pool = notify_pool_new(h->fd);
		notify_pool_submit(h->pool, h->req->id, c);
		return -1;
	}
	netcall_free(c);
	free(c);
	return err;
}

/* _decide - the answer for the received notification: 0, positive errno, or -1 (gone, or
 * answered by an emulation worker). */
static int _decide(struct notify_handler *h)
{
	struct trap t = {
		.tid = (pid_t)h->req->pid, .nr = h->req->data.nr, .arch = h->req->data.arch,
		.still_valid = _still_valid, .ctx = h,
		.deferrable = true, .notif_id = h->req->id, .notif_fd = h->fd,
	};
	const struct sc_desc *d = sc_lookup(t.nr);
	int err;

	memcpy(t.args, h->req->data.args, sizeof(t.args));
	if (decode_outside(h->sess, &t, &err) && (err || !d))
		return err;
	if (d && sc_is_net(d->kind) && t.arch == AUDIT_ARCH_X86_64 && netcall_active(h->sess))
		return _emulate(h, &t, d);
	return decode_decide(h->sess, &t);
}

int notify_handle_one(struct notify_handler *h)
{
	int r, err;
	uint64_t t0 = timing_on() ? timing_now_ns() : 0, t1 = 0, t2 = 0, t3 = 0;

	memset(h->req, 0, h->sizes.seccomp_notif);
	r = sys_notif_recv(h->fd, h->req);
	if (r < 0) {
		if (r != -ENOENT && r != -EINTR)
			errx("receiving a notification: %s", strerror(-r));
		return r;
	}
	if (t0) {
		t1 = timing_now_ns();
		h->t_recv += t1 - t0;
		h->n++;
	}
	session_hold(h->sess);
	err = _decide(h);
	if (err < 0) {
		/* gone (nothing was logged), or answered by an emulation worker, whose call is logged
		 * as decided: it is performed whatever becomes of the thread */
		session_commit(h->sess, true);
		session_release(h->sess);
		return 0;
	}
	memset(h->resp, 0, h->sizes.seccomp_notif_resp);
	h->resp->id = h->req->id;
	if (err == 0)
		h->resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else
		h->resp->error = -err;
	if (t0)
		t2 = timing_now_ns();
	r = sys_notif_send(h->fd, h->resp);
	if (r < 0 && r != -ENOENT)
		errx("answering a notification: %s", strerror(-r));
	if (t0) {
		t3 = timing_now_ns();
		h->t_reply += t3 - t2;
	}
	/* ENOENT: the call was interrupted before the answer, so it did not happen (a restart is
	 * trapped again); its events are dropped. Another error still logs what was decided. */
	session_commit(h->sess, r != -ENOENT);
	session_release(h->sess);
	if (t0) {
		uint64_t t4 = timing_now_ns();

		h->t_log += t4 - t3;
		h->t_trap += t4 - t1;
	}
	return 0;
}
