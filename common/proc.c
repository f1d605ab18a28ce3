/* proc.c - see proc.h. */
#include "proc.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int64_t util_proc_start(pid_t pid)
{
	char p[64], buf[1024];
	long long start = -1;
	ssize_t n;
	int fd;
	char *c;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	c = strrchr(buf, ')');	/* the command name may hold spaces and parentheses */
	/* after ") ": state (3), then fields 4 .. 21, then starttime (22) */
	if (!c || sscanf(c + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %lld",
			 &start) != 1)
		return -1;
	return start;
}

pid_t util_proc_ppid(pid_t pid)
{
	char p[64], buf[1024];
	int ppid = -1, fd;
	ssize_t n;
	char *c;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	c = strrchr(buf, ')');
	if (!c || sscanf(c + 2, "%*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

bool util_proc_running(int64_t pid, int64_t start)
{
	return pid > 0 && start >= 0 && util_proc_start((pid_t)pid) == start;
}
