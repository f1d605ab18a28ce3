#!/usr/bin/env bats
# control.bats - live control of a running run: supervise grant and revoke from another process,
# through the control socket and its gate (core/control.h, core/gate.h).

load helpers
bats_require_minimum_version 1.5.0

# The files granted live outside /tmp (the jail's /tmp is its own tmpfs: a path below it cannot be
# mounted into the view, see the test for that), in the build directory, which the test user can
# traverse.
setup() {
	setup_common
	outside_tmp control-e2e
	mkdir -p "$W/dir/sub"
	mkfile "$W/data.txt" SECRET-DATA
	mkfile "$W/dir/sub/deep.txt" DEEP-DATA
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work" "$W"
	mkprofile "$T/p.profile"
	return 0
}
teardown() {
	[ -n "${BG:-}" ] && kill -9 "$BG" 2>/dev/null
	[ -n "${W:-}" ] && rm -rf "$W"
	teardown_common
}

# poll_file FILE - a shell loop for the jailed program: print "got: CONTENT" once FILE is
# readable, then wait until it is not, print "gone", and end (15 s at most each).
poll_file() {
	echo "for i in \$(seq 150); do c=\$(cat $1 2>/dev/null) && break; sleep 0.1; done; echo got: \$c;" \
	     "for i in \$(seq 150); do cat $1 >/dev/null 2>&1 || break; sleep 0.1; done; echo gone"
}

# start ARGS... - start a supervised run in the background; its output goes to $T/out; waits
# until its control socket is recorded. RUN is its id.
start() {
	sv_exec -q "$@" >"$T/out" 2>&1 &
	BG=$!
	wait_for "select count(*) from runs where control is not null and ended_at is null" 1
	RUN=$(q "select max(id) from runs")
}

@test "grant makes a file the program polls for readable within 1 s; revoke makes it unreadable again" {
	start --enforce "$T/p.profile" sh -c "$(poll_file "$W/data.txt")"
	sleep 0.3
	[ "$(cat "$T/out")" = "" ]	# not readable before
	run sv grant "$RUN" read "$W/data.txt"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "granted read $W/data.txt to run $RUN (mounted into the jail)" ]]
	for _ in $(seq 10); do grep -q got: "$T/out" && break; sleep 0.1; done
	grep -q "got: SECRET-DATA" "$T/out"
	run sv revoke "$RUN" "$W/data.txt"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "revoked $W/data.txt in run $RUN" ]]
	wait "$BG"
	BG=
	cat "$T/out"
	grep -q "^gone" "$T/out"
	[ "$(q "select decision || ' ' || syscall || ' ' || object from events where run_id = $RUN and decision in ('grant', 'revoke') order by id")" = \
	  "grant supervise grant $W/data.txt
revoke supervise revoke $W/data.txt" ]
	[[ "$(q "select rule from events where run_id = $RUN and decision = 'grant'")" == "grant read $W/data.txt (supervise grant, uid "* ]]
}

@test "grant of a path in a directory the view lacks makes its mount point; write is writable on the host" {
	start --enforce "$T/p.profile" sh -c "for i in \$(seq 150); do echo new >$W/dir/sub/out.txt 2>/dev/null && break; sleep 0.1; done; cat $W/dir/sub/deep.txt; cat $W/data.txt || echo neighbour-hidden"
	run sv grant "$RUN" write "$W/dir/sub"
	echo "$output"
	[ "$status" -eq 0 ]
	wait "$BG"
	BG=
	cat "$T/out"
	grep -q DEEP-DATA "$T/out"
	[ "$(cat "$W/dir/sub/out.txt")" = new ]
	grep -q neighbour-hidden "$T/out"	# only the granted tree came in: its neighbours stay out
	! grep -q SECRET-DATA "$T/out"
}

@test "the same under --no-jail: a rule only, and the answer says so" {
	start --no-jail --enforce "$T/p.profile" sh -c "$(poll_file "$W/data.txt")"
	run sv grant "$RUN" read "$W/data.txt"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"(no jail: supervise's check is all there is)" ]]
	for _ in $(seq 20); do grep -q got: "$T/out" && break; sleep 0.1; done
	grep -q "got: SECRET-DATA" "$T/out"
	run sv revoke "$RUN" "$W/data.txt"
	[ "$status" -eq 0 ]
	wait "$BG"
	BG=
	grep -q "^gone" "$T/out"
}

