#!/bin/bash
# build.sh - build Debian 12's valgrind with tools/valgrind/seccomp-wrappers.patch into
# /opt/valgrind-sv, for `make valgrind` (tools/valgrind/run.sh; doc/HACKING.md, Tests).
# As root on Debian 12: adds a deb-src line for bookworm main when there is none, apt-get
# build-dep/source valgrind, applies the patch, autogen + configure (amd64 only) + make -j2 +
# make install. About 3 minutes on 2 cores, plus the downloads. Idempotent: does nothing when
# $PREFIX/bin/valgrind exists and its stamp holds the patch's sha256 (rebuilds when the patch
# changes). PREFIX and VG_WORK (the build directory, outside the repository) may be set.
set -eu
cd "$(dirname "$0")"
PREFIX=${PREFIX:-/opt/valgrind-sv}
WORK=${VG_WORK:-/var/tmp/valgrind-sv}
PATCH=$PWD/seccomp-wrappers.patch
STAMP=$PREFIX/.supervise-patch.sha256
sum=$(sha256sum "$PATCH" | cut -d' ' -f1)

if [ -x "$PREFIX/bin/valgrind" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$sum" ]; then
	echo "build.sh: $PREFIX/bin/valgrind is up to date (patch $sum)"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "build.sh: run as root (apt-get build-dep, install into $PREFIX)" >&2
	exit 1
fi
t0=$(date +%s)

# the source archive: bookworm main, from the mirror the binary lines use
if ! grep -Eqs '^(deb-src[[:space:]].*bookworm[[:space:]].*main|Types:.*deb-src)' \
	/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; then
	mirror=$(sed -n 's/^URIs:[[:space:]]*\(http[^ ]*\/debian\)\/*$/\1/p' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	[ -n "$mirror" ] || mirror=$(sed -n 's/^deb[[:space:]]\+\(http[^ ]*\/debian\)\/*[[:space:]]\+bookworm[[:space:]].*/\1/p' \
		/etc/apt/sources.list 2>/dev/null | head -n1)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	echo "deb-src $mirror bookworm main" >/etc/apt/sources.list.d/deb-src.list
	echo "build.sh: added /etc/apt/sources.list.d/deb-src.list ($mirror)"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get build-dep -y -q valgrind

rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"
apt-get source -q valgrind
cd valgrind-3.19.0	# the patch is for 3.19 (bookworm); a newer one has these wrappers already
patch -p1 <"$PATCH"
./autogen.sh >autogen.log 2>&1
./configure -q --prefix="$PREFIX" --enable-only64bit
make -j2 >make.log 2>&1 || { tail -n 40 make.log; exit 1; }
make install >install.log 2>&1
echo "$sum" >"$STAMP"
echo "build.sh: $PREFIX/bin/valgrind built and installed in $(( $(date +%s) - t0 ))s ($WORK)"
