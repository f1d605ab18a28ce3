/* racer.c - a TOCTOU attacker for jail.bats.
 *
 * usage: racer ALLOWED DENIED N MARKER
 * One thread flips a shared path buffer between ALLOWED and DENIED as fast as it can while the
 * main thread opens and reads the buffer's path N times. A read whose content holds MARKER (the
 * denied file's secret) is a win for the attacker. Prints one line:
 *   secret=W allowed=A failed=F
 * and exits 0 (1 on a usage error). ALLOWED and DENIED should have the same length, so that the
 * buffer always holds one of the two paths or a mix of them.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[4096];
static const char *paths[2];
static size_t len;
static atomic_int stop;

static void *flipper(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		memcpy(path, paths[1], len + 1);
		__asm__ volatile("" ::: "memory");
		memcpy(path, paths[0], len + 1);
		__asm__ volatile("" ::: "memory");
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long n, secret = 0, allowed = 0, failed = 0;
	char got[4096];
	pthread_t t;

	if (argc != 5 || strlen(argv[1]) != strlen(argv[2]) || strlen(argv[1]) >= sizeof(path)) {
		fprintf(stderr, "usage: racer ALLOWED DENIED N MARKER (paths of equal length)\n");
		return 1;
	}
	paths[0] = argv[1];
	paths[1] = argv[2];
	len = strlen(argv[1]);
	n = atol(argv[3]);
	memcpy(path, paths[0], len + 1);
	if (pthread_create(&t, NULL, flipper, NULL) != 0) {
		perror("pthread_create");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t r;

		if (fd < 0) {
			failed++;
			continue;
		}
		r = read(fd, got, sizeof(got) - 1);
		close(fd);
		got[r > 0 ? r : 0] = 0;
		if (strstr(got, argv[4]))
			secret++;
		else
			allowed++;
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	printf("secret=%ld allowed=%ld failed=%ld\n", secret, allowed, failed);
	return 0;
}
