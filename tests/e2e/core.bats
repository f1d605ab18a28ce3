#!/usr/bin/env bats
# core.bats - learn, log, enforce and audit end to end, with their negative properties.

load helpers
bats_require_minimum_version 1.5.0

setup() { setup_common; }
teardown() { teardown_common; }

@test "--version and --help answer and exit 0" {
	run sv --version
	[ "$status" -eq 0 ]
	[[ "$output" == "supervise "* ]]
	run sv --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--learn"* ]]
}

@test "a usage error is one line starting 'supervise: ' and exits 125" {
	run sv --bogus true
	[ "$status" -eq 125 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "supervise: unknown option '--bogus'"* ]]
}

@test "learn writes a profile named after the command and prints the next step" {
	mkfile "$T/work/in.txt" hello
	run sv --learn cat "$T/work/in.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *hello* ]]
	[[ "$output" == *"profile 'cat' written"* ]]
	[[ "$output" == *"next: supervise --enforce cat cat $T/work/in.txt"* ]]
	run sv profile list
	[[ "$output" == cat* ]]
	run sv profile show cat
	[[ "$output" == *$'\nread @arg\n'* ]]	# a file named on the command line (profile(5), ARGUMENTS)
	[ "$(q "select mode||' '||exit_status from runs")" = "learn 0" ]
}

@test "enforce replays what learn saw and denies what it did not, with EACCES, logged" {
	mkfile "$T/work/in.txt" hello
	mkfile "$T/work/secret.txt" topsecret
	# named in a command string, not as an argument (which "read @arg" would give)
	sv -q --learn -p reader sh -c "cat $T/work/in.txt"
	run sv --enforce reader sh -c "cat $T/work/in.txt"
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
	run sv --enforce reader sh -c "cat $T/work/secret.txt"
	[ "$status" -eq 1 ]
	[[ "$output" != *topsecret* ]]
	[[ "$output" == *"Permission denied"* ]]
	[[ "$output" == *"supervise: denied read $T/work/secret.txt (openat, pid "*"): no rule"* ]]
	run q "select object||'|'||decision||'|'||access||'|'||coalesce(rule,'NULL') from denials where object like '%secret%'"
	[ "$output" = "$T/work/secret.txt|deny|read|NULL" ]
	run sv log --last --denied --json
	[ "$status" -eq 0 ]
	echo "$output" | python3 -c 'import json,sys; ev=json.load(sys.stdin); assert any(e["object"].endswith("/secret.txt") and e["decision"]=="deny" for e in ev), ev'
}

@test "a deny rule beats an allow on its parent and is named in the denial" {
	mkfile "$T/work/a.txt" A
	mkfile "$T/work/secret.txt" S
	mkprofile "$T/p.profile" "read $T/work" "deny $T/work/secret.txt"
	run sv --enforce "$T/p.profile" cat "$T/work/a.txt"
	[ "$status" -eq 0 ]
	[ "$output" = A ]
	run sv --enforce "$T/p.profile" cat "$T/work/secret.txt"
	[ "$status" -eq 1 ]
	[[ "$output" == *"rule \"deny $T/work/secret.txt\""* ]]
	[ "$(q "select rule from denials where object='$T/work/secret.txt'")" = "deny $T/work/secret.txt" ]
}

@test "write access needs a write rule: read-only rules refuse creating files" {
	mkprofile "$T/ro.profile" "read $T/work"
	run sv --enforce "$T/ro.profile" sh -c "echo x > $T/work/new.txt"
	[ "$status" -ne 0 ]
	[ ! -e "$T/work/new.txt" ]
	[ "$(q "select access from denials where object='$T/work/new.txt'")" = create ]
	mkprofile "$T/rw.profile" "write $T/work"
	run sv --enforce "$T/rw.profile" sh -c "echo x > $T/work/new.txt"
	[ "$status" -eq 0 ]
	[ -e "$T/work/new.txt" ]
}

