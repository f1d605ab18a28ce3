#!/usr/bin/env bats
# backends.bats - the key properties of core.bats under the ptrace backend (--backend ptrace),
# backend selection, nesting, and --backtrace. The whole of core.bats also runs under ptrace by
# hand: SUPERVISE_BACKEND=ptrace bats tests/e2e/core.bats.

load helpers
bats_require_minimum_version 1.5.0

setup() { setup_common; }
teardown() { teardown_common; }

# svp ARGS...: supervise with the ptrace backend.
svp() {
	sv --backend ptrace "$@"
}

@test "ptrace: learn writes a profile; enforce replays it and denies the rest with EACCES, logged" {
	mkfile "$T/work/in.txt" hello
	mkfile "$T/work/secret.txt" topsecret
	# named in a command string, not as an argument (which "read @arg" would give)
	run svp --learn -p reader sh -c "cat $T/work/in.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *hello* ]]
	[[ "$output" == *"profile 'reader' written"* ]]
	run svp --enforce reader sh -c "cat $T/work/in.txt"
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
	run svp --enforce reader sh -c "cat $T/work/secret.txt"
	[ "$status" -eq 1 ]
	[[ "$output" != *topsecret* ]]
	[[ "$output" == *"Permission denied"* ]]
	[[ "$output" == *"supervise: denied read $T/work/secret.txt (openat, pid "*"): no rule"* ]]
	run q "select object||'|'||decision||'|'||access||'|'||errno from denials"
	[ "$output" = "$T/work/secret.txt|deny|read|EACCES" ]
}

@test "ptrace: decisions and logged events are the same as notify's" {
	mkfile "$T/work/in.txt" hello
	sv -q --backend notify --learn -p n cat "$T/work/in.txt"
	svp -q --learn -p p cat "$T/work/in.txt"
	run q "select group_concat(syscall||' '||access||' '||object, ',') from (select * from events where run_id = 1 order by id)"
	notify_events=$output
	run q "select group_concat(syscall||' '||access||' '||object, ',') from (select * from events where run_id = 2 order by id)"
	[ "$output" = "$notify_events" ]
	[ "$(sv profile show n | tail -n +2)" = "$(sv profile show p | tail -n +2)" ]
}

@test "ptrace: exit status: the command's own, 128+signal, 127 not found, 126 not executable" {
	run svp --learn -p t sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run svp --learn -p t sh -c 'kill -9 $$'
	[ "$status" -eq 137 ]
	run svp --learn -p t sh -c 'kill -SEGV $$'
	[ "$status" -eq 139 ]
	run -127 svp --learn -p t no-such-command-xyz
	[ "$status" -eq 127 ]
	mkfile "$T/work/noexec" '#!/bin/sh'
	chmod 644 "$T/work/noexec"
	run svp --learn -p t "$T/work/noexec"
	[ "$status" -eq 126 ]
	[ "$(q "select group_concat(exit_status, ' ') from runs")" = "7 137 139" ]
}

@test "ptrace: exec denied by the profile exits 126 and is logged as an exec denial" {
	printf 'read /\n' >"$T/p.profile"
	run svp --enforce "$T/p.profile" /bin/true
	[ "$status" -eq 126 ]
	[ "$(q "select access||' '||syscall||' '||errno from denials")" = "exec execve EACCES" ]
}

@test "ptrace: every descendant is supervised" {
	mkfile "$T/work/secret.txt" SECRET-CONTENT
	mkprofile "$T/p.profile" "exec /bin"
	run svp --enforce "$T/p.profile" sh -c "sh -c 'cat $T/work/secret.txt'"
	[ "$status" -eq 1 ]
	[[ "$output" != *SECRET-CONTENT* ]]
	[ "$(q "select count(*) from denials where object='$T/work/secret.txt'")" = 1 ]
}

@test "ptrace: a tracee that forks 200 children, each exec'ing, is fully followed" {
	run svp -q --learn -p storm sh -c 'for i in $(seq 200); do /bin/true & done; wait; echo done'
	[ "$status" -eq 0 ]
	[ "$output" = done ]
	[ "$(q "select sum(count) from events where syscall='execve' and object='/bin/true'")" = 200 ]
}

@test "ptrace: descendants do not outlive the command" {
	run svp --learn -p bg sh -c 'sleep 300 & echo $!'
	[ "$status" -eq 0 ]
	pid=${lines[0]}
	[[ "$pid" =~ ^[0-9]+$ ]]
	sleep 0.2
	! alive "$pid"
}

@test "ptrace: SIGTERM to supervise reaches the command; the status says so" {
	sv_exec --backend ptrace --learn -p term sleep 300 &
	sv_pid=$!
	for _ in $(seq 50); do
		[ -s "$DB" ] && [ "$(q "select count(*) from events where syscall='execve'" 2>/dev/null)" = 1 ] && break
		sleep 0.1
	done
	sleep 0.3
	kill -TERM "$sv_pid"
	wait "$sv_pid" && st=0 || st=$?
	[ "$st" -eq 143 ]
	[ "$(q "select exit_status from runs")" = 143 ]
}

