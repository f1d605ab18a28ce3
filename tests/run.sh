#!/bin/bash
# run.sh - run every test tier, count TAP results, print "N passed, N failed" last.
# SUPERVISE_MUST_WORK=1 (set by CI) turns every skip into a failure, except "backend-only" ones:
# a test that one backend cannot pass says why, and is reported in their own count.
# The end-to-end tier runs twice: as root (when we are root) and as an unprivileged user.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
pass=0 fail=0 skip=0 bonly=0
log=$(mktemp); trap 'rm -f "$log"' EXIT

tally() { # tally NAME: read TAP on stdin, echo it, and count it
	local name=$1 line
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case "$line" in
		"not ok"*) fail=$((fail + 1)) ;;
		"ok "*"# skip backend-only:"*)	# a property one backend cannot give, said why
			bonly=$((bonly + 1))
			echo "$name: ${line}" >>"$log" ;;
		"ok "*"# skip"* | "ok "*"# SKIP"*)
			skip=$((skip + 1))
			echo "$name: ${line}" >>"$log" ;;
		"ok "*) pass=$((pass + 1)) ;;
		esac
	done
}

run_tier() { # run_tier NAME CMD...: run a TAP producer; a crash without output counts as a failure
	local name=$1; shift
	echo "# tier: $name"
	local out rc
	out=$(mktemp)
	"$@" >"$out" 2>&1; rc=$?
	tally "$name" <"$out"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out"; then
		echo "not ok - $name exited with status $rc"
		fail=$((fail + 1))
	fi
	rm -f "$out"
}

export CMOCKA_MESSAGE_OUTPUT=TAP
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	run_tier "$(basename "$t")" "$t"
done

# run_as_nobody CMD...: run a copy of CMD as uid/gid 65534 from a directory it can reach.
run_as_nobody() {
	local d rc
	d=$(mktemp -d /tmp/supervise-k.XXXXXX)
	chmod 755 "$d"
	cp "$1" "$d/"
	shift_cmd="$d/$(basename "$1")"
	shift
	(cd "$d" && setpriv --reuid=65534 --regid=65534 --clear-groups -- "$shift_cmd" "$@")
	rc=$?
	rm -rf "$d"
	return $rc
}

for t in "$B"/ktests/test_*; do
	[ -x "$t" ] || continue
	if [ "$(id -u)" -eq 0 ]; then
		run_tier "$(basename "$t")(root)" "$t"
		run_tier "$(basename "$t")(unprivileged)" run_as_nobody "$t"
	else
		run_tier "$(basename "$t")(user)" "$t"
	fi
done

# the tree itself (tests/tree/run.sh): layers, doc/HACKING.md, sizes
run_tier "tree" tests/tree/run.sh

# libsupervise (tests/lib/run.sh): linked against the installed library, as root and unprivileged
run_tier "lib" tests/lib/run.sh "$B"

export SUPERVISE_BIN=$PWD/$B/supervise
if [ "$(id -u)" -eq 0 ]; then
	run_tier "e2e(root)" env SUPERVISE_AS=root bats --tap tests/e2e
	run_tier "e2e(unprivileged)" env SUPERVISE_AS=nobody bats --tap tests/e2e
	# the same guarantees under the ptrace backend (backends.bats covers what is tracer-only)
	PT=(tests/e2e/core.bats tests/e2e/cli.bats tests/e2e/jail.bats tests/e2e/grant.bats tests/e2e/cache.bats tests/e2e/root.bats tests/e2e/live.bats
		tests/e2e/control.bats tests/e2e/landlock.bats tests/e2e/ask.bats tests/e2e/options.bats tests/e2e/faults.bats
		tests/e2e/replay.bats tests/e2e/args.bats tests/e2e/xdg.bats tests/e2e/net.bats tests/e2e/syscalls.bats tests/e2e/failclosed.bats tests/e2e/desktop.bats)
	run_tier "e2e-ptrace(root)" env SUPERVISE_AS=root SUPERVISE_BACKEND=ptrace bats --tap "${PT[@]}"
	run_tier "e2e-ptrace(unprivileged)" env SUPERVISE_AS=nobody SUPERVISE_BACKEND=ptrace bats --tap "${PT[@]}"
else
	run_tier "e2e(user)" env SUPERVISE_AS=self bats --tap tests/e2e
	echo "ok - e2e as root # skip not running as root"
	skip=$((skip + 1)); echo "e2e(root): not running as root" >>"$log"
fi

if [ -s "$log" ]; then
	echo "# skipped:"
	sed 's/^/#   /' "$log"
fi
if [ "${SUPERVISE_MUST_WORK:-0}" = 1 ] && [ $skip -gt 0 ]; then
	echo "# SUPERVISE_MUST_WORK=1: $skip skipped test(s) count as failures"
	fail=$((fail + skip))
fi
echo "$pass passed, $fail failed, $skip skipped, $bonly backend-only"
[ $fail -eq 0 ]