@test "a symlink inside an allowed tree cannot lead to a file outside it" {
	mkfile "$T/home/private.txt" PRIVATE-CONTENT
	ln -s "$T/home/private.txt" "$T/work/link"
	mkprofile "$T/p.profile" "read $T/work"
	run sv --enforce "$T/p.profile" cat "$T/work/link"
	[ "$status" -eq 1 ]
	[[ "$output" != *PRIVATE-CONTENT* ]]
	[ "$(q "select count(*) from denials where object='$T/home/private.txt'")" = 1 ]
}

@test "audit logs would-be denials with decision 'audit' and blocks nothing" {
	mkfile "$T/work/secret.txt" S
	printf 'read /usr\nread /lib\nread /etc\nexec /usr/bin\n' >"$T/p.profile"
	run sv --audit "$T/p.profile" cat "$T/work/secret.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *S* ]]
	[[ "$output" == *"audit: would deny read $T/work/secret.txt"* ]]
	[ "$(q "select count(*) from events where decision='audit' and object='$T/work/secret.txt'")" = 1 ]
	[ "$(q "select count(*) from denials")" = 0 ]
	[ "$(q "select mode from runs")" = audit ]
}

@test "exit status: the command's own, 128+signal, 127 not found, 126 not executable" {
	run sv --learn -p t sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run sv --learn -p t sh -c 'kill -9 $$'
	[ "$status" -eq 137 ]
	run -127 sv --learn -p t no-such-command-xyz
	[ "$status" -eq 127 ]
	[[ "$output" == "supervise: no-such-command-xyz: command not found" ]]
	mkfile "$T/work/noexec" '#!/bin/sh'
	chmod 644 "$T/work/noexec"
	run sv --learn -p t "$T/work/noexec"
	[ "$status" -eq 126 ]
}

@test "exec denied by the profile exits 126 and is logged as an exec denial" {
	printf 'read /\n' >"$T/p.profile"
	run sv --enforce "$T/p.profile" /bin/true
	[ "$status" -eq 126 ]
	[ "$(q "select access||' '||syscall from denials")" = "exec execve" ]
}

@test "a malformed profile is refused with FILE:LINE and status 125; the command never runs" {
	printf 'read /usr\n# fine\nfrobnicate /x\n' >"$T/bad.profile"
	run sv --enforce "$T/bad.profile" touch "$T/work/ran"
	[ "$status" -eq 125 ]
	[ "$output" = "supervise: $T/bad.profile:3: unknown directive 'frobnicate'" ]
	[ ! -e "$T/work/ran" ]
	printf 'read usr\n' >"$T/bad2.profile"
	run sv --enforce "$T/bad2.profile" true
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: $T/bad2.profile:1: "* ]]
	run sv --enforce no-such-profile true
	[ "$status" -eq 125 ]
	[[ "$output" == *"no profile named 'no-such-profile'"* ]]
}

@test "every descendant is supervised" {
	mkfile "$T/work/secret.txt" SECRET-CONTENT
	mkprofile "$T/p.profile" "exec /bin"
	run sv --log all --enforce "$T/p.profile" sh -c "sh -c 'cat $T/work/secret.txt'"
	[ "$status" -eq 1 ]
	[[ "$output" != *SECRET-CONTENT* ]]
	[ "$(q "select count(*) from denials where object='$T/work/secret.txt'")" = 1 ]
	run q "select count(distinct pid) from events where syscall='execve'"
	[ "$output" -ge 3 ]
}

@test "descendants do not outlive the command" {
	run sv --learn -p bg sh -c 'sleep 300 & echo $!'
	[ "$status" -eq 0 ]
	pid=${lines[0]}
	[[ "$pid" =~ ^[0-9]+$ ]]
	sleep 0.2
	! alive "$pid"
}

@test "relative paths are logged absolute, resolved against the child's cwd" {
	mkdir "$T/work/sub"
	mkfile "$T/work/sub/rel.txt" R
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work/sub"
	run sv --learn -p rel sh -c 'cd sub && cat rel.txt'
	[ "$status" -eq 0 ]
	[ "$(q "select count(*) from events where object='$T/work/sub/rel.txt' and access='read'")" -ge 1 ]
}

