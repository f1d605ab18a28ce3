#!/usr/bin/env bats
# landlock.bats - the jail's Landlock layer (jail/landlock.h): filesystem rules from the plan under
# the mount view, a simulated mistake of the view still denied, grants as the potential set, IPC
# scopes, live grants kept when no "landlock fs" line asks for the layer.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	# outside every tree the base profile and the jail allow (not below /tmp, /var/tmp, /dev)
	S=$(mktemp -d /var/lib/supervise-ll.XXXXXX)
	chmod 755 "$S"
	mkdir -p "$S/mistake" "$S/granted"
	mkfile "$S/mistake/f" SECRET
	mkfile "$S/granted/g" GRANTED
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$S"
	return 0
}
teardown() {
	[ -n "${S:-}" ] && rm -rf "$S"
	teardown_common
}

# need_landlock: skip (with the reason) on a kernel without Landlock.
need_landlock() {
	mkprofile "$T/probe.profile" "landlock fs"
	run sv -q --enforce "$T/probe.profile" true
	[ "$status" -eq 0 ] || skip "no Landlock on this kernel: $output"
}

# need_scopes: skip unless the kernel scopes signals (Landlock ABI 6, Linux 6.12).
need_scopes() {
	mkprofile "$T/probe.profile" "landlock fs"
	run sv -v --enforce "$T/probe.profile" true
	[[ "$output" == *"scoped: abstract unix sockets, signals"* ]] || skip "Landlock ABI < 6: no scopes"
}

# The commands below reach the kernel without the supervisor: unlink, mkdir, symlink and rename
# are not trapped under enforce in a jail (the view decides them), so only the mount view and
# Landlock stand in their way.
mutate() { echo "rm $S/mistake/f; mkdir $S/mistake/d; ln -s x $S/mistake/l; echo tail"; }

@test "with 'landlock fs', -v names the ABI, the rules and the scopes, and the run has no control socket" {
	need_landlock
	mkprofile "$T/p.profile" "landlock fs"
	run sv -v --enforce "$T/p.profile" true
	[ "$status" -eq 0 ]
	[[ "$output" =~ "supervise: jail: Landlock ABI "[0-9]+": filesystem rules on "[0-9]+" paths, handling execute,write_file,read_file,read_dir" ]]
	[[ "$output" == *"no control socket: \"landlock fs\" fixes the jail's rights at start"* ]]
	[ "$(q "select count(*) from runs where control is not null")" = 0 ]
}

@test "a mistake in the mount view (an extra read-write bind) is still denied by Landlock" {
	need_landlock
	mkprofile "$T/p.profile" "landlock fs"
	run env SUPERVISE_TEST_VIEW_MISTAKE="$S/mistake" \
		"${RUNAS[@]}" env HOME="$T/home" PATH="$PATH" "$SV" --db "$DB" \
		${SUPERVISE_BACKEND:+--backend "$SUPERVISE_BACKEND"} --enforce "$T/p.profile" \
		sh -c "grep -c ' $S/mistake ' /proc/self/mountinfo; $(mutate)"
	[[ "$output" == *"SUPERVISE_TEST_VIEW_MISTAKE: $S/mistake bound read-write"* ]]
	[[ "$output" == *$'\n1\n'* ]]	# the mistake is in the view
	[[ "$output" == *"cannot remove '$S/mistake/f': Permission denied"* ]]
	[[ "$output" == *"cannot create directory"*"Permission denied"* ]]
	[[ "$output" == *"failed to create symbolic link"*"Permission denied"* ]]
	[ "$(cat "$S/mistake/f")" = SECRET ]
	[ ! -e "$S/mistake/d" ] && [ ! -L "$S/mistake/l" ]
	# the supervisor saw none of it: Landlock denied these calls, not supervise
	[ "$(q "select count(*) from events where object like '$S/mistake%'")" = 0 ]
}

@test "without the Landlock layer the same mistake goes through (the negative control)" {
	mkprofile "$T/p.profile" "landlock off"
	run env SUPERVISE_TEST_VIEW_MISTAKE="$S/mistake" \
		"${RUNAS[@]}" env HOME="$T/home" PATH="$PATH" "$SV" --db "$DB" \
		${SUPERVISE_BACKEND:+--backend "$SUPERVISE_BACKEND"} --enforce "$T/p.profile" \
		sh -c "$(mutate)"
	[ "$status" -eq 0 ]
	[ ! -e "$S/mistake/f" ] && [ -d "$S/mistake/d" ] && [ -L "$S/mistake/l" ]
}

