#!/usr/bin/env bats
# syscalls.bats - the profile's syscall allowlist ("syscalls" lines, doc/syscall-groups.md):
# enforce fails what the list lacks with EPERM and logs it, audit only logs it, learn records
# what a program uses beyond @default, and the learned list replays.
# uname(1) calls uname(2), which @default holds; ionice(1) calls ioprio_get(2), which it does not.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
}

teardown() {
	teardown_common
}

@test "syscalls: a call the list lacks fails with EPERM, with a denial line and a logged row" {
	mkprofile "$T/p" 'syscalls @default -uname'
	run --separate-stderr sv --enforce "$T/p" uname
	echo "$status: $output / $stderr"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"uname: cannot get system name: Operation not permitted"* ]]
	[[ "$stderr" == *"supervise: denied syscall uname (pid "*"): not in the profile's syscalls"* ]]
	[ "$(q "select syscall, object, access, decision, errno from denials where access = 'syscall'")" = \
		"uname|uname|syscall|deny|EPERM" ]
}

@test "syscalls: @default alone runs an ordinary program, and nothing is denied" {
	mkprofile "$T/p" 'syscalls @default'
	run sv --enforce "$T/p" uname
	[ "$status" -eq 0 ]
	[ "$output" = "$(uname)" ]
	[ "$(q "select count(*) from denials")" = 0 ]
}

@test "syscalls: audit lets the call run and logs what enforce would deny" {
	mkprofile "$T/p" 'syscalls @default -uname'
	run --separate-stderr sv --audit "$T/p" uname
	[ "$status" -eq 0 ]
	[ "$output" = "$(uname)" ]
	[[ "$stderr" == *"audit: would deny syscall uname"* ]]
	[ "$(q "select decision from events where access = 'syscall' and object = 'uname'")" = audit ]
}

@test "syscalls: learn records a call outside @default, and the learned list replays" {
	run sv -q --learn -p ion ionice
	[ "$status" -eq 0 ]
	learned=$output
	run sv profile show ion
	echo "$output"
	[[ "$output" == *$'\nsyscalls @default\n'* ]]
	[[ "$output" == *$'\nsyscalls +ioprio_get'* ]]
	[ "$(q "select count(*) from events where access = 'syscall' and object = 'ioprio_get'")" -ge 1 ]
	# nothing inside @default is listed
	! [[ "$output" == *"+openat"* ]]
	run sv --enforce ion ionice
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$learned" ]
	[ "$(q "select count(*) from denials")" = 0 ]
}

@test "syscalls: without the learned +NAME the same program is refused" {
	run sv -q --learn -p ion ionice
	[ "$status" -eq 0 ]
	sv profile export ion "$T/work/ion.profile"
	sed -i '/^syscalls +/d' "$T/work/ion.profile"
	run sv --enforce "$T/work/ion.profile" ionice
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"denied syscall ioprio_get"* ]]
	[ "$(q "select object from denials where access = 'syscall'")" = ioprio_get ]
}

@test "syscalls: a profile without a syscalls line has no list" {
	mkprofile "$T/p"
	run sv --enforce "$T/p" ionice
	[ "$status" -eq 0 ]
	[ "$(q "select count(*) from events where access = 'syscall'")" = 0 ]
}

@test "syscalls: an unknown name or group is an error naming the file and line" {
	mkprofile "$T/p" 'syscalls @default' 'syscalls +frobnicate'
	run --separate-stderr sv --enforce "$T/p" true
	[ "$status" -eq 125 ]
	[ "$stderr" = "supervise: $T/p:4: unknown syscall 'frobnicate'" ]
	mkprofile "$T/p" 'syscalls @nosuch'
	run --separate-stderr sv --enforce "$T/p" true
	[ "$status" -eq 125 ]
	[ "$stderr" = "supervise: $T/p:3: unknown syscall group '@nosuch' (see doc/syscall-groups.md)" ]
}

@test "syscalls: listing a call the jail refuses does not lift the refusal" {
	mkprofile "$T/p" 'syscalls @default +@mount +@namespace'
	run sv --enforce "$T/p" unshare -U true
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
}
