/* netracer.c - e2e helper: connect() COUNT times to 127.0.0.1 while a second thread flips the
 * port in the very sockaddr being passed between ALLOWED and DENIED as fast as it can.
 * Usage: netracer ALLOWED DENIED COUNT. Prints "connected N flips F": N connects that succeeded
 * (a denied one fails with EACCES) and F flips made while connecting. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in addr;
static uint16_t ports[2];
static atomic_int done;
static unsigned long flips;

static void *flipper(void *arg)
{
	volatile uint16_t *p = &addr.sin_port;

	(void)arg;
	while (!atomic_load(&done)) {
		*p = ports[flips & 1];
		flips++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	long n, ok = 0;

	if (argc != 4)
		return 2;
	ports[0] = htons((uint16_t)atoi(argv[1]));
	ports[1] = htons((uint16_t)atoi(argv[2]));
	n = atol(argv[3]);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = ports[0];
	pthread_create(&t, NULL, flipper, NULL);
	for (long i = 0; i < n; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);

		if (s < 0)
			return 1;
		if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) == 0)
			ok++;
		close(s);
	}
	atomic_store(&done, 1);
	pthread_join(t, NULL);
	printf("connected %ld flips %lu\n", ok, flips);
	return 0;
}
