#!/usr/bin/env bats
# timings.bats - `--timings`: the start-up phases are printed at exit, in the documented form, for
# the jail's phases too (they are measured in the forked child), and nothing without the flag.

load helpers

setup() { setup_common; }
teardown() { teardown_common; }

# _phases OUTPUT: the names of the timing lines of OUTPUT, in order.
_phases() {
	grep '^supervise: timing: ' <<<"$1" | awk '{ print $3 }' | tr '\n' ' '
}

@test "--timings under --enforce prints every start-up phase, in ms, with the jail's own" {
	run sv -q --learn -p t /bin/true
	[ "$status" -eq 0 ]
	run sv -q --timings --enforce t /bin/true
	[ "$status" -eq 0 ]
	for ph in startup.total startup.db startup.profile startup.filter startup.fork \
		  startup.namespaces startup.view startup.lock startup.child_filter teardown; do
		grep -Eq "^supervise: timing: $ph [0-9]+\.[0-9]{3} ms( n=[0-9]+)?$" <<<"$output" ||
			{ echo "missing or malformed: $ph"; echo "$output"; false; }
	done
	# every line of the output is a timing line: nothing else was printed under -q
	[ "$(grep -vc '^supervise: timing: ' <<<"$output")" -eq 0 ]
}

@test "--timings without the jail has no jail phases; the command's status is kept" {
	run sv -q --learn -p f /bin/false
	run sv -q --timings --no-jail --enforce f /bin/false
	[ "$status" -eq 1 ]
	[[ "$(_phases "$output")" == *startup.total*startup.filter*teardown* ]]
	! grep -q 'startup.view\|startup.namespaces\|startup.lock' <<<"$output"
}

@test "without --timings nothing is printed; --timings is documented in --help" {
	run sv -q --learn -p t /bin/true
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run sv -q --enforce t /bin/true
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run "$SV" --help
	grep -q -- '--timings' <<<"$output"
}
