#!/usr/bin/env bats
# grant.bats - runtime grants: absent at start, mounted on first touch, once, with the rule's rights.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	mkdir -p "$T/work/docs" "$T/work/out"
	mkfile "$T/work/docs/a.txt" DOC-A
	mkfile "$T/work/docs/b.txt" DOC-B
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work"
	return 0
}
teardown() { teardown_common; }

@test "a grant path is absent at start and mounted on the first touch, logged as 'grant'" {
	mkprofile "$T/p.profile" "grant read $T/work/docs"
	run sv --enforce "$T/p.profile" sh -c "grep -c ' $T/work/docs ' /proc/self/mountinfo; cat $T/work/docs/a.txt; grep -c ' $T/work/docs ' /proc/self/mountinfo"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "$output" == *DOC-A* ]]
	[[ "$output" == *"grant read $T/work/docs: granted on first touch of $T/work/docs/a.txt"* ]]
	[ "$(q "select count(*) from events where decision='grant' and rule='grant read $T/work/docs'")" = 1 ]
}

@test "racing threads get one grant, and every one of them reads the file" {
	mkprofile "$T/p.profile" "grant read $T/work/docs"
	run sv -q --enforce "$T/p.profile" python3 -c "
import threading
res = []
def rd(): res.append(open('$T/work/docs/b.txt').read().strip())
ts = [threading.Thread(target=rd) for _ in range(16)]
[t.start() for t in ts]; [t.join() for t in ts]
print(res.count('DOC-B'))"
	[ "$status" -eq 0 ]
	[ "$output" = 16 ]
	[ "$(q "select count(*) from events where decision='grant'")" = 1 ]
}

@test "a read grant stays read-only in the kernel; a write grant lets files be created on the host" {
	mkprofile "$T/p.profile" "grant read $T/work/docs" "grant write $T/work/out"
	run sv --enforce "$T/p.profile" sh -c "cat $T/work/docs/a.txt >/dev/null; echo x > $T/work/docs/new.txt"
	[ "$status" -ne 0 ]
	[ ! -e "$T/work/docs/new.txt" ]
	run sv --enforce "$T/p.profile" sh -c "echo made > $T/work/out/new.txt"
	[ "$status" -eq 0 ]
	[ "$(cat "$T/work/out/new.txt")" = made ]
}

@test "paths outside every rule stay invisible next to a grant" {
	mkfile "$T/work/secret.txt" GRANT-SECRET
	mkprofile "$T/p.profile" "grant read $T/work/docs"
	run sv --enforce "$T/p.profile" sh -c "cat $T/work/docs/a.txt; cat $T/work/secret.txt"
	[ "$status" -ne 0 ]
	[[ "$output" == *DOC-A* ]]
	[[ "$output" != *GRANT-SECRET* ]]
}

@test "a malformed grant line is refused with FILE:LINE" {
	printf 'include base\ngrant frob /x\n' >"$T/bad.profile"
	run sv --enforce "$T/bad.profile" true
	[ "$status" -eq 125 ]
	[ "$output" = "supervise: $T/bad.profile:2: 'grant' takes read, write or exec and a path" ]
}

@test "a lookup of the grant path does not open it: ls -l of its parent and stat show the placeholder; a read then mounts it" {
	mkprofile "$T/p.profile" "read $T/work" "grant read $T/work/docs"
	m="grep -c ' $T/work/docs ' /proc/self/mountinfo"
	run sv -q --enforce "$T/p.profile" sh -c "$m; ls -l $T/work >/dev/null; stat $T/work/docs >/dev/null; $m; cat $T/work/docs/a.txt; $m"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "${lines[0]}" ]	# the lookups mounted nothing
	[ "${lines[2]}" = DOC-A ]
	[ "${lines[3]}" -eq $((lines[1] + 1)) ]	# the read did
	[ "$(q "select count(*) from events where decision='grant'")" = 1 ]
	[ "$(q "select syscall from events where decision='grant'")" = openat ]
}

@test "a lookup below a grant opens it: a program that stats a file before it reads it works (sort)" {
	mkprofile "$T/p.profile" "grant read $T/work/docs"
	run sv -q --enforce "$T/p.profile" sort "$T/work/docs/a.txt"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = DOC-A ]
	[ "$(q "select count(*) from events where decision='grant'")" = 1 ]
}
