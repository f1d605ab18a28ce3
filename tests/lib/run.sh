#!/bin/bash
# run.sh B - libsupervise's tier (TAP): the tests of tests/lib and examples/, built by the
# Makefile against the copy of the library `make install DESTDIR=B/destdir` made, run as root
# and as uid 65534 when started as root, else as the user (the root run reported as skipped).
set -u
cd "$(dirname "$0")/../.."
B=${1:-build}
n=0

say() { # say OK NAME [DIAG]: one TAP line
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - lib: $2"; else echo "not ok $n - lib: $2"; [ -n "${3:-}" ] && echo "# $3"; fi
}

if [ ! -x "$B/libtests/test_lib" ]; then
	echo "not ok - lib: the tests are not built ($B/libtests; make tests)"
	exit 1
fi
so=$(find "$B/destdir" -name libsupervise.so.0 | head -1)
ar=$(find "$B/destdir" -name libsupervise.a | head -1)
readelf -d "$so" | grep -q 'SONAME.*\[libsupervise.so.0\]'; say $? "installed shared library has SONAME libsupervise.so.0"
bad=$(nm -D --defined-only "$so" | awk '$3 !~ /^sv_/ && $3 != "LIBSUPERVISE_0" {print $3}')
[ -z "$bad" ]; say $? "the shared library exports only sv_* symbols" "also: $bad"
bad=$(nm -g --defined-only "$ar" | awk 'NF == 3 && $3 !~ /^sv_/ {print $3}')
[ -z "$bad" ]; say $? "the static library defines only sv_* globals" "also: $bad"
for h in supervise.h; do
	[ -f "$(dirname "$so")/../include/$h" ]; say $? "installed header $h"
done
[ -f "$(dirname "$so")/pkgconfig/libsupervise.pc" ]; say $? "installed libsupervise.pc"

# Built with ASan (make check SAN=1): a pledged process cannot run LeakSanitizer at its exit (it
# needs calls the pledge refuses), and the tests crash children on purpose, which ASan would turn
# into a report and an exit status instead of the signal the tests expect.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0:handle_segv=0:handle_abort=0"

# runs NAME-TAG DIR: the test programs of DIR (a copy of B's destdir and libtests)
runs() {
	local tag=$1 dir=$2
	shift 2
	"$@" env SV_TEST_TAG="$tag: " SV_TEST_SUPERVISE="$(find "$dir/destdir" -path '*bin/supervise')" \
		"$dir/libtests/test_lib"
	"$@" env SV_TEST_TAG="$tag static: " SV_TEST_SUPERVISE="$(find "$dir/destdir" -path '*bin/supervise')" \
		"$dir/libtests/test_lib_static"
	if [ -x "$dir/libtests/sv-extract" ]; then
		"$@" env SV_TEST_TAG="$tag: " bash "$dir/libtests/extract.sh" "$dir/libtests/sv-extract" ||
			echo "not ok - lib: $tag: tests/lib/extract.sh failed"
	fi
}

cp tests/lib/extract.sh "$B/libtests/"
if [ "$(id -u)" -eq 0 ]; then
	runs root "$PWD/$B"
	d=$(mktemp -d /tmp/supervise-lib.XXXXXX)
	cp -a "$B/destdir" "$B/libtests" "$d/"
	chmod -R a+rX "$d"
	(cd "$d" && runs unprivileged "$d" setpriv --reuid=65534 --regid=65534 --clear-groups --)
	rm -rf "$d"
else
	runs user "$PWD/$B"
	echo "ok - lib: the library's tests as root # skip not running as root"
fi
