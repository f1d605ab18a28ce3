#!/usr/bin/env bats
# failclosed.bats - what a run does when its database, its profile or its own end goes wrong:
# errors before the fork stop the run, a log that cannot be written stops the tree, signals
# reach the tree and a tree that ignores them is killed (issue 18).

load helpers
bats_require_minimum_version 1.5.0

setup() { setup_common; }
teardown() { teardown_common; }

# corrupt_db: overwrite pages 3-8 of $DB (4096-byte pages) with a fixed pattern, keeping the
# header page intact, so that the database opens and a read of the profiles fails.
corrupt_db() {
	q 'pragma wal_checkpoint(truncate)' >/dev/null
	[ "$(q 'pragma page_size')" -eq 4096 ]
	[ "$(q 'pragma page_count')" -ge 8 ]
	head -c $((6 * 4096)) /dev/zero | tr '\0' '\253' |
		dd of="$DB" bs=4096 seek=2 count=6 conv=notrunc status=none
}

@test "a database whose middle pages are corrupt stops enforce and learn before the fork" {
	mkprofile "$T/p.profile" "read $T/work"
	for i in 1 2 3 4 5 6; do
		sv -q --learn -p "p$i" cat /etc/hostname >/dev/null
	done
	corrupt_db
	for mode in "--enforce p1" "--learn -p p1"; do
		# shellcheck disable=SC2086
		run sv $mode sh -c "touch $T/work/ran"
		echo "$mode: $output"
		[ "$status" -eq 125 ]
		[ "${#lines[@]}" -eq 1 ]
		[[ "${lines[0]}" == "supervise: "*"$DB: "*"malformed"* ]]
		[ ! -e "$T/work/ran" ]
	done
}

@test "a profile path longer than PATH_MAX and an over-long line are errors naming file and line" {
	long=$(printf '/%0200d' $(seq 1 25) | tr 0 a)	# 25 components of 201 bytes
	mkprofile "$T/p.profile" "read $long"
	run sv --enforce "$T/p.profile" sh -c "touch $T/work/ran"
	[ "$status" -eq 125 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "${lines[0]}" = "supervise: $T/p.profile:3: path of 5025 bytes is longer than PATH_MAX (4095)" ]
	long=$(head -c 200000 /dev/zero | tr '\0' a)
	mkprofile "$T/q.profile" "read /$long"
	run sv --enforce "$T/q.profile" sh -c "touch $T/work/ran"
	[ "$status" -eq 125 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "${lines[0]}" = "supervise: $T/q.profile:3: line of 200006 bytes is longer than the limit (32768)" ]
	run sv profile import "$T/q.profile"
	[ "$status" -eq 125 ]
	[[ "$output" == *"q.profile:3: line of 200006 bytes"* ]]
	[ ! -e "$T/work/ran" ]
}

