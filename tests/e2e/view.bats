#!/usr/bin/env bats
# view.bats - the jail's view when two rules name one host tree (through a link and by its real
# path): it is bound once, and a deny written through the link stays masked. Before the jail left
# out binds that change nothing, the second bind of the tree covered the mask placed between the
# two, and the file was readable by its real path.

load helpers

setup() { setup_common; }
teardown() { teardown_common; }

@test "view: a tree named through a link and by its path keeps a deny written through the link" {
	local w=$T/work/w
	mkdir -p "$w/z/A"
	mkfile "$w/z/A/secret" s3cret
	mkfile "$w/z/A/open" open
	ln -s z/A "$w/L"
	mkprofile "$T/p.profile" "read $w/L" "read $w/z/A" "deny $w/L/secret"
	run sv -q --enforce "$T/p.profile" cat "$w/z/A/open"
	[ "$status" -eq 0 ]
	[ "$output" = open ]	# control: the tree is visible by its real path
	run sv -q --enforce "$T/p.profile" cat "$w/L/open"
	[ "$status" -eq 0 ]
	[ "$output" = open ]	# and through the link
	run sv -q --enforce "$T/p.profile" cat "$w/z/A/secret"
	[ "$status" -ne 0 ]
	[[ "$output" != *s3cret* ]]
	run sv -q --enforce "$T/p.profile" cat "$w/L/secret"
	[ "$status" -ne 0 ]
	[[ "$output" != *s3cret* ]]
}

@test "view: a file under a tree bound with the same flags needs no bind of its own, and runs" {
	mkprofile "$T/p.profile" "exec /usr/bin/true" "exec /bin"
	run sv -q --enforce "$T/p.profile" /usr/bin/true
	[ "$status" -eq 0 ]
	run sv -q --enforce "$T/p.profile" /bin/true
	[ "$status" -eq 0 ]
}
