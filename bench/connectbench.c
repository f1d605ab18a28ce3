/* connectbench.c - a workload for the supervisor benchmarks: N x (socket + connect + close).
 *
 * Usage: connectbench [-v] N PORT
 * Each round creates an AF_INET stream socket, connects it to 127.0.0.1:PORT and closes it.
 * Exits 0 when every round succeeded, 1 on the first failure (the errno is printed), 2 on a
 * usage error. Prints nothing, or with -v "N connects in T ns = P ns/connect" on stdout.
 *
 * Something must listen on 127.0.0.1:PORT with a backlog deep enough, or accept fast enough, for
 * N connects (bench/run.sh starts one that accepts and closes in a loop). Under a seccomp-notify
 * supervisor the socket and connect calls are trapped, so the difference between a supervised
 * and a native run, divided by N, is the cost of the supervision of one connect+close.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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
	fputs("usage: connectbench [-v] N PORT\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	int verbose = 0, i = 1;
	long long t0, n;
	long port;
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
	port = strtol(argv[i + 1], &end, 10);
	if (*end || port < 1 || port > 65535)
		return _usage();
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	t0 = _now_ns();
	for (long long k = 0; k < n; k++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0) {
			fprintf(stderr, "connectbench: socket (round %lld of %lld): %s\n", k + 1, n,
				strerror(errno));
			return 1;
		}
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			fprintf(stderr, "connectbench: connect 127.0.0.1:%ld (round %lld of %lld): %s\n",
				port, k + 1, n, strerror(errno));
			close(fd);
			return 1;
		}
		close(fd);
	}
	if (verbose) {
		long long dt = _now_ns() - t0;

		printf("%lld connects in %lld ns = %.0f ns/connect\n", n, dt,
		       n ? (double)dt / (double)n : 0.0);
	}
	return 0;
}