@test "/proc/self means the child: logged as /proc/self with the child's pid, and it replays" {
	run sv --learn -p proc cat /proc/self/stat
	[ "$status" -eq 0 ]
	child=${output%% *}
	run q "select pid from events where object = '/proc/self/stat'"
	[ "$output" = "$child" ]
	run sv --enforce proc cat /proc/self/stat
	[ "$status" -eq 0 ]
	mkprofile "$T/p.profile" "deny /proc/self/status"
	run sv --enforce "$T/p.profile" cat /proc/self/stat
	[ "$status" -eq 0 ]
	run sv --enforce "$T/p.profile" cat /proc/self/status
	[ "$status" -eq 1 ]
	[ "$(q "select rule from denials where object='/proc/self/status'")" = "deny /proc/self/status" ]
}

@test "no event is lost: 3000 opens are one row counting 3000 calls; --log all makes 3000 rows" {
	mkfile "$T/work/f" x
	run sv -q --learn -p many python3 -c "
f='$T/work/f'
for i in range(3000):
    open(f).close()"
	[ "$status" -eq 0 ]
	[ "$(q "select count(*), sum(count) from events where object='$T/work/f' and syscall='openat'")" = "1|3000" ]
	[ "$(q "select log from runs")" = first ]
	run sv -q --log all --learn -p many python3 -c "
f='$T/work/f'
for i in range(3000):
    open(f).close()"
	[ "$status" -eq 0 ]
	[ "$(q "select count(*), sum(count) from events where run_id = 2 and object='$T/work/f' and syscall='openat'")" = "3000|3000" ]
	[ "$(q "select log from runs where id = 2")" = all ]
}

@test "log: a file opened 1000 times under enforce is one row with its count and times; each denial is a row" {
	mkfile "$T/work/f" x
	mkfile "$T/work/secret" S
	cat >"$T/open.py" <<EOF
import os, sys
for i in range(1000):
    open(sys.argv[1]).close()
for i in range(1000):
    try:
        open(os.environ["DENIED"])	# not an argument, which "read @arg" would give
    except PermissionError:
        pass
EOF
	export DENIED=$T/work/f
	run sv -q --learn -p rep python3 "$T/open.py" "$T/work/f"
	[ "$status" -eq 0 ]
	export DENIED=$T/work/secret
	run sv -q --enforce rep python3 "$T/open.py" "$T/work/f"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(q "select count(*), sum(count), decision from events where run_id = 2 and object='$T/work/f' and access='read'")" = "1|1000|allow" ]
	[ "$(q "select count(*) from events where run_id = 2 and object='$T/work/f' and last_at >= at")" = 1 ]
	[ "$(q "select count(*), sum(count) from denials where run_id = 2 and object='$T/work/secret'")" = "1000|1000" ]
	run sv --log all -q --enforce rep python3 "$T/open.py" "$T/work/f"
	[ "$status" -eq 0 ]
	[ "$(q "select count(*) from events where run_id = 3 and object='$T/work/f' and access='read'")" = 1000 ]
	[ "$(q "select count(*) from denials where run_id = 3 and object='$T/work/secret'")" = 1000 ]
	run sv log --run 2
	echo "$output"
	[[ "$output" == *"$T/work/f"*"1000 calls"* ]]
}

@test "--log takes all or first, and names a bad value" {
	run sv --log some --learn true
	[ "$status" -eq 125 ]
	[[ "$output" == *"--log is all or first, not 'some'"* ]]
}

@test "connect is recorded with its address" {
	run sv --learn -p net python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.socket(); c.connect(s.getsockname()); print(s.getsockname()[1])'
	[ "$status" -eq 0 ]
	port=${lines[0]}
	[ "$(q "select access from events where object='tcp 127.0.0.1:$port'")" = connect ]
}

@test "a second learn run extends the same profile" {
	mkfile "$T/work/a" A
	mkfile "$T/work/b" B
	sv -q --learn -p two cat "$T/work/a"
	sv -q --learn -p two cat "$T/work/b"
	run sv --enforce two cat "$T/work/a" "$T/work/b"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = A ]
	[ "${lines[1]}" = B ]
}

