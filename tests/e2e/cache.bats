#!/usr/bin/env bats
# cache.bats - the decision cache of enforce in a jail (trap/session.c): what it may answer, and
# what it must leave to a full decision every time.

load helpers
bats_require_minimum_version 1.5.0

# The trees the tests open live outside /tmp: the jail's own /tmp is writable, so nothing under
# it is ever cached, and the tests would not reach the cache at all. W is such a tree (in the
# build directory, which the test user can traverse); "$T/work" is still the working directory.
setup() {
	setup_common
	outside_tmp cache-e2e
	mkdir -p "$W/d" "$W/ro"
	mkfile "$W/d/f" PLAIN-D
	mkfile "$W/ro/f" PLAIN-RO
	mkfile "$W/secret" SECRET-CONTENT
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work" "$W"
	return 0
}
teardown() {
	[ -n "${W:-}" ] && rm -rf "$W"
	teardown_common
}

# swap DIR: read DIR/f, replace it by a link to the secret, read it again.
swap() {
	echo "cat $1/f; rm -f $1/f; ln -s ../secret $1/f; cat $1/f; echo done"
}

@test "cache: a file replaced by a link in a writable directory is decided again: denied and logged (jail)" {
	mkprofile "$T/p.profile" "read $W/d" "write $W/d"
	run sv --enforce "$T/p.profile" sh -c "$(swap "$W/d")"
	echo "$output"
	[[ "$output" == *PLAIN-D* ]]
	[[ "$output" != *SECRET-CONTENT* ]]
	[[ "$output" == *"denied read $W/secret"* ]]
	[ "$(q "select count(*) from denials where object = '$W/secret' and access = 'read'")" -ge 1 ]
}

@test "cache: none without the jail, where the check alone decides: the swapped link is denied" {
	# (the deny is needed: without the jail, base's "tmpfs /tmp" admits the host's /tmp, where
	# the test tree lives)
	mkprofile "$T/p.profile" "read $W/d" "write $W/d" "deny $W/secret"
	run sv --no-jail --enforce "$T/p.profile" sh -c "$(swap "$W/d")"
	echo "$output"
	[[ "$output" == *PLAIN-D* ]]
	[[ "$output" != *SECRET-CONTENT* ]]
	[[ "$output" == *"denied read $W/secret"* ]]
	[ "$(q "select count(*) from denials where object = '$W/secret'")" -ge 1 ]
}

@test "cache: a read-only tree cannot be changed from inside, and its repeated opens are one counted row" {
	mkprofile "$T/p.profile" "read $W/ro"
	run sv --enforce "$T/p.profile" sh -c "$(swap "$W/ro"); cat $W/ro/f"
	echo "$output"
	[[ "$output" != *SECRET-CONTENT* ]]
	[[ "$output" == *"PLAIN-RO"*"PLAIN-RO"*"PLAIN-RO"* ]]
	[ "$(q "select count(*), sum(count) from events where object = '$W/ro/f' and syscall = 'openat' and access = 'read'")" = "1|3" ]
	[ -f "$W/ro/f" ] && [ ! -L "$W/ro/f" ]
	# and the later opens were answered by the cache (notify's --timings reports it)
	if [ "${SUPERVISE_BACKEND:-notify}" != ptrace ]; then
		run --separate-stderr sv -q --timings --enforce "$T/p.profile" sh -c "cat $W/ro/f $W/ro/f $W/ro/f"
		echo "$stderr"
		[[ "$stderr" == *"timing: trap.cached "* ]]
		[[ "$stderr" != *"timing: trap.cached 0.000 %"* ]]
	fi
}

@test "cache: decisions made before a grant still hold after it, and the grant's own path opens" {
	mkdir -p "$W/g"
	mkfile "$W/g/x" GRANTED
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$W/g"
	mkprofile "$T/p.profile" "read $W/ro" "grant read $W/g"
	run sv --enforce "$T/p.profile" sh -c "cat $W/ro/f; cat $W/g/x; cat $W/ro/f; cat $W/secret"
	echo "$output"
	[[ "$output" == *"PLAIN-RO"*"GRANTED"*"PLAIN-RO"* ]]
	[[ "$output" != *SECRET-CONTENT* ]]
	[ "$(q "select sum(count) from events where object = '$W/ro/f' and syscall = 'openat'")" = 2 ]
	[ "$(q "select count(*) from events where decision = 'grant' and object = '$W/g/x'")" = 1 ]
	[ "$(q "select count(*) from denials where object = '$W/secret'")" = 1 ]
}

@test "cache: a link the program can retarget is decided again each time; a pinned one is counted" {
	mkfile "$W/ro/target" TARGET
	ln -s target "$W/ro/pinned"
	ln -s ../ro/target "$W/d/link"
	ln -s ../d/link "$W/ro/chain"	# pinned itself, but it leads through d/link
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -h 65534:65534 "$W/ro/pinned" "$W/d/link" \
		"$W/ro/target" "$W/ro/chain"
	mkprofile "$T/p.profile" "read $W/ro" "read $W/d" "write $W/d"
	run sv --enforce "$T/p.profile" sh -c "cat $W/ro/pinned $W/ro/pinned $W/ro/chain $W/d/link; ln -sf ../secret $W/d/link; cat $W/ro/chain; cat $W/d/link; echo done"
	echo "$output"
	[[ "$output" == *"TARGET"*"TARGET"*"TARGET"*"TARGET"* ]]
	[[ "$output" != *SECRET-CONTENT* ]]
	[[ "$output" == *"denied read $W/secret"* ]]
	[ "$(q "select sum(count) from events where object = '$W/ro/pinned' and syscall = 'openat' and decision = 'allow'")" = 2 ]
	# both the chain through the writable link and the link itself were decided again: denied
	[ "$(q "select count(*) from denials where object = '$W/secret'")" = 2 ]
}
