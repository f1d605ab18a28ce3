#!/usr/bin/env bats
# root.bats - --root DIR (issue 12): the jail's view is built from a prepared tree, not the host.
# The tree is /bin/sh and /bin/cat with the libraries ldd names, and an /etc/os-release with a
# marker; it is made once and cached under the build directory.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	ROOTFS=$(dirname "$SUPERVISE_BIN")/root-tree
	if [ ! -e "$ROOTFS/.done" ]; then
		rm -rf "$ROOTFS"
		mkdir -p "$ROOTFS/bin" "$ROOTFS/etc" "$ROOTFS/tmp" "$ROOTFS/proc" "$ROOTFS/dev"
		cp /bin/sh /bin/cat "$ROOTFS/bin/"
		for l in $(ldd /bin/sh /bin/cat | awk '$1 ~ /^\// && NF > 1 { print $1 } $3 ~ /^\// { print $3 }' | sort -u); do
			mkdir -p "$ROOTFS$(dirname "$l")"
			cp -L "$l" "$ROOTFS$l"
		done
		echo 'NAME="supervise-root-tree"' >"$ROOTFS/etc/os-release"
		chmod -R a+rX "$ROOTFS"
		touch "$ROOTFS/.done"
	fi
	P=$T/work/r.profile
	printf '%s\n' "read /etc" "exec /bin" "exec /lib" "exec /lib64" "exec /usr/lib" \
		"exec /usr/lib64" "write /dev/null" >"$P"
	mkfile "$T/work/host-only" host-secret
	HP=$T/work/h.profile	# the controls': the host's view
	mkprofile "$HP" "exec /bin" "read /etc/os-release" "read $T/work"
}

teardown() {
	teardown_common
}

@test "--root: /etc/os-release is the tree's, not the host's" {
	run -0 sv -q --enforce "$P" --root "$ROOTFS" -- /bin/cat /etc/os-release
	[ "$output" = 'NAME="supervise-root-tree"' ]
	run -0 sv -q --enforce "$HP" -- /bin/cat /etc/os-release	# control: the host's without it
	[ "$output" != 'NAME="supervise-root-tree"' ]
	[[ "$output" == *NAME=* ]]
}

@test "--root: a host file outside the tree is not visible, even with a rule naming it" {
	printf 'read %s\n' "$T/work" >>"$P"
	run -0 sv -q --enforce "$HP" -- /bin/cat "$T/work/host-only"	# control: the host's
	[ "$output" = host-secret ]
	run -1 sv -q --enforce "$P" --root "$ROOTFS" -- /bin/cat "$T/work/host-only"
	[[ "$output" != *host-secret* ]]
	run -0 sv -q --enforce "$P" --root "$ROOTFS" -- /bin/sh -c 'echo $$; echo ok >/dev/null && echo dev'
	[ "${lines[0]}" = 2 ]	# the jail's pid namespace
	[ "${lines[1]}" = dev ]	# the jail's own /dev
}

@test "--root: a tree that is no directory, or lacks /tmp, or a grant line, fails closed" {
	run -125 sv -q --enforce "$P" --root "$T/work/host-only" -- /bin/true
	[ "$output" = "supervise: --root $T/work/host-only: Not a directory" ]
	mkdir -p "$T/work/bare"
	run -125 sv -q --enforce "$P" --root "$T/work/bare" -- /bin/true
	[ "$output" = "supervise: jail: --root $T/work/bare: the tree has no /tmp directory, which the jail needs" ]
	printf 'grant read /etc\n' >>"$P"
	run -125 sv -q --enforce "$P" --root "$ROOTFS" -- /bin/true
	[ "$output" = "supervise: $P: grant and ask lines do not go with --root (they mount host paths)" ]
	run -125 sv -q --audit "$P" --root "$ROOTFS" -- /bin/true
	[ "$output" = "supervise: --root needs the jail: --enforce PROFILE without --no-jail" ]
}

@test "--root: a host line binds that host path into the tree, read-only for read; nothing beside it" {
	mkfile "$T/work/shared.txt" SHARED-FROM-HOST
	printf 'host read %s\n' "$T/work/shared.txt" >>"$P"
	run -0 sv -q --enforce "$P" --root "$ROOTFS" -- /bin/cat "$T/work/shared.txt"
	[ "$output" = SHARED-FROM-HOST ]
	run -1 sv -q --enforce "$P" --root "$ROOTFS" -- /bin/cat "$T/work/host-only"
	[[ "$output" != *host-secret* ]]	# its neighbour stays out
	run sv -q --enforce "$P" --root "$ROOTFS" -- /bin/sh -c "echo x >$T/work/shared.txt"
	[ "$status" -ne 0 ]
	[ "$(cat "$T/work/shared.txt")" = SHARED-FROM-HOST ]	# read: not writable
	[ "$(q "select rule from events where object = '$T/work/shared.txt' and decision = 'allow' limit 1")" = "host read $T/work/shared.txt" ]
	printf 'host read %s\n' "$T/work/missing" >>"$P"
	run -125 sv -q --enforce "$P" --root "$ROOTFS" -- /bin/true
	[[ "$output" == "supervise: jail: host $T/work/missing: No such file or directory" ]]
}

@test "host lines without --root are plain rules; bad ones are one line naming the file and line" {
	mkfile "$T/work/shared.txt" SHARED-FROM-HOST
	mkprofile "$T/work/n.profile" "host read $T/work/shared.txt"
	run -0 sv -q --enforce "$T/work/n.profile" -- cat "$T/work/shared.txt"
	[ "$output" = SHARED-FROM-HOST ]
	mkprofile "$T/work/b.profile" "host read $T/work/*.txt"
	run -125 sv -q --enforce "$T/work/b.profile" -- /bin/true
	[ "$output" = "supervise: $T/work/b.profile:3: 'host' takes a path, not @arg or a wildcard" ]
}