@test "the database defaults to XDG_DATA_HOME, then HOME" {
	run as_user "$SV" --learn -p d true
	[ "$status" -eq 0 ]
	[ -f "$T/home/.local/share/supervise/supervise.db" ]
	run as_user env XDG_DATA_HOME="$T/home/xdg" "$SV" --learn -p d true
	[ -f "$T/home/xdg/supervise/supervise.db" ]
	run as_user env SUPERVISE_DB="$T/home/env.db" "$SV" --learn -p d true
	[ -f "$T/home/env.db" ]
}

@test "supervise under supervise: the inner one falls back to ptrace; --backend notify refuses" {
	mkfile "$T/work/in.txt" hello
	# the outer one is notify whatever SUPERVISE_BACKEND says (backends.bats covers a ptrace outer)
	run as_user "$SV" --db "$DB" --backend notify --learn -p outer "$SV" --db "$T/home/inner.db" --learn -p inner cat "$T/work/in.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *hello* ]]
	[[ "$output" == *"supervise: notify backend unavailable (another supervisor's listener is in this process's filter chain): using ptrace"* ]]
	[ "$("${RUNAS[@]}" sqlite3 "$T/home/inner.db" "select count(*) from events where object='$T/work/in.txt'")" -ge 1 ]
	run as_user "$SV" --db "$DB" --backend notify --learn -p outer "$SV" --db "$T/home/inner.db" --backend notify --learn -p inner touch "$T/work/ran"
	[ "$status" -eq 125 ]
	[[ "$output" == *"cannot install the seccomp filter"* ]]
	[ ! -e "$T/work/ran" ]
}

@test "SIGTERM to supervise reaches the command; the status says so" {
	sv_exec --learn -p term sleep 300 &
	sv_pid=$!
	for _ in $(seq 50); do
		[ -s "$DB" ] && [ "$(q "select count(*) from runs" 2>/dev/null)" = 1 ] && break
		sleep 0.1
	done
	sleep 0.3
	kill -TERM "$sv_pid"
	wait "$sv_pid" && st=0 || st=$?
	[ "$st" -eq 143 ]
	[ "$(q "select exit_status from runs")" = 143 ]
}

@test "killing supervise with SIGKILL kills the command too" {
	sv_exec --learn -p orphan sh -c 'echo $$ > '"$T/work/pid"'; exec sleep 300' &
	sv_pid=$!
	for _ in $(seq 50); do
		[ -s "$T/work/pid" ] && break
		sleep 0.1
	done
	child=$(cat "$T/work/pid")
	alive "$child"
	kill -KILL "$sv_pid"
	wait "$sv_pid" || true
	sleep 0.3
	! alive "$child"
}

@test "a symlink followed by '..' is judged where the kernel lands, not by the text" {
	mkdir -p "$T/work/allowed" "$T/work/other/deep"
	mkfile "$T/work/other/secret.txt" DOTDOT-SECRET
	ln -s "$T/work/other/deep" "$T/work/allowed/link"
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work"
	mkprofile "$T/p.profile" "read $T/work/allowed"
	run sv --enforce "$T/p.profile" cat "$T/work/allowed/link/../secret.txt"
	[ "$status" -eq 1 ]
	[[ "$output" != *DOTDOT-SECRET* ]]
	[ "$(q "select count(*) from denials where object='$T/work/other/secret.txt'")" = 1 ]
}

@test "a link through /proc/self/cwd is resolved in the child, not the supervisor" {
	mkdir "$T/work/sub"
	mkfile "$T/work/sub/secret.txt" CWD-SECRET
	mkfile "$T/work/secret.txt" decoy
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work"
	mkprofile "$T/p.profile" "read /proc" "read $T/work" "deny $T/work/sub/secret.txt"
	run sv --enforce "$T/p.profile" sh -c 'cd sub && cat /proc/self/cwd/secret.txt'
	[ "$status" -eq 1 ]
	[[ "$output" != *CWD-SECRET* ]]
	[ "$(q "select count(*) from denials where object='$T/work/sub/secret.txt'")" = 1 ]
}

