#!/bin/bash
# run.sh - the unit and kernel tiers under memcheck (make valgrind; doc/HACKING.md, Tests).
# Needs the patched valgrind of tools/valgrind/build.sh (Debian 12's 3.19 lacks seccomp(2),
# pidfd_open, openat2, pidfd_getfd and the seccomp notify ioctls). The unit tier runs as root
# (or the caller); the kernel tier as root and again as nobody from a world-readable copy, as
# tests/run.sh does. Every process valgrind runs of one binary writes to one log on fd 3
# (--log-fd=3, opened by us and inherited, so that no process under a seccomp filter or a
# tracer has to open a log file itself: that open would be the supervisor's to decide, and is
# denied); a run is clean only when the tests pass AND the log is empty (-q: anything in it is
# an error, a definite leak or a valgrind warning such as an unhandled syscall). Prints TAP,
# then "N passed, N failed" last; exits non-zero on any failure.
#
# Children: --trace-children=no. A forked child stays under valgrind (the kernel tier's
# per-test children, the notify targets that install the filter, the tracees), so it is checked
# too and its leaks are reported at its _exit; a program a child execs (/usr/bin/true, the
# backtrace test's fresh image) runs natively.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${B:-build}
VG=${VALGRIND:-/opt/valgrind-sv/bin/valgrind}
SUPP=$PWD/tools/valgrind/supervise.supp
pass=0 fail=0

if [ ! -x "$VG" ]; then
	echo "not ok - no patched valgrind at $VG: run tools/valgrind/build.sh first"
	echo "0 passed, 1 failed"
	exit 1
fi

# vg_run NAME CMD...: run CMD (which runs valgrind with vgflags) with the valgrind log on fd 3;
# print the TAP, then one line for the run: the tests' counts and the processes that reported.
vg_run() {
	local name=$1 out log rc t_ok t_fail procs
	shift
	out=$(mktemp) log=$(mktemp)
	"$@" >"$out" 2>&1 3>>"$log"; rc=$?
	sed 's/^/    /' "$out"
	t_ok=$(grep -c '^ok ' "$out")
	t_fail=$(grep -c '^not ok' "$out")
	procs=$(grep -o '^==[0-9]*==' "$log" | sort -u | wc -l)
	if [ -s "$log" ]; then
		echo "# valgrind log:"
		sed 's/^/#   /' "$log"
	fi
	if [ $rc -eq 0 ] && [ "$t_fail" -eq 0 ] && [ ! -s "$log" ] && [ "$t_ok" -gt 0 ]; then
		echo "ok - $name: $t_ok tests pass, valgrind clean"
		pass=$((pass + 1))
	else
		echo "not ok - $name: exit $rc, $t_ok ok, $t_fail not ok, valgrind reports from $procs process(es)"
		fail=$((fail + 1))
	fi
	rm -f "$out" "$log"
}

# vgflags SUPP: the memcheck options (99 is valgrind's "found errors" exit status)
vgflags() {
	echo "-q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
	     "--show-leak-kinds=definite --trace-children=no --child-silent-after-fork=no" \
	     "--num-callers=30 --suppressions=$1 --log-fd=3"
}

export CMOCKA_MESSAGE_OUTPUT=TAP
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	# shellcheck disable=SC2046
	vg_run "$(basename "$t")" "$VG" $(vgflags "$SUPP") "$t"
done

# as_nobody BIN: run a copy of BIN under valgrind as uid/gid 65534 from a directory it can
# reach, with the suppressions there too (the log stays our fd 3).
as_nobody() {
	local d=$1 bin=$2
	# shellcheck disable=SC2046
	(cd "$d" && setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		"$VG" $(vgflags "$d/supervise.supp") "$d/$(basename "$bin")")
}

for t in "$B"/ktests/test_*; do
	[ -x "$t" ] || continue
	if [ "$(id -u)" -ne 0 ]; then
		# shellcheck disable=SC2046
		vg_run "$(basename "$t")(user)" "$VG" $(vgflags "$SUPP") "$t"
		continue
	fi
	# shellcheck disable=SC2046
	vg_run "$(basename "$t")(root)" "$VG" $(vgflags "$SUPP") "$t"
	d=$(mktemp -d /tmp/supervise-vgk.XXXXXX)
	chmod 755 "$d"
	cp "$t" "$SUPP" "$d/"
	chmod 644 "$d/supervise.supp"
	vg_run "$(basename "$t")(unprivileged)" as_nobody "$d" "$t"
	rm -rf "$d"
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
