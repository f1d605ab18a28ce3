#!/usr/bin/env bats
# cli.bats - the log and profile subcommands.

load helpers

setup() { setup_common; }
teardown() { teardown_common; }

@test "log with no runs says so and exits 125" {
	run sv log --last
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: no runs recorded yet"* ]]
}

@test "log --run N selects that run; an unknown run is an error" {
	sv -q --learn -p one true
	sv -q --learn -p two true
	run sv log --run 1
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "run 1 learn profile=one"* ]]
	run sv log --run 99
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: no run 99"* ]]
	run sv log
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "log --json is valid JSON with the contract's fields" {
	sv -q --learn -p j true
	run sv log --last --json
	[ "$status" -eq 0 ]
	echo "$output" | python3 -c '
import json, sys
ev = json.load(sys.stdin)
assert ev, "no events"
for k in ("run", "at", "pid", "syscall", "object", "access", "decision", "rule"):
    assert k in ev[0], k
assert ev[0]["at"].endswith("Z") and "." in ev[0]["at"]'
}

@test "profile export, import, show, list and delete round-trip" {
	printf '# mine\nread /usr\nexec /usr/bin\nwrite ~/out\ndeny ~/.ssh\n' >"$T/in.profile"
	run sv profile import "$T/in.profile" mine
	[ "$status" -eq 0 ]
	run sv profile show mine
	[[ "$output" == *"write ~/out"* ]]
	run sv profile export mine "$T/home/out.profile"
	[ "$status" -eq 0 ]
	cmp "$T/in.profile" "$T/home/out.profile"
	run sv profile list
	[[ "$output" == mine* ]]
	[ "$(q "select count(*) from rules where profile='mine'")" = 4 ]
	run sv profile delete mine
	[ "$status" -eq 0 ]
	run sv profile show mine
	[ "$status" -eq 125 ]
	[ "$(q "select count(*) from rules where profile='mine'")" = 0 ]
}

@test "profile import refuses a malformed file with FILE:LINE and stores nothing" {
	printf 'read /usr\nwrite\n' >"$T/bad.profile"
	run sv profile import "$T/bad.profile"
	[ "$status" -eq 125 ]
	[ "$output" = "supervise: $T/bad.profile:2: 'write' needs a path" ]
	run sv profile list
	[ -z "$output" ]
}

@test "profile with an unknown action or missing argument is an error" {
	run sv profile frob
	[ "$status" -eq 125 ]
	run sv profile show
	[ "$status" -eq 125 ]
	[[ "$output" == "supervise: usage: supervise profile show NAME" ]]
}

@test "the shipped base profile imports cleanly and make install puts everything in place" {
	run sv profile import "$BATS_TEST_DIRNAME/../../policies/base.profile"
	[ "$status" -eq 0 ]
	run sv profile show base
	[[ "$output" == *"exec /usr/lib"* ]]
	cd "$BATS_TEST_DIRNAME/../.."
	run make -s install "B=${SUPERVISE_BIN%/supervise}" DESTDIR="$T/dest" PREFIX=/usr/local
	[ "$status" -eq 0 ]
	[ -x "$T/dest/usr/local/bin/supervise" ]
	[ -f "$T/dest/usr/local/share/man/man1/supervise.1" ]
	[ -f "$T/dest/usr/local/share/man/man5/supervise.profile.5" ]
	[ -f "$T/dest/usr/local/share/supervise/policies/base.profile" ]
}

@test "include base resolves from the copy built into the binary when no policies/ is found" {
	rm -rf "$T/policies"
	mkfile "$T/work/in.txt" BUILTIN-BASE
	run sv -q --learn -p nb cat "$T/work/in.txt"
	[ "$status" -eq 0 ]
	run sv profile show nb
	[[ "$output" == *"include base"* ]]
	run sv -q --enforce nb cat "$T/work/in.txt"
	[ "$status" -eq 0 ]
	[ "$output" = BUILTIN-BASE ]
	run sv --enforce base /bin/true		# found by name; base runs nothing by itself
	[ "$status" -eq 126 ]
	[[ "$output" == *"denied exec /bin/true"* ]]
}
