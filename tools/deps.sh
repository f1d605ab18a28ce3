#!/bin/sh
# deps.sh - install the Debian packages supervise needs to build and test.
# As root, missing packages are installed with apt-get; otherwise the exact command is printed.
set -eu
PKGS="build-essential pkg-config libseccomp-dev libsqlite3-dev sqlite3 libcmocka-dev bats \
python3 util-linux strace clang libclang-rt-14-dev libunwind-dev git hostname perl procps graphviz \
xvfb xserver-xephyr x11-utils x11-apps xauth imagemagick xterm feh"
missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "supervise: missing packages:$missing" >&2
	echo "supervise: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "supervise: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null
