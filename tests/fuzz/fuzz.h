/* fuzz.h - what the libFuzzer targets of tests/fuzz/ share: the entry point's prototype, a
 * failed-property abort, and splitting an input into NUL-separated fields. */
#ifndef SUPERVISE_FUZZ_H
#define SUPERVISE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FUZZ_CHECK - abort (a crash libFuzzer reports, with the input saved) when COND is false. */
#define FUZZ_CHECK(cond, ...)                                                             \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                   \
			fprintf(stderr, __VA_ARGS__);                                     \
			fputc('\n', stderr);                                              \
			abort();                                                          \
		}                                                                         \
	} while (0)

/* The fields of one input: a malloc'd copy of it with a NUL after every field. */
struct fuzz_fields {
	char *buf;
	char *f[8];
	size_t n;
};

/* fuzz_split - cut DATA (SIZE bytes) at its NUL bytes into at most MAX (<= 8) fields, the last
 * one taking the rest (its own NULs end it early, as for any C string). Free with
 * fuzz_fields_free. */
static inline void fuzz_split(const uint8_t *data, size_t size, size_t max,
			      struct fuzz_fields *ff)
{
	char *s, *end;

	ff->buf = malloc(size + 1);
	if (!ff->buf)
		abort();
	memcpy(ff->buf, data, size);
	ff->buf[size] = '\0';
	s = ff->buf;
	end = ff->buf + size;
	ff->n = 0;
	while (ff->n < max) {
		ff->f[ff->n++] = s;
		if (ff->n == max)
			break;
		s += strlen(s);
		if (s >= end)
			break;
		s++;
	}
}

/* fuzz_fields_free - release FF's copy. */
static inline void fuzz_fields_free(struct fuzz_fields *ff)
{
	free(ff->buf);
	ff->buf = NULL;
	ff->n = 0;
}

#endif
