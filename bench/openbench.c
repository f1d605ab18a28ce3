/* openbench.c - a workload for the supervisor benchmarks: N x (openat(FILE, O_RDONLY) + close).
 *
 * Usage: openbench [-v] N FILE
 * Exits 0 when every open succeeded, 1 on the first failure (the errno is printed), 2 on a usage
 * error. Prints nothing, or with -v "N opens in T ns = P ns/open" on stdout.
 *
 * Under a seccomp-notify supervisor every openat is one trapped call, so the difference between
 * a supervised and a native run, divided by N, is the cost of one notification round trip.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* _now_ns - CLOCK_MONOTONIC in nanoseconds. */
static long long _now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* _usage - print the usage line and return status 2. */
static int _usage(void)
{
	fputs("usage: openbench [-v] N FILE\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	int verbose = 0, i = 1;
	long long t0, n;
	char *end;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		i++;
	}
	if (argc - i != 2)
		return _usage();
	n = strtoll(argv[i], &end, 10);
	if (*end || n < 0)
		return _usage();
	t0 = _now_ns();
	for (long long k = 0; k < n; k++) {
		int fd = openat(AT_FDCWD, argv[i + 1], O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			fprintf(stderr, "openbench: %s (open %lld of %lld): %s\n", argv[i + 1], k + 1, n,
				strerror(errno));
			return 1;
		}
		close(fd);
	}
	if (verbose) {
		long long dt = _now_ns() - t0;

		printf("%lld opens in %lld ns = %.0f ns/open\n", n, dt, n ? (double)dt / (double)n : 0.0);
	}
	return 0;
}