# wait_file FILE: wait up to 5 s for FILE to exist.
wait_file() {
	for _ in $(seq 50); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# The command ignores SIGTERM (and its child inherits that), so only the kill after the grace
# period ends it: status 137, one line saying so, the run's row says 137 too, and the child that
# ignored the signal as well is gone.
term_ignored() {
	local mode=$1 sv_pid st
	shift
	# shellcheck disable=SC2086
	sv_exec $mode "$@" sh -c "trap '' TERM; sleep 30 & echo \$! > $T/work/pid; wait; touch $T/work/end" \
		2>"$T/err" &
	sv_pid=$!
	wait_file "$T/work/pid"
	sleep 0.3
	SECONDS=0
	kill -TERM "$sv_pid"
	wait "$sv_pid" && st=0 || st=$?
	cat "$T/err"
	[ "$st" -eq 137 ]
	[ "$SECONDS" -ge 1 ] && [ "$SECONDS" -le 4 ]
	[ "$(grep -c 'still running 1.5 s after the signal: killed (SIGKILL)' "$T/err")" -eq 1 ]
	[ "$(q "select exit_status from runs order by id desc limit 1")" = 137 ]
	! alive "$(cat "$T/work/pid")"
	[ ! -e "$T/work/end" ]
}

@test "SIGTERM ignored by the tree: killed after --kill-after, status 137 (learn)" {
	term_ignored "--learn -p ign --kill-after 1.5"
}

@test "SIGTERM ignored by the tree: killed after --kill-after, status 137 (enforce, jail)" {
	mkprofile "$T/p.profile" "exec /bin" "write $T/work"
	term_ignored "--enforce $T/p.profile --kill-after 1.5"
}

@test "SIGTERM ignored by the tree: killed after --kill-after, status 137 (enforce, no jail)" {
	mkprofile "$T/p.profile" "exec /bin" "write $T/work"
	term_ignored "--no-jail --enforce $T/p.profile --kill-after 1.5"
}

@test "SIGINT sent to supervise (not by the terminal) reaches the command, which exits 130" {
	# SIGINT's default action back: a job started with & in a script inherits it ignored
	sv_exec --learn -p int python3 -c "import os, signal, time
signal.signal(signal.SIGINT, signal.SIG_DFL)
open('$T/work/pid', 'w').write(str(os.getpid()))
time.sleep(30)" &
	sv_pid=$!
	wait_file "$T/work/pid"
	sleep 0.3
	kill -INT "$sv_pid"
	wait "$sv_pid" && st=0 || st=$?
	[ "$st" -eq 130 ]
	! alive "$(cat "$T/work/pid")"
}

@test "--kill-after takes seconds; a bad value is one line and 125" {
	run sv --kill-after x --learn true
	[ "$status" -eq 125 ]
	[ "${lines[0]}" = "supervise: --kill-after takes seconds from 0 to 86400, not 'x'" ]
	run sv --kill-after -1 --learn true
	[ "$status" -eq 125 ]
	run sv --help
	[[ "$output" == *"--kill-after SECONDS"* ]]
}

# small_fs [SIZE]: a tmpfs of SIZE (200k) at $T/small that the test user can write, with the
# database on it ($DB). As root a mount of its own; otherwise in a user and mount namespace of
# the test's own (unshare -Urm, held by a sleeping process), which every command of the test user
# (sv, sv_exec, q, and what the test runs through RUNAS) then enters.
small_fs() {
	mkdir -p "$T/small"
	if [ "$(id -u)" -ne 0 ]; then
		unshare -Urm sleep 600 &
		NS_PID=$!
		for _ in $(seq 50); do
			[ "$(readlink "/proc/$NS_PID/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] && break
			sleep 0.1
		done
		RUNAS=(nsenter -t "$NS_PID" -U -m --preserve-credentials --)
		"${RUNAS[@]}" mount -t tmpfs -o "size=${1:-200k},mode=0777" tmpfs "$T/small"
	else
		mount -t tmpfs -o "size=${1:-200k},mode=0777" tmpfs "$T/small"
		SMALL=$T/small
	fi
	DB=$T/small/db.sqlite
	sv -q --learn -p warm true	# the database exists before the run that fills it
}

teardown() {
	[ -n "${sv_pid:-}" ] && kill -KILL "$sv_pid" 2>/dev/null && wait "$sv_pid"
	[ -n "${SMALL:-}" ] && umount -l "$SMALL"
	[ -n "${NS_PID:-}" ] && kill "$NS_PID"	# its tmpfs goes with its namespace
	teardown_common
}

# A loop of distinct opens (--log all: a row each) fills the database's file system long
# before its end.
FILL='i=0; while [ $i -lt 100000 ]; do : < /etc/hostname; i=$((i+1)); done; touch '

@test "disk full mid-run (learn): the tree is killed, 125, one line, the profile goes elsewhere" {
	small_fs
	run sv --log all --learn -p full sh -c "$FILL $T/work/end"
	echo "$output"
	[ "$status" -eq 125 ]
	[ ! -e "$T/work/end" ]
	[ "$(grep -c '^supervise: event log' <<<"$output")" -eq 1 ]
	[[ "$output" == *"supervise: event log: $DB: database or disk is full: "*" events kept, "*" lost; the command was killed"* ]]
	# the fallback file beside the database is on the same full file system: stderr
	[[ "$output" == *"profile 'full' not stored (the event log could not be written), nor written to $DB.full.profile"* ]]
	[[ "$output" == *"exec /usr/bin/dash"*"# end of profile full"* ]]
	[ ! -e "$DB.full.profile" ]
	# recorded where the database still takes it: the WAL may hold new pages that a full
	# file system cannot take back into the database file (then no status, never another one)
	[[ "$(q "select exit_status from runs order by id desc limit 1")" =~ ^(125|)$ ]]
}

@test "disk full mid-run (enforce): the tree is held for 5 s, then killed, 125, one line" {
	small_fs
	mkprofile "$T/p.profile" "exec /bin" "write $T/work" "read /etc/hostname"
	SECONDS=0
	run sv --log all --enforce "$T/p.profile" sh -c "$FILL $T/work/end"
	echo "$output"
	[ "$status" -eq 125 ]
	[ "$SECONDS" -ge 5 ]
	[ ! -e "$T/work/end" ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "supervise: event log: $DB: database or disk is full: "*" events kept, "*" lost; the command was held, then killed" ]]
	# recorded where the database still takes it: the WAL may hold new pages that a full
	# file system cannot take back into the database file (then no status, never another one)
	[[ "$(q "select exit_status from runs order by id desc limit 1")" =~ ^(125|)$ ]]
}

