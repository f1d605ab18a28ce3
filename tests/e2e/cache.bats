#!/usr/bin/env bats
# cache.bats - the decision cache of enforce in a jail (core/session.c): what it may answer, and
# what it must leave to a full decision every time.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	mkdir -p "$T/work/d" "$T/work/ro"
	mkfile "$T/work/d/f" PLAIN-D
	mkfile "$T/work/ro/f" PLAIN-RO
	mkfile "$T/work/secret" SECRET-CONTENT
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work"
	return 0
}
teardown() { teardown_common; }

# swap DIR: read DIR/f, replace it by a link to the secret, read it again.
swap() {
	echo "cat $1/f; rm -f $1/f; ln -s ../secret $1/f; cat $1/f; echo done"
}

@test "cache: a file replaced by a link in a writable directory is decided again: denied and logged (jail)" {
	mkprofile "$T/p.profile" "read $T/work/d" "write $T/work/d"
	run sv --enforce "$T/p.profile" sh -c "$(swap "$T/work/d")"
	echo "$output"
	[[ "$output" == *PLAIN-D* ]]
	[[ "$output" != *SECRET-CONTENT* ]]
	[[ "$output" == *"denied read $T/work/secret"* ]]
	[ "$(q "select count(*) from denials where object = '$T/work/secret' and access = 'read'")" -ge 1 ]
}

@test "cache: none without the jail, where the check alone decides: the swapped link is denied" {
	# (the deny is needed: without the jail, base's "tmpfs /tmp" admits the host's /tmp, where
	# the test tree lives)
	mkprofile "$T/p.profile" "read $T/work/d" "write $T/work/d" "deny $T/work/secret"
	run sv --no-jail --enforce "$T/p.profile" sh -c "$(swap "$T/work/d")"
	echo "$output"
	[[ "$output" == *PLAIN-D* ]]
	[[ "$output" != *SECRET-CONTENT* ]]
	[[ "$output" == *"denied read $T/work/secret"* ]]
	[ "$(q "select count(*) from denials where object = '$T/work/secret'")" -ge 1 ]
}

@test "cache: a read-only tree cannot be changed from inside, and its repeated opens are one counted row" {
	mkprofile "$T/p.profile" "read $T/work/ro"
	run sv --enforce "$T/p.profile" sh -c "$(swap "$T/work/ro"); cat $T/work/ro/f"
	echo "$output"
	[[ "$output" != *SECRET-CONTENT* ]]
	[[ "$output" == *"PLAIN-RO"*"PLAIN-RO"*"PLAIN-RO"* ]]
	[ "$(q "select count(*), sum(count) from events where object = '$T/work/ro/f' and syscall = 'openat' and access = 'read'")" = "1|3" ]
	[ -f "$T/work/ro/f" ] && [ ! -L "$T/work/ro/f" ]
}

@test "cache: decisions made before a grant still hold after it, and the grant's own path opens" {
	mkdir -p "$T/work/g"
	mkfile "$T/work/g/x" GRANTED
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work/g"
	mkprofile "$T/p.profile" "read $T/work/ro" "grant read $T/work/g"
	run sv --enforce "$T/p.profile" sh -c "cat $T/work/ro/f; cat $T/work/g/x; cat $T/work/ro/f; cat $T/work/secret"
	echo "$output"
	[[ "$output" == *"PLAIN-RO"*"GRANTED"*"PLAIN-RO"* ]]
	[[ "$output" != *SECRET-CONTENT* ]]
	[ "$(q "select sum(count) from events where object = '$T/work/ro/f' and syscall = 'openat'")" = 2 ]
	[ "$(q "select count(*) from events where decision = 'grant' and object = '$T/work/g/x'")" = 1 ]
	[ "$(q "select count(*) from denials where object = '$T/work/secret'")" = 1 ]
}
