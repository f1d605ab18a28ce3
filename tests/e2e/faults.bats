#!/usr/bin/env bats
# faults.bats - the supervisor's own calls failing (strace -e inject): the jail's mounts, a live
# grant's move_mount, the path resolution's openat2, the reading of the child's memory
# (process_vm_readv); and the database locked by another writer. Each failure must end in a clear
# denial or error, never in an allow.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	outside_tmp faults-e2e
	mkfile "$W/secret.txt" SECRET-DATA
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work" "$W"
	mkprofile "$T/p.profile" "exec /usr" "read /usr"
	return 0
}
teardown() {
	[ -n "${BG:-}" ] && kill -9 "$BG" 2>/dev/null
	[ -n "${W:-}" ] && rm -rf "$W"
	teardown_common
}

# faulty SYSCALL INJECT ARGS... - run supervise ARGS under strace, the calls SYSCALL of its main
# thread (which decides every trapped call, under both backends) failing as INJECT says
# ("error=EPERM:when=3").
faulty() {
	local sc=$1 inj=$2
	shift 2
	# (LeakSanitizer cannot run under ptrace: a SAN build would fail at its exit)
	"${RUNAS[@]}" env HOME="$T/home" PATH="$PATH" ASAN_OPTIONS=detect_leaks=0 \
		strace -qq -o /dev/null -e trace="$sc" \
		-e inject="$sc:$inj" "$SV" --db "$DB" ${SUPERVISE_BACKEND:+--backend "$SUPERVISE_BACKEND"} "$@"
}

# faulty_tree SYSCALL INJECT ARGS... - the same in every process supervise forks (strace -f): the
# jail's and the grant helper's calls. Under the notify backend only: strace then traces the
# command too, which the ptrace backend could not (the fault is not the backend's).
faulty_tree() {
	local sc=$1 inj=$2
	shift 2
	"${RUNAS[@]}" env HOME="$T/home" PATH="$PATH" ASAN_OPTIONS=detect_leaks=0 \
		strace -f -qq -o /dev/null -e trace="$sc" \
		-e inject="$sc:$inj" "$SV" --db "$DB" --backend notify "$@"
}

@test "faults: a mount of the jail that fails stops the run before the command: 125, one line naming it" {
	for when in 1 3 6; do
		run faulty_tree mount "error=EPERM:when=$when" -q --enforce "$T/p.profile" sh -c "echo RAN"
		echo "when=$when: $output"
		[ "$status" -eq 125 ]
		[[ "$output" == "supervise: jail: "*": Operation not permitted"* ]]
		[[ "$output" != *RAN* ]]
	done
}

@test "faults: the supervisor's openat2 failing never lets a denied file be read (jail, no jail)" {
	for mode in "" "--no-jail"; do
		# shellcheck disable=SC2086
		run faulty openat2 "error=EIO" -q $mode --enforce "$T/p.profile" cat "$W/secret.txt"
		echo "${mode:-jail}: $output"
		[ "$status" -ne 0 ]
		[[ "$output" != *SECRET-DATA* ]]
	done
}

@test "faults: reading the child's memory failing is an error for the call, never an allow (jail, no jail)" {
	for mode in "" "--no-jail"; do
		# the first reads (the exec) go through: then every read of an argument fails
		# shellcheck disable=SC2086
		run faulty process_vm_readv "error=EFAULT:when=4+" -q $mode --enforce "$T/p.profile" \
			cat "$W/secret.txt"
		echo "${mode:-jail}: $output"
		[ "$status" -ne 0 ]
		[[ "$output" != *SECRET-DATA* ]]
		[[ "$output" == *"Bad address"* || "$output" == *"Permission denied"* || "$output" == *"No such file"* ]]
	done
}

@test "faults: a live grant whose move_mount fails is refused with the reason; the file stays unreadable" {
	faulty_tree move_mount error=EPERM -q --enforce "$T/p.profile" \
		sh -c "for i in \$(seq 30); do sleep 0.1; done; cat $W/secret.txt" >"$T/out" 2>&1 &
	BG=$!
	wait_for "select count(*) from runs where control is not null and ended_at is null" 1
	run sv grant "$(q "select max(id) from runs")" read "$W/secret.txt"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: cannot grant: mounting $W/secret.txt into the jail: Operation not permitted" ]]
	wait "$BG" || true
	BG=
	cat "$T/out"
	! grep -q SECRET-DATA "$T/out"
}

# lock_db SECONDS - hold the test database's write lock for SECONDS, in the background; returns
# once it is held.
lock_db() {
	"${RUNAS[@]}" python3 -c "
import sqlite3, sys, time
c = sqlite3.connect('$DB', isolation_level=None)
c.execute('BEGIN EXCLUSIVE')
print('locked', flush=True)
time.sleep($1)
c.execute('COMMIT')" >"$T/lock" &
	LOCKER=$!
	for _ in $(seq 100); do grep -q locked "$T/lock" 2>/dev/null && return 0; sleep 0.05; done
	return 1
}

@test "faults: the database locked by another writer: the run waits, then goes on (4 s) or fails closed (8 s)" {
	sv -q --enforce "$T/p.profile" true	# the database exists
	lock_db 4
	start=$(date +%s%N)
	run sv -q --enforce "$T/p.profile" sh -c "echo RAN"
	waited=$((($(date +%s%N) - start) / 1000000))
	echo "4 s: $status after $waited ms: $output"
	[ "$status" -eq 0 ]
	[ "$output" = RAN ]
	[ "$waited" -ge 2500 ]	# it waited for the lock
	wait "$LOCKER"
	[ "$(q "select count(*) from runs where command = 'sh -c ''echo RAN'''")" -eq 1 ]
	lock_db 8
	run sv -q --enforce "$T/p.profile" sh -c "echo RAN"
	echo "8 s: $status: $output"
	[ "$status" -eq 125 ]
	[[ "$output" != *RAN* ]]
	[[ "$output" == *"database is locked"* ]]
	wait "$LOCKER"
}