# _stopped: the pid of the held test's command when it is stopped, else fail.
_stopped() {
	local pid st
	for pid in $(pgrep -f "echo $T/held"); do
		st=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || continue
		if [ "$st" = T ] || [ "$st" = t ]; then
			echo "$pid"
			return 0
		fi
	done
	return 1
}

@test "disk full mid-run (enforce): the tree is held stopped, and goes on when a retry succeeds" {
	small_fs 4m
	mkprofile "$T/p.profile" "exec /bin" "write $T/work" "read /etc/hostname"
	# leave the run room for its start, not for its events
	free=$("${RUNAS[@]}" df -k --output=avail "$T/small" | tail -1)
	"${RUNAS[@]}" dd if=/dev/zero of="$T/small/pad" bs=1k count=$((free - 24)) status=none
	# a pause after the opens: the tree is still there when the writer fails, however late
	sv_exec --log all --enforce "$T/p.profile" \
		sh -c "${FILL/100000/5000} $T/work/mid; sleep 2; touch $T/work/end; echo $T/held >/dev/null" &
	sv_pid=$!
	# held: stopped at two looks 0.5 s apart (a retry may succeed at once, then it goes on)
	held=
	for _ in $(seq 50); do
		held=$(_stopped) && sleep 0.5 && [ "$(_stopped)" = "$held" ] && break
		held=
		sleep 0.1
	done
	[ -n "$held" ]
	[ ! -e "$T/work/end" ]
	"${RUNAS[@]}" rm "$T/small/pad"
	wait "$sv_pid" && st=0 || st=$?
	[ "$st" -eq 0 ]
	[ -e "$T/work/end" ]
	[ "$(q "select count(*) from events where object = '/etc/hostname'")" -ge 5000 ]
}

# killed_quietly MODE...: SIGKILL supervise while a grandchild of the command traps calls in a
# loop: nothing of the tree writes to the terminal (the calls would fail with ENOSYS with the
# listener gone), and no process of it is left.
killed_quietly() {
	local sv_pid
	# shellcheck disable=SC2086
	sv_exec "$@" sh -c "echo \$\$ > $T/work/pid; sh -c 'echo \$\$ > $T/work/pid2; while :; do ls / >/dev/null; cat /etc/hostname >/dev/null; done'" \
		>"$T/out" 2>"$T/err" &
	sv_pid=$!
	wait_file "$T/work/pid2"
	sleep 0.3
	kill -KILL "$sv_pid"
	wait "$sv_pid" || true
	sleep 0.5
	cat "$T/out" "$T/err"
	[ ! -s "$T/err" ]
	[ ! -s "$T/out" ]
	! alive "$(cat "$T/work/pid")"
	! alive "$(cat "$T/work/pid2")"
}

@test "supervise killed during learn: no noise on the terminal from the dying tree, none of it left" {
	killed_quietly --learn -p noisy
}

@test "supervise killed during audit and enforce without the jail: no noise, nothing left" {
	mkprofile "$T/p.profile" "exec /bin" "write $T/work" "read /"
	killed_quietly --audit "$T/p.profile"
	rm -f "$T/work/pid" "$T/work/pid2"
	killed_quietly --no-jail --enforce "$T/p.profile"
}

# on_tty ARGS...: run supervise with ARGS on a new terminal, type Ctrl-C once the command has
# printed "ready", and print what the terminal showed and "status N".
on_tty() {
	python3 - "${RUNAS[@]}" env HOME="$T/home" PATH="$PATH" "$SV" --db "$DB" \
		${SUPERVISE_BACKEND:+--backend "$SUPERVISE_BACKEND"} "$@" <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    if b"ready" in data and b"ready" not in out:
        os.write(fd, b"\x03")
    out += data
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
print("status", os.waitstatus_to_exitcode(st))
PY
}

# COUNT_INT: counts the SIGINTs it gets for 1.5 s after it says "ready", then prints the count.
COUNT_INT='import signal, time
n = [0]
signal.signal(signal.SIGINT, lambda *a: n.__setitem__(0, n[0] + 1))
print("ready", flush=True)
end = time.time() + 1.5
while time.time() < end:
    time.sleep(0.05)
print("got", n[0])'

@test "Ctrl-C on the terminal reaches the command and starts no grace period (learn, jail, no jail)" {
	mkprofile "$T/p.profile" "exec /usr" "read /usr" "read /etc"
	for mode in "--learn -p tty" "--enforce $T/p.profile" "--no-jail --enforce $T/p.profile"; do
		# shellcheck disable=SC2086
		run on_tty -q --kill-after 0.5 $mode python3 -c "$COUNT_INT"
		echo "$mode: $output"
		[[ "$output" == *"got 1"* ]]
		[[ "$output" == *"status 0"* ]]
	done
}
