/* handle.h - answering one seccomp notification: copy the arguments, decide, respond. */
#ifndef SUPERVISE_HANDLE_H
#define SUPERVISE_HANDLE_H

#include "../trap/session.h"

struct notify_handler;

/* notify_handler_new - a handler for listener FD that asks SESS. Dies if the kernel will not tell
 * the notification sizes (setup regime). */
struct notify_handler *notify_handler_new(int fd, struct session *sess);

/* notify_handle_one - receive one notification (NOTIF_RECV blocks until there is one) and answer
 * it. Never fails the loop: ENOENT (the target died or was interrupted, or, Linux 6.11+, the
 * filter has no user left) and EINTR are normal; anything else is reported and the notification,
 * if received, still gets an answer. Returns 0 when a notification was received, else the
 * -errno of NOTIF_RECV. */
int notify_handle_one(struct notify_handler *h);

/* notify_handler_report - with --timings, add H's per-trap figures to the report (timing_add). */
void notify_handler_report(const struct notify_handler *h);

/* notify_handler_free - release H (NULL is fine). */
void notify_handler_free(struct notify_handler *h);

#endif
