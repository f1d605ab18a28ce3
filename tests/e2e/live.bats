#!/usr/bin/env bats
# live.bats - watching runs while they go on: supervise ps, log --follow.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	mkfile "$T/work/a.txt" AAA
	mkfile "$T/work/b.txt" BBB
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work"
	mkprofile "$T/p.profile" "read $T/work"
	return 0
}
teardown() {
	[ -n "${BG:-}" ] && kill -9 "$BG" 2>/dev/null
	teardown_common
}

@test "ps lists a running jail with its run, pid, profile, mode and denials; --json; gone when it ends" {
	sv_exec -q --enforce "$T/p.profile" sh -c "cat $T/work/a.txt /etc/shadow; sleep 3" >/dev/null 2>&1 &
	BG=$!
	wait_for "select count(*) from denials" 1
	run sv ps
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == RUN*PID*PROFILE*MODE*UPTIME*GRANTS*DENIALS*COMMAND ]]
	[[ "${lines[1]}" =~ ^1\ +$BG\ +$T/p.profile\ +enforce\ +[0-9]+s\ +0\ +1\ +sh\ -c ]]
	run sv ps --json
	echo "$output"
	[ "$(echo "$output" | python3 -c 'import json,sys; r = json.load(sys.stdin); print(len(r), r[0]["run"], r[0]["pid"], r[0]["mode"], r[0]["denials"], r[0]["grants"])')" = "1 1 $BG enforce 1 0" ]
	wait "$BG"
	BG=
	run sv ps
	[ "${#lines[@]}" -eq 1 ]	# the header only
	run sv ps --json
	[ "$output" = "[]" ]
}

@test "ps leaves out a run whose supervisor was killed (it never ended)" {
	sv_exec -q --enforce "$T/p.profile" sleep 30 >/dev/null 2>&1 &
	BG=$!
	wait_for "select count(*) from runs where ended_at is null" 1
	run sv ps
	[ "${#lines[@]}" -eq 2 ]
	kill -9 "$BG"
	wait "$BG" || true
	BG=
	[ "$(q "select count(*) from runs where ended_at is null")" = 1 ]
	run sv ps
	[ "${#lines[@]}" -eq 1 ]
}

@test "log --follow prints a run's events as they come and ends with the run" {
	sv_exec -q --enforce "$T/p.profile" sh -c "cat $T/work/a.txt; sleep 1; cat $T/work/b.txt" >/dev/null 2>&1 &
	BG=$!
	wait_for "select count(*) from runs" 1
	run timeout 20 "${RUNAS[@]}" env HOME="$T/home" "$SV" --db "$DB" log --follow
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "run 1 enforce"* ]]
	[[ "$output" == *"openat read allow $T/work/a.txt"*"openat read allow $T/work/b.txt"* ]]
	wait "$BG"
	BG=
	# JSON: one event object a line, every line valid on its own
	run timeout 20 "${RUNAS[@]}" env HOME="$T/home" "$SV" --db "$DB" log --follow --run 1 --json
	[ "$status" -eq 0 ]
	echo "$output" | python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]'
	[[ "$output" == *"\"object\": \"$T/work/b.txt\""* ]]
}

@test "log --follow of a run whose supervisor was killed says so and ends" {
	sv_exec -q --enforce "$T/p.profile" sleep 30 >/dev/null 2>&1 &
	BG=$!
	wait_for "select count(*) from runs where ended_at is null" 1
	kill -9 "$BG"
	wait "$BG" || true
	BG=
	run timeout 20 "${RUNAS[@]}" env HOME="$T/home" "$SV" --db "$DB" log --follow
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"run 1: its supervisor is gone without ending the run"* ]]
}

@test "graph draws the process tree, the grants and the denials of a run as DOT that dot renders" {
	mkdir -p "$T/work/docs"
	mkfile "$T/work/docs/x" DOC
	mkfile "$T/work/sec\"ret
name" NOPE
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work"
	mkprofile "$T/g.profile" "read $T/work/a.txt" "grant read $T/work/docs"
	run sv -q --log all --enforce "$T/g.profile" sh -c 'sh -c "cat $1"; python3 -c "
import sys
try:
    open(sys.argv[1])
except OSError as e:
    print(e.errno)" "$2"' sh "$T/work/docs/x" "$T/work/sec\"ret
name"
	echo "$output"
	run sv graph
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == 'digraph "run 1" {' ]]
	[[ "$output" == *'label="cat\npid '* ]]
	[[ "$output" == *'color=darkgreen, label="read grant"'* ]]
	[[ "$output" == *'label="read deny EACCES"'* ]]
	[[ "$output" == *'sec\"ret\\x0aname'* ]]	# the name's quote and newline cannot break out
	# the tree: run -> sh -> sh -> cat, and sh -> python3
	[ "$(echo "$output" | grep -c -- ' -> p')" -ge 4 ]
	echo "$output" | dot -Tsvg >"$T/g.svg"
	grep -q '<svg' "$T/g.svg"
	run sv graph --run 9
	[ "$status" -eq 125 ]
	[[ "$output" == *"no run 9 in"* ]]
}