@test "ptrace: killing supervise with SIGKILL kills the tracees (PTRACE_O_EXITKILL)" {
	sv_exec --backend ptrace --learn -p orphan sh -c 'sleep 300 & echo $! > '"$T/work/pid"'; exec sleep 301' &
	sv_pid=$!
	for _ in $(seq 50); do
		[ -s "$T/work/pid" ] && break
		sleep 0.1
	done
	bg=$(cat "$T/work/pid")
	alive "$bg"
	kill -KILL "$sv_pid"
	wait "$sv_pid" || true
	sleep 0.3
	! alive "$bg"
	! pgrep -f '^sleep 301$'
}

@test "ptrace: a stopped tracee stays stopped until SIGCONT, and signals reach handlers" {
	# In a process group of its own: see test_tracer.c, t_stop_and_continue.
	run svp -q --learn -p stop python3 -c '
import os, signal, time
os.setpgid(0, 0)
if os.fork() == 0:
    time.sleep(0.5); os.kill(os.getppid(), signal.SIGCONT); os._exit(0)
t = time.monotonic(); os.kill(os.getpid(), signal.SIGSTOP); os.wait()
print("resumed" if time.monotonic() - t >= 0.4 else "never stopped")'
	[ "$status" -eq 0 ]
	[ "$output" = resumed ]
	run svp -q --learn -p sig python3 -c '
import os, signal
signal.signal(signal.SIGUSR1, lambda *a: print("handled"))
os.kill(os.getpid(), signal.SIGUSR1)'
	[ "$status" -eq 0 ]
	[ "$output" = handled ]
}

@test "--backend refuses an unknown backend with 125" {
	run sv --backend frob --learn true
	[ "$status" -eq 125 ]
	[ "$output" = "supervise: --backend is auto, notify or ptrace, not 'frob'" ]
}

@test "supervise under supervise: inner enforce under an outer notify learn still denies (ptrace)" {
	mkfile "$T/work/in.txt" hello
	mkfile "$T/work/secret.txt" NESTED-SECRET
	sv -q --learn -p inner sh -c "cat $T/work/in.txt"	# not an argument: see read @arg
	run sv -q --learn -p outer "$SV" --db "$DB" --enforce inner sh -c "cat $T/work/secret.txt"
	[ "$status" -eq 1 ]
	[[ "$output" != *NESTED-SECRET* ]]
	[[ "$output" == *"notify backend unavailable"*"using ptrace"* ]]
	[ "$(q "select count(*) from denials where object='$T/work/secret.txt'")" = 1 ]
}

@test "supervise under a ptrace supervise refuses (one tracer per process) rather than run unsupervised" {
	# (LeakSanitizer cannot run under ptrace: a SAN=1 inner supervise would fail at exit instead)
	run svp --learn -p outer env ASAN_OPTIONS=detect_leaks=0 "$SV" --db "$T/home/inner.db" --learn -p inner touch "$T/work/ran"
	[ "$status" -eq 125 ]
	[[ "$output" == *"cannot trace the command"* ]]
	[ ! -e "$T/work/ran" ]
}

@test "--backtrace: the logged stack of an open names the function that made it, and main" {
	cat >"$T/work/bt.c" <<'C'
#include <stdio.h>
void read_the_config(const char *p);
__attribute__((noinline)) void read_the_config(const char *p)
{
	FILE *f = fopen(p, "r");
	if (f)
		fclose(f);
}
int main(int argc, char **argv)
{
	(void)argc;
	read_the_config(argv[1]);
	return 0;
}
C
	cc -g -O0 -o "$T/work/bt" "$T/work/bt.c"
	mkfile "$T/work/conf" x
	run sv -q --learn --backtrace -p bt "$T/work/bt" "$T/work/conf"
	[ "$status" -eq 0 ]
	run sv log --last --backtrace
	[ "$status" -eq 0 ]
	echo "$output" | grep -A20 "openat read allow $T/work/conf" >"$T/stack"
	grep -q "^      at read_the_config+0x[0-9a-f]* ($T/work/bt+0x" "$T/stack"
	grep -q "^      at main+0x[0-9a-f]* ($T/work/bt+0x" "$T/stack"
	# deduplicated: one row per distinct stack, referenced by every event
	[ "$(q "select count(*) from events where backtrace_id is null")" = 0 ]
	[ "$(q "select count(*) from backtraces")" -le "$(q "select count(*) from events")" ]
	run sv log --last --json
	echo "$output" | python3 -c 'import json,sys; ev=json.load(sys.stdin); assert any("read_the_config" in (e["backtrace"] or "") for e in ev)'
}

@test "--backtrace under enforce: the denial carries the stack, module+offset where unnamed" {
	mkprofile "$T/p.profile"
	mkfile "$T/work/secret.txt" S
	run sv -q --enforce "$T/p.profile" --backtrace cat "$T/work/secret.txt"
	[ "$status" -eq 1 ]
	run sv log --last --denied --backtrace
	# cat is stripped: its own frames have no name, only the module and offset
	[[ "$output" == *"deny $T/work/secret.txt"*"      at ? (/usr/bin/cat+0x"*"      at __libc_start_main+"* ]]
}
