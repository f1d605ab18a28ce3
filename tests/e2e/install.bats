#!/usr/bin/env bats
# install.bats - what make install writes (issue 18: the man pages' FILES paths follow PREFIX).

load helpers
bats_require_minimum_version 1.5.0

setup() { setup_common; }
teardown() { teardown_common; }

@test "make install writes PREFIX's data directory into both man pages, mode 0644" {
	repo=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	b=$(dirname "$(readlink -f "$SUPERVISE_BIN")")
	# -o: install the binary under test as it is, never rebuild it
	make -s -C "$repo" B="$b" -o "$b/supervise" install PREFIX=/opt/sv-test DESTDIR="$T/inst"
	m=$T/inst/opt/sv-test/share/man
	grep -qx '\.I /opt/sv-test/share/supervise/policies/' "$m/man1/supervise.1"
	grep -q '/opt/sv-test/share/supervise' "$m/man5/supervise.profile.5"
	run grep -l /usr/local/share/supervise "$m/man1/supervise.1" "$m/man5/supervise.profile.5"
	[ "$status" -eq 1 ]
	[ "$(stat -c %a "$m/man1/supervise.1")" = 644 ]
	[ "$(stat -c %a "$m/man5/supervise.profile.5")" = 644 ]
	[ -x "$T/inst/opt/sv-test/bin/supervise" ]
	[ -r "$T/inst/opt/sv-test/share/supervise/policies/base.profile" ]
}