@test "revoke says which files stay open under the path, and they do; new opens fail" {
	start --enforce "$T/p.profile" sh -c "for i in \$(seq 150); do [ -r $W/data.txt ] && break; sleep 0.1; done; exec 3<$W/data.txt; sleep 1; cat <&3; cat $W/data.txt || echo reopen-failed"
	run sv grant "$RUN" read "$W/data.txt"
	[ "$status" -eq 0 ]
	sleep 0.5
	run sv revoke "$RUN" "$W/data.txt"
	echo "$output"
	[ "$status" -eq 0 ]
	# the shell's fd 3, and its copy in the sleep it forked
	[[ "$output" =~ "revoked $W/data.txt in run $RUN; "[0-9]+" open files under it stay open until closed: pid "[0-9]+" fd 3" ]]
	wait "$BG"
	BG=
	cat "$T/out"
	grep -q SECRET-DATA "$T/out"	# the open fd still reads
	grep -q reopen-failed "$T/out"
}

@test "bad requests: one line and 125 each, and the run goes on" {
	start --enforce "$T/p.profile" sleep 10
	run sv grant "$RUN" read "$W/missing"
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: $W/missing: No such file or directory" ]]
	run sv grant "$RUN" delete "$W/data.txt"
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: grant: 'delete' is not read, write or exec" ]]
	run sv revoke "$RUN" "$W/data.txt"
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: $W/data.txt is not a grant of run $RUN" ]]
	run sv grant 999 read "$W/data.txt"
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: run 999 does not exist in $DB" ]]
	run sv grant x read "$W/data.txt"
	[ "$status" -eq 125 ]
	run sv grant "$RUN" read
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: usage: supervise grant RUN read|write|exec PATH" ]]
	# the jail's /tmp is its own: a host path below it cannot come in, and the answer says why
	run sv grant "$RUN" read "$T/p.profile"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: cannot grant: /tmp is a mount of its own in the jail (the jail's /tmp,"* ]]
	alive "$BG"
	kill "$BG"
	wait "$BG" || true
	BG=
	run sv grant "$RUN" read "$W/data.txt"
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: run $RUN has ended" ]]
}

@test "a learn run refuses grants: it allows everything" {
	start --learn -p ctl sleep 10
	run sv grant "$RUN" read "$W/data.txt"
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: run $RUN learns: everything is allowed, nothing to grant" ]]
}

@test "the jail cannot see or reach the control socket, even with its directory's parent in the profile" {
	local sock dir
	start --enforce "$T/p.profile" sleep 10
	sock=$(q "select control from runs where id = $RUN")
	dir=${sock%/*}
	[ -S "$sock" ]
	[ "$(stat -c %a "$dir")" = 700 ]
	mkprofile "$T/q.profile" "read ${dir%/*}" "exec /usr" "read /usr"
	run sv --enforce "$T/q.profile" python3 -c "
import os, socket
try:
    print('listing', os.listdir('$dir'))
except OSError as e:
    print('list-failed', e.errno)
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
try:
    s.connect('$sock')
    print('connected')
except OSError as e:
    print('connect-failed', e.errno)
"
	echo "$output"
	[[ "$output" != *connected* ]]
	[[ "$output" == *connect-failed* ]]
	[[ "$output" != *"$RUN"* || "$output" != *.sock* ]]
	[[ "$output" != *"listing ["*".sock"* ]]
}

@test "without the jail, the run's own program reaches its socket but is refused, and logged" {
	mkprofile "$T/n.profile" "exec /usr" "read /usr" "read /run" "read /tmp" "read /proc"
	run sv -q --no-jail --enforce "$T/n.profile" python3 -c "
import glob, os, socket
def ppid(pid):
    return int(open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()[1])
mine = {ppid(os.getpid()), ppid(ppid(os.getpid()))}	# the supervisor, or the keeper below it
for path in glob.glob('/run/supervise/*.sock') + glob.glob('/tmp/supervise-%d/*.sock' % os.getuid()):
    if int(os.path.basename(path).split('.')[0]) not in mine:
        continue	# another run's (the machine may run others)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        s.connect(path)
        s.send(b'grant read $W/data.txt')
        print('answer', s.recv(4096).decode())
    except OSError as e:
        print('error', e)
try:
    print(open('$W/data.txt').read())
except OSError as e:
    print('read-failed', e.errno)
"
	echo "$output"
	[[ "$output" == *"answer error refused: the caller (pid "*") is a process of the run itself"* ]]
	[[ "$output" != *"answer ok"* ]]
	[[ "$output" == *read-failed* ]]
	[[ "$output" != *SECRET-DATA* ]]
	[ "$(q "select count(*) from denials where syscall = 'control' and rule like '%a process of the run itself'")" -ge 1 ]
}

@test "the socket is gone when the run ends" {
	local sock
	start --enforce "$T/p.profile" sleep 1
	sock=$(q "select control from runs where id = $RUN")
	[ -S "$sock" ]
	wait "$BG"
	BG=
	[ ! -e "$sock" ]
}

@test "a caller in another user namespace is refused and logged; the run goes on serving" {
	start --enforce "$T/p.profile" sleep 10
	run as_user unshare -U "$SV" --db "$DB" grant "$RUN" read "$W/data.txt"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: refused: the caller (pid "*") is in another user namespace (a jail or a container)" ]]
	wait_for "select count(*) from denials where run_id = $RUN and syscall = 'control'" 1
	run sv grant "$RUN" read "$W/data.txt"
	[ "$status" -eq 0 ]
}

@test "another unprivileged user cannot reach the socket; root can" {
	local other=(setpriv --reuid=12345 --regid=12345 --clear-groups --)
	start --enforce "$T/p.profile" sleep 10
	chmod 755 "$T/home"
	[ -e "$DB" ] && chmod o+r "$DB" "$DB"-* 2>/dev/null || true
	run "${other[@]}" env HOME=/nonexistent "$SV" --db "$DB" grant "$RUN" read "$W/data.txt"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"Permission denied"* ]]
	if [ "$(id -u)" = 0 ]; then
		run "$SV" --db "$DB" grant "$RUN" read "$W/data.txt"
		echo "$output"
		[ "$status" -eq 0 ]
	fi
}

@test "random bytes, oversized and empty messages get an error each; the supervisor goes on serving" {
	local sock
	start --enforce "$T/p.profile" sleep 15
	sock=$(q "select control from runs where id = $RUN")
	run as_user python3 - "$sock" <<'PY'
import os, random, socket, sys
random.seed(7)
path = sys.argv[1]
answers = []
def ask(payload):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(10)
    s.connect(path)
    if payload is not None:
        s.send(payload)
    try:
        a = s.recv(70000)
    except socket.timeout:
        a = b'timeout'
    s.close()
    return a
for i in range(60):
    n = random.choice([1, 5, 40, 300, 4000])
    answers.append(ask(bytes(random.getrandbits(8) for _ in range(n))))
answers.append(ask(b'x' * 65000))
answers.append(ask(b'grant read ' + b'/a' * 3000))
answers.append(ask(b'grant read relative'))
answers.append(ask(b'ping\n'))
answers.append(ask(None))	# connects, sends nothing: the gate's timeout
bad = [a for a in answers if not a.startswith(b'error ')]
print(len(answers), 'answers,', len(bad), 'not errors:', bad[:3])
print(ask(b'ping').decode())
PY
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "65 answers, 0 not errors: []" ]]
	[[ "${lines[1]}" == "ok run $RUN, supervisor pid $BG, enforce" ]]
	alive "$BG"
	[ "$(q "select count(*) from denials where run_id = $RUN and syscall = 'control'")" -ge 60 ]
}

@test "ps counts live grants" {
	start --enforce "$T/p.profile" sleep 10
	sv grant "$RUN" read "$W/data.txt"
	wait_for "select count(*) from events where run_id = $RUN and decision = 'grant'" 1
	run sv ps
	echo "$output"
	[[ "${lines[1]}" =~ ^$RUN\ +$BG\ +$T/p.profile\ +enforce\ +[0-9]+s\ +1\ +0\ +sleep ]]
}
