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

@test "profile diff: identical profiles print nothing and exit 0" {
	mkprofile "$T/a.profile" "read /etc/hosts" "write ~/out" "net loopback"
	printf 'exec /usr/bin\n# the same lines, reordered\nnet loopback\nwrite ~/out\ninclude base\nread /etc/hosts\n' \
		>"$T/b.profile"
	run sv profile import "$T/a.profile" same
	[ "$status" -eq 0 ]
	run sv profile diff same same
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run sv profile diff "$T/a.profile" "$T/b.profile"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "profile diff: a rule added and one removed are exactly the + and - lines" {
	mkprofile "$T/old.profile" "read /etc/hosts" "write ~/out"
	mkprofile "$T/new.profile" "write ~/out" "read /etc/passwd" "net host"
	run sv profile diff "$T/old.profile" "$T/new.profile"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' "--- $T/old.profile" "+++ $T/new.profile" "+ net host" \
		"- read /etc/hosts" "+ read /etc/passwd")" ]
	run sv profile diff "$T/new.profile" "$T/old.profile"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' "--- $T/new.profile" "+++ $T/old.profile" "- net host" \
		"+ read /etc/hosts" "- read /etc/passwd")" ]
}

@test "profile diff: A and B are names or files, resolved as --enforce does" {
	mkprofile "$T/mine.profile" "read /etc/hosts"
	run sv profile import "$T/mine.profile"
	[ "$status" -eq 0 ]
	mkprofile "$T/work/mine" "read /etc/hosts" "read /etc/group"	# a file named like the profile
	run sv profile diff mine "$T/mine.profile"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run sv profile diff mine ./mine			# a "/": the file, not the stored profile
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' "--- mine" "+++ ./mine" "+ read /etc/group")" ]
	cp "$T/work/mine" "$T/work/other.profile"	# ".profile": a file in the working directory
	run sv profile diff other.profile mine
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' "--- other.profile" "+++ mine" "- read /etc/group")" ]
	run sv profile diff base mine			# a shipped profile by name: only own lines
	[ "$status" -eq 1 ]
	[ "${lines[2]}" = "+ include base" ]
}

@test "profile diff: a missing or malformed profile is a one-line error and status 125" {
	mkprofile "$T/a.profile" "read /etc/hosts"
	run sv profile diff nosuch "$T/a.profile"
	[ "$status" -eq 125 ]
	[ "$output" = "supervise: no profile named 'nosuch' (see supervise profile list)" ]
	run sv profile diff "$T/a.profile" "$T/missing.profile"
	[ "$status" -eq 125 ]
	[ "$output" = "supervise: $T/missing.profile: No such file or directory" ]
	printf 'read /usr\nwrite\n' >"$T/bad.profile"
	run sv profile diff "$T/a.profile" "$T/bad.profile"
	[ "$status" -eq 125 ]
	[ "$output" = "supervise: $T/bad.profile:2: 'write' needs a path" ]
	run sv profile diff "$T/a.profile"
	[ "$status" -eq 125 ]
	[ "$output" = "supervise: usage: supervise profile diff A B" ]
}

@test "profile diff shows what a second learn run added to a learned profile" {
	mkfile "$T/work/a.txt" AAA
	mkfile "$T/work/b.txt" BBB
	# the files are named inside a command string, not as arguments (which learn as @arg)
	run sv -q --learn -p grow sh -c 'cat a.txt'
	[ "$status" -eq 0 ]
	run sv profile export grow "$T/home/before.profile"
	[ "$status" -eq 0 ]
	run sv -q --learn -p grow sh -c 'head -n1 b.txt' 
	[ "$status" -eq 0 ]
	[ "$output" = BBB ]
	run sv profile diff "$T/home/before.profile" grow
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' "--- $T/home/before.profile" "+++ grow" \
		'+ read $CWD/b.txt' "+ exec /usr/bin/head")" ]
	run sv profile diff grow "$T/home/before.profile"	# the merge kept the first run's rules
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' "--- grow" "+++ $T/home/before.profile" \
		'- read $CWD/b.txt' "- exec /usr/bin/head")" ]
}