@test "learn: after the program changes its root (a user namespace and chroot), its paths resolve in the new root" {
	mkdir -p "$T/work/root"
	mkfile "$T/work/root/real.conf" INSIDE
	ln -s real.conf "$T/work/root/conf"
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work/root"
	cat >"$T/work/chroot.py" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
uid, gid = os.getuid(), os.getgid()
if libc.unshare(0x10000000) != 0:	# CLONE_NEWUSER
    sys.exit("unshare: %s" % os.strerror(ctypes.get_errno()))
open("/proc/self/setgroups", "w").write("deny")
open("/proc/self/uid_map", "w").write("0 %d 1" % uid)
open("/proc/self/gid_map", "w").write("0 %d 1" % gid)
os.chroot(os.environ["NEWROOT"])	# not an argument, which "read @arg" would cover
print(open("/conf").read().strip())
PY
	export NEWROOT=$T/work/root
	run sv -q --learn -p chr python3 "$T/work/chroot.py"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = INSIDE ]
	# the link inside the new root was followed there: its target is learned (by its host path)
	[ "$(q "select count(*) from events where object = '/conf'")" -ge 1 ]
	run sv profile show chr
	echo "$output"
	[[ "$output" == *'read $CWD/root/real.conf'* ]]
}

@test "after a run the database file alone holds everything: a copy without its -wal replays the profile" {
	mkfile "$T/work/in.txt" COPIED
	run sv -q --learn -p cp cat "$T/work/in.txt"
	[ "$status" -eq 0 ]
	as_user cp "$DB" "$T/home/copy.sqlite"
	run as_user "$SV" --db "$T/home/copy.sqlite" -q --enforce cp cat "$T/work/in.txt"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = COPIED ]
	[ "$("${RUNAS[@]}" sqlite3 "$T/home/copy.sqlite" "select count(*) from events where run_id = 1")" -ge 1 ]
}

@test "learn: a name the program replaces by a link after using it is learned again: the link's target is in the profile" {
	mkdir -p "$T/work/data" "$T/work/ro"
	mkfile "$T/work/data/f" FIRST
	mkfile "$T/work/ro/other" OTHER
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work/data" "$T/work/ro"
	cmd="cat $T/work/data/f $T/work/data/f; rm $T/work/data/f; ln -s ../ro/other $T/work/data/f; cat $T/work/data/f"
	run sv -q --learn -p swap sh -c "$cmd"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *FIRST*FIRST*OTHER* ]]
	run sv profile show swap
	echo "$output"
	[[ "$output" == *'read $CWD/ro/other'* ]]
	[ "$(q "select sum(count) from events where run_id = 1 and object = '$T/work/data/f' and syscall = 'openat'")" = 3 ]
}

@test "lookups of missing paths are ENOENT as without supervise, even where a rule denies; a storm is one summary line" {
	mkdir -p "$T/work/fenced"
	mkfile "$T/work/fenced/there" THERE
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work/fenced"
	mkprofile "$T/p.profile" "read $T/work/fenced" "deny $T/work/fenced/*"
	# the exec probe at the end: 127 (ENOENT) is what sh exits with natively; EACCES would be 126
	run -127 --separate-stderr sv --enforce "$T/p.profile" sh -c "
		for i in \$(seq 100); do cat $T/work/fenced/missing\$i 2>/dev/null; echo \$?; done | sort | uniq -c
		cat $T/work/fenced/missing1 2>&1 | grep -c 'No such file'
		exec $T/work/fenced/nothere 2>/dev/null"
	echo "out: $output"
	echo "err: $stderr"
	[[ "$output" == *"100 1"* ]]
	[[ "${lines[1]}" == *1* ]]	# the kernel's "No such file or directory", not "Permission denied"
	[[ "$stderr" != *"denied read $T/work/fenced/missing"* ]]
	[[ "$stderr" == *"lookups of missing paths failed with ENOENT"* ]]
	[ "$(echo "$stderr" | grep -c 'lookups of missing paths')" = 1 ]
	[ "$(q "select count(*) from denials where object like '$T/work/fenced/missing%' and errno = 'ENOENT'")" = 101 ]
	# what exists and is denied is still a denial line and EACCES
	run sv --enforce "$T/p.profile" cat "$T/work/fenced/there"
	[ "$status" -ne 0 ]
	[[ "$output" == *"denied read $T/work/fenced/there"* ]]
	[[ "$output" == *"Permission denied"* ]]
}
