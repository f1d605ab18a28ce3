/* notify.h - the seccomp user-notification backend, as core/backend_select.c picks it. */
#ifndef SUPERVISE_NOTIFY_H
#define SUPERVISE_NOTIFY_H

#include "../trap/backend.h"

extern const struct backend_ops notify_backend;

#endif