@test "a grant line's path is in the potential set: mounted on first touch and readable under 'landlock fs'" {
	need_landlock
	mkprofile "$T/p.profile" "landlock fs" "grant read $S/granted"
	run sv --enforce "$T/p.profile" sh -c "cat $S/granted/g; ls $S/granted"
	[ "$status" -eq 0 ]
	[[ "$output" == *GRANTED* ]]
	[[ "$output" == *"grant read $S/granted: granted on first touch"* ]]
}

@test "the jail's own trees keep working under 'landlock fs': /tmp, /dev, /proc, pipes, the loader, python" {
	need_landlock
	mkprofile "$T/p.profile" "landlock fs" "write $T/work"
	run sv -q --enforce "$T/p.profile" sh -c '
		echo a >/tmp/x && mkdir /tmp/d && mv /tmp/x /tmp/d/y && rm -r /tmp/d &&
		echo b >/dev/null && head -c4 /dev/urandom | wc -c && echo c >/dev/shm/s && rm /dev/shm/s &&
		grep -q ^Name: /proc/self/status && echo pipe | cat && mkfifo /tmp/f && rm /tmp/f &&
		echo out >out.txt && mv out.txt moved.txt && cat moved.txt &&
		python3 -c "import json, socket; print(json.dumps(1))" && echo ALL-OK'
	[ "$status" -eq 0 ]
	[[ "$output" == *ALL-OK* ]]
	[ "$(cat "$T/work/moved.txt")" = out ]
}

@test "'landlock fs' scopes signals: the command cannot signal the jail's pid 1, which 'landlock off' allows" {
	need_landlock
	need_scopes
	mkprofile "$T/p.profile" "landlock fs"
	run sv -q --enforce "$T/p.profile" sh -c 'kill -0 1 && echo SENT || echo REFUSED'
	[ "$status" -eq 0 ]
	[[ "$output" == *"Operation not permitted"*REFUSED* ]]
	mkprofile "$T/p.profile" "landlock off"
	run sv -q --enforce "$T/p.profile" sh -c 'kill -0 1 && echo SENT || echo REFUSED'
	[ "$output" = SENT ]
}

@test "abstract unix sockets: the jail's own work under the scope, the host's stay reachable with net host" {
	need_landlock
	mkprofile "$T/p.profile" "landlock fs" "net loopback"
	run sv -q --enforce "$T/p.profile" python3 -c "
import socket
s = socket.socket(socket.AF_UNIX); s.bind('\0sv-ll-$$'); s.listen()
c = socket.socket(socket.AF_UNIX); c.connect('\0sv-ll-$$'); print('INNER-OK')"
	[ "$status" -eq 0 ]
	[ "$output" = INNER-OK ]
	python3 -c "
import socket, time
s = socket.socket(socket.AF_UNIX); s.bind('\0sv-ll-host-$$'); s.listen(); time.sleep(20)" &
	local lp=$!
	sleep 0.5
	mkprofile "$T/p.profile" "landlock fs" "net host" "connect unix @sv-ll-host-$$"
	run sv -q --enforce "$T/p.profile" python3 -c "
import socket
c = socket.socket(socket.AF_UNIX); c.connect('\0sv-ll-host-$$'); print('HOST-OK')"
	kill "$lp" 2>/dev/null || true
	[ "$status" -eq 0 ]
	[ "$output" = HOST-OK ]
}

@test "without a landlock line, live grants keep working: -v says the filesystem is not restricted" {
	mkprofile "$T/p.profile"
	run sv -v --enforce "$T/p.profile" true
	[ "$status" -eq 0 ]
	if [[ "$output" == *"Landlock ABI"* ]]; then
		[[ "$output" == *"filesystem not restricted (the run takes live grants"* ]]
	fi
	[ "$(q "select count(*) from runs where control is not null")" = 1 ]
}

@test "a bad landlock line is refused with its line number" {
	mkprofile "$T/p.profile" "landlock maybe"
	run sv --enforce "$T/p.profile" true
	[ "$status" -eq 125 ]
	[[ "$output" == *"p.profile:3: 'landlock' takes fs or off"* ]]
}
