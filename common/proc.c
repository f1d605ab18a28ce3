/* proc.c - see proc.h. */
#include "proc.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* _after_comm - the fields of /proc/PID/stat after the command name, from the state (field 3)
 * on, into BUF (LEN bytes). BUF, or NULL when the process is gone. */
static const char *_after_comm(pid_t pid, char *buf, size_t len)
{
	char p[64], *c;
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = 0;
	c = strrchr(buf, ')');	/* the command name may hold spaces and parentheses */
	return c && c[1] ? c + 2 : NULL;
}

int64_t util_proc_start(pid_t pid)
{
	char buf[1024];
	const char *f = _after_comm(pid, buf, sizeof(buf));
	long long start = -1;

	/* state (3), then fields 4 .. 21, then starttime (22) */
	if (!f || sscanf(f, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %lld",
			 &start) != 1)
		return -1;
	return start;
}

pid_t util_proc_ppid(pid_t pid)
{
	char buf[1024];
	const char *f = _after_comm(pid, buf, sizeof(buf));
	int ppid = -1;

	if (!f || sscanf(f, "%*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

bool util_proc_running(int64_t pid, int64_t start)
{
	return pid > 0 && start >= 0 && util_proc_start((pid_t)pid) == start;
}
