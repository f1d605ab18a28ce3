/* threadbench.c - a load for `make soak`: T threads, each N x (openat(FILE, O_RDONLY) + close).
 *
 * Usage: threadbench T N FILE
 * Exits 0 when every open of every thread succeeded, 1 when one failed (the errno is printed), 2
 * on a usage error. Prints "T threads x N opens in S s" on stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *_file;
static long _n;
static atomic_int _failed;

/* _worker - N opens and closes of FILE; records the first failure. */
static void *_worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < _n; i++) {
		int fd = open(_file, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			if (!atomic_exchange(&_failed, errno))
				fprintf(stderr, "threadbench: %s: %s\n", _file, strerror(errno));
			return NULL;
		}
		close(fd);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	pthread_t *t;
	long nt;

	if (argc != 4 || (nt = atol(argv[1])) <= 0 || (_n = atol(argv[2])) <= 0) {
		fputs("usage: threadbench T N FILE\n", stderr);
		return 2;
	}
	_file = argv[3];
	t = calloc((size_t)nt, sizeof(*t));
	if (!t)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < nt; i++)
		if (pthread_create(&t[i], NULL, _worker, NULL) != 0) {
			fputs("threadbench: cannot start a thread\n", stderr);
			return 1;
		}
	for (long i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%ld threads x %ld opens in %.1f s\n", nt, _n,
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	free(t);
	return atomic_load(&_failed) ? 1 : 0;
}
