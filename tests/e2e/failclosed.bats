#!/usr/bin/env bats
# failclosed.bats - what a run does when its database, its profile or its own end goes wrong:
# errors before the fork stop the run, a log that cannot be written stops the tree, signals
# reach the tree and a tree that ignores them is killed (issue 18).

load helpers
bats_require_minimum_version 1.5.0

setup() { setup_common; }
teardown() { teardown_common; }

# corrupt_db: overwrite pages 3-8 of $DB (4096-byte pages) with a fixed pattern, keeping the
# header page intact, so that the database opens and a read of the profiles fails.
corrupt_db() {
	q 'pragma wal_checkpoint(truncate)' >/dev/null
	[ "$(q 'pragma page_size')" -eq 4096 ]
	[ "$(q 'pragma page_count')" -ge 8 ]
	head -c $((6 * 4096)) /dev/zero | tr '\0' '\253' |
		dd of="$DB" bs=4096 seek=2 count=6 conv=notrunc status=none
}

@test "a database whose middle pages are corrupt stops enforce and learn before the fork" {
	mkprofile "$T/p.profile" "read $T/work"
	for i in 1 2 3 4 5 6; do
		sv -q --learn -p "p$i" cat /etc/hostname >/dev/null
	done
	corrupt_db
	for mode in "--enforce p1" "--learn -p p1"; do
		# shellcheck disable=SC2086
		run sv $mode sh -c "touch $T/work/ran"
		echo "$mode: $output"
		[ "$status" -eq 125 ]
		[ "${#lines[@]}" -eq 1 ]
		[[ "${lines[0]}" == "supervise: "*"$DB: "*"malformed"* ]]
		[ ! -e "$T/work/ran" ]
	done
}

@test "a profile path longer than PATH_MAX and an over-long line are errors naming file and line" {
	long=$(printf '/%0200d' $(seq 1 25) | tr 0 a)	# 25 components of 201 bytes
	mkprofile "$T/p.profile" "read $long"
	run sv --enforce "$T/p.profile" sh -c "touch $T/work/ran"
	[ "$status" -eq 125 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "${lines[0]}" = "supervise: $T/p.profile:3: path of 5025 bytes is longer than PATH_MAX (4095)" ]
	long=$(head -c 200000 /dev/zero | tr '\0' a)
	mkprofile "$T/q.profile" "read /$long"
	run sv --enforce "$T/q.profile" sh -c "touch $T/work/ran"
	[ "$status" -eq 125 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "${lines[0]}" = "supervise: $T/q.profile:3: line of 200006 bytes is longer than the limit (32768)" ]
	run sv profile import "$T/q.profile"
	[ "$status" -eq 125 ]
	[[ "$output" == *"q.profile:3: line of 200006 bytes"* ]]
	[ ! -e "$T/work/ran" ]
}
