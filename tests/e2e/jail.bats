#!/usr/bin/env bats
# jail.bats - what a user relies on inside `supervise --enforce`'s jail: the filesystem view, /tmp,
# /dev, /proc, ids, hostname, network, kernel-enforced rights and denies (also against a racing
# thread), session and TIOCSTI, capabilities, refused syscalls, death with supervise, learn→enforce
# round trips and the starting directory. Each property comes with a negative case or a control
# that shows the check is not vacuous.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	SRV=
}

teardown() {
	[ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null
	teardown_common
}

# own PATH...: give PATH (recursively) to the test user.
own() {
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$@"
	return 0
}

# build_racer: compile tests/e2e/racer.c into $T/bin/racer.
build_racer() {
	cc -O2 -pthread -o "$T/bin/racer" "$BATS_TEST_DIRNAME/racer.c"
}

# descendants PID: every live descendant of PID, one per line.
descendants() {
	local -A kids=()
	local s st rest pid ppid queue out=()
	for s in /proc/[0-9]*/stat; do
		st=$(cat "$s" 2>/dev/null) || continue
		rest=${st##*) }
		pid=${s#/proc/}
		pid=${pid%/stat}
		read -r _ ppid _ <<<"$rest"
		kids[$ppid]+="$pid "
	done
	queue=("$1")
	while [ ${#queue[@]} -gt 0 ]; do
		pid=${queue[0]}
		queue=("${queue[@]:1}")
		for s in ${kids[$pid]:-}; do
			out+=("$s")
			queue+=("$s")
		done
	done
	[ ${#out[@]} -gt 0 ] && printf '%s\n' "${out[@]}"
	return 0
}

# start_host_server: a TCP server on the host's 127.0.0.1 (port 0) that greets with HOSTSRV;
# sets SRV (its pid) and PORT.
start_host_server() {
	cat >"$T/srv.py" <<-'EOF'
		import os, socket, sys
		s = socket.socket()
		s.bind(("127.0.0.1", 0))
		s.listen(16)
		open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
		os.rename(sys.argv[1] + ".tmp", sys.argv[1])
		while True:
		    c, _ = s.accept()
		    c.sendall(b"HOSTSRV\n")
		    c.close()
	EOF
	python3 "$T/srv.py" "$T/port" >/dev/null 2>&1 3>&- &
	SRV=$!
	for _ in $(seq 50); do
		[ -s "$T/port" ] && break
		sleep 0.1
	done
	PORT=$(cat "$T/port")
	[[ "$PORT" =~ ^[0-9]+$ ]]
}

@test "jail /tmp: a host file under /tmp is invisible unless named; /tmp inside is private and writable" {
	mkfile "$T/work/x" HOST-X-CONTENT
	mkfile "$T/work/y" HOST-Y-CONTENT
	name=made-inside-${T##*.}
	# `tmpfs /tmp` lets the supervisor pass every path under /tmp: only the jail can hide $T/work/x
	mkprofile "$T/p.profile" "tmpfs /tmp"
	run sv -q --enforce "$T/p.profile" sh -c "
		test -e $T/work/x && echo X-VISIBLE
		cat $T/work/x
		echo made > /tmp/$name && cat /tmp/$name && echo \"tmp: \$(ls -A /tmp)\""
	[ "$status" -eq 0 ]
	[[ "$output" != *X-VISIBLE* ]]
	[[ "$output" != *HOST-X-CONTENT* ]]
	[[ "$output" == *"cat: $T/work/x: "* ]]	# refused (EACCES) or absent (ENOENT): never read
	[ "${lines[-2]}" = made ]
	[ "${lines[-1]}" = "tmp: $name" ]	# the only entry of the jail's /tmp
	[ ! -e "/tmp/$name" ]		# never reached the host
	[ -e "$T/work/x" ]
	# private per run: the next jail does not see the previous one's file
	run sv -q --enforce "$T/p.profile" sh -c "test -e /tmp/$name && echo STILL-THERE; echo done"
	[ "$output" = done ]
	# named: visible (and only what is named)
	mkprofile "$T/named.profile" "read $T/work/x"
	run sv -q --enforce "$T/named.profile" sh -c "cat $T/work/x; test -e $T/work/y && echo Y-VISIBLE; true"
	[ "$status" -eq 0 ]
	[ "$output" = HOST-X-CONTENT ]
}

@test "jail /dev: only the standard entries; host devices absent; /dev/null writable" {
	mkprofile "$T/p.profile" "read /dev" "write /dev/full"
	run sv -q --enforce "$T/p.profile" ls -A /dev
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' ' ')" = "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero " ]
	# host devices that exist out there are absent in here, even though "read /dev" would pass them
	hostdevs=()
	for d in kmsg mem sda vda nvme0n1 xvda console tty0 loop0; do
		[ -e "/dev/$d" ] && hostdevs+=("/dev/$d")
	done
	[ ${#hostdevs[@]} -gt 0 ]
	for d in "${hostdevs[@]}"; do
		run sv -q --enforce "$T/p.profile" sh -c "test -e $d && echo PRESENT; cat $d"
		[ "$status" -ne 0 ]
		[[ "$output" != *PRESENT* ]]
		[[ "$output" == *"$d: No such file or directory"* ]]
	done
	run sv -q --enforce "$T/p.profile" sh -c 'echo x > /dev/null && echo NULL-OK; head -c 4 /dev/zero | od -An -tx1; head -c 1 /dev/zero > /dev/full || echo FULL-REFUSED'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = NULL-OK ]
	[ "$(echo ${lines[1]})" = "00 00 00 00" ]
	[[ "$output" == *"No space left on device"*FULL-REFUSED* ]]	# the device itself answered
}

@test "jail /proc: the jail's own pid namespace (command is pid 2, pid 1 is supervise's init, no host pids)" {
	mkprofile "$T/p.profile" "read /proc"
	run sv -q --enforce "$T/p.profile" python3 -c 'import os; print(os.getpid(), os.getppid())'
	[ "$status" -eq 0 ]
	[ "$output" = "2 1" ]
	run sv -q --enforce "$T/p.profile" ls /proc
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -E '^[0-9]+$' | sort -n | tr '\n' ' ')" = "1 2 " ]
	[[ "$output" == *self* ]]
	[ -e "/proc/$$" ]	# control: the test's own pid exists on the host ...
	run sv -q --enforce "$T/p.profile" sh -c "test -e /proc/$$ && echo HOST-PID-VISIBLE; echo checked"
	[ "$status" -eq 0 ]
	[ "$output" = checked ]	# ... but not in the jail
	# pid 1 is a copy of supervise (the jail's init)
	run sv -q --enforce "$T/p.profile" sh -c 'tr "\0" "\n" </proc/1/cmdline | head -n 3'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' "$SV" --db "$DB")" ]
}

@test "jail ids: uid and gid inside are the outer ones, not root unless the user is root" {
	want_u=$(as_user id -u)
	want_g=$(as_user id -g)
	mkprofile "$T/p.profile"
	run sv -q --enforce "$T/p.profile" sh -c 'id -u; id -g'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$want_u" ]
	[ "${lines[1]}" = "$want_g" ]
	if [ "${SUPERVISE_AS:-self}" = nobody ]; then
		[ "${lines[0]}" = 65534 ]
		[ "${lines[1]}" = 65534 ]
	fi
}

@test "jail hostname: 'supervise' inside, the host's unchanged, and it cannot be changed from inside" {
	before=$(uname -n)
	mkprofile "$T/p.profile"
	run sv -q --enforce "$T/p.profile" uname -n
	[ "$status" -eq 0 ]
	[ "$output" = supervise ]
	run sv -q --enforce "$T/p.profile" hostname evil-name
	[ "$status" -ne 0 ]
	[ "$(uname -n)" = "$before" ]
	[ "$(uname -n)" != evil-name ]
}

@test "jail net: none and no net line cut everything, loopback has its own lo, host reaches the host" {
	start_host_server
	client="
import socket
c = socket.socket(); c.settimeout(3)
try:
    c.connect(('127.0.0.1', $PORT)); print('HOST', c.recv(100).decode().strip())
except OSError as e:
    print('HOST-FAIL', e.errno)
s = socket.socket()
try:
    s.bind(('127.0.0.1', 0)); s.listen(1)
    c = socket.socket(); c.settimeout(3); c.connect(s.getsockname())
    a, _ = s.accept(); a.sendall(b'INNER'); print('LO', c.recv(100).decode())
except OSError as e:
    print('LO-FAIL', e.errno)
"
	# control: the server answers on the host
	run python3 -c "$client"
	[ "${lines[0]}" = "HOST HOSTSRV" ]
	for net in "net none" ""; do
		mkprofile "$T/p.profile" ${net:+"$net"}
		run sv -q --enforce "$T/p.profile" python3 -c "$client"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "HOST-FAIL 101" ]	# ENETUNREACH: no interface is up
		[ "${lines[1]}" = "LO-FAIL 101" ]
	done
	mkprofile "$T/p.profile" "net loopback"
	run sv -q --enforce "$T/p.profile" python3 -c "$client"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "HOST-FAIL 111" ]	# ECONNREFUSED: its own lo, where nobody listens
	[ "${lines[1]}" = "LO INNER" ]
	mkprofile "$T/p.profile" "net host"
	run sv -q --enforce "$T/p.profile" python3 -c "$client"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "HOST HOSTSRV" ]
	[ "${lines[1]}" = "LO INNER" ]
	kill "$SRV"
	SRV=
}

@test "jail rights: write/read/exec are kernel-enforced (ro, noexec) and files written show on the host" {
	mkdir -p "$T/work/rw" "$T/work/ro" "$T/work/ex"
	printf '#!/bin/sh\necho RAN\ntouch %s\n' "$T/work/rw/ran" >"$T/work/ro/run.sh"
	chmod 755 "$T/work/ro/run.sh"
	cp -p "$T/work/ro/run.sh" "$T/work/ex/run.sh"
	cp -p "$T/work/ro/run.sh" "$T/work/rw/run.sh"
	own "$T/work"
	# (exec /bin: the scripts' interpreter, /bin/sh, where /bin may be a link to usr/bin)
	mkprofile "$T/p.profile" "exec /bin" "write $T/work/rw" "read $T/work/ro" "exec $T/work/ex"
	# write: creation works and the file is on the host afterwards
	run sv -q --enforce "$T/p.profile" sh -c "echo new > $T/work/rw/created && mkdir $T/work/rw/dir"
	[ "$status" -eq 0 ]
	[ "$(cat "$T/work/rw/created")" = new ]
	[ -d "$T/work/rw/dir" ]
	# read: creation fails
	run sv -q --enforce "$T/p.profile" sh -c "echo new > $T/work/ro/created"
	[ "$status" -ne 0 ]
	[ ! -e "$T/work/ro/created" ]
	# ... and the kernel refuses it too: the supervisor does not judge mkdir/rename, the mount does
	run sv -q --enforce "$T/p.profile" sh -c "mkdir $T/work/ro/dir; mv $T/work/ro/run.sh $T/work/ro/moved"
	[ "$status" -ne 0 ]
	[[ "$output" == *"mkdir: cannot create directory '$T/work/ro/dir': Read-only file system"* ]] ||
		[[ "$output" == *"$T/work/ro/dir"*"Read-only file system"* ]]
	[[ "$output" == *"$T/work/ro/moved"*"Read-only file system"* ]]
	[ ! -e "$T/work/ro/dir" ]
	[ -x "$T/work/ro/run.sh" ] && [ ! -e "$T/work/ro/moved" ]
	# exec: a +x script in a read (or write) directory does not run
	for d in ro rw; do
		run sv -q --enforce "$T/p.profile" "$T/work/$d/run.sh"
		[ "$status" -eq 126 ]
		[[ "$output" != *RAN* ]]
		[ ! -e "$T/work/rw/ran" ]
	done
	# ... the kernel refuses executable mappings there (noexec), which no rule of the supervisor sees
	mmap="
import mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
try:
    mmap.mmap(fd, 0, prot=mmap.PROT_READ | mmap.PROT_EXEC); print('MAPPED')
except OSError as e:
    print('REFUSED', e.errno)"
	run sv -q --enforce "$T/p.profile" python3 -c "$mmap" "$T/work/ro/run.sh"
	[ "$output" = "REFUSED 1" ]
	# control: the same script in an exec directory runs, and its mapping is allowed
	run sv -q --enforce "$T/p.profile" python3 -c "$mmap" "$T/work/ex/run.sh"
	[ "$output" = MAPPED ]
	run sv -q --enforce "$T/p.profile" "$T/work/ex/run.sh"
	[ "$status" -eq 0 ]
	[ "$output" = RAN ]
	[ -e "$T/work/rw/ran" ]
}

@test "jail deny: a denied file inside an allowed tree stays unreadable, also to a racing thread" {
	build_racer
	mkdir -p "$T/work/tree"
	mkfile "$T/work/tree/open.txt" public
	mkfile "$T/work/tree/deny.txt" TOP-SECRET-CONTENT
	own "$T/work"
	mkprofile "$T/p.profile" "exec $T/bin" "read $T/work/tree" "deny $T/work/tree/deny.txt"
	run sv -q --enforce "$T/p.profile" cat "$T/work/tree/open.txt"
	[ "$status" -eq 0 ]
	[ "$output" = public ]
	run sv -q --enforce "$T/p.profile" cat "$T/work/tree/deny.txt"
	[ "$status" -eq 1 ]
	[[ "$output" != *TOP-SECRET* ]]
	run sv -q --enforce "$T/p.profile" "$T/bin/racer" "$T/work/tree/open.txt" "$T/work/tree/deny.txt" 20000 TOP-SECRET
	echo "# jail: $output" >&3
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^secret=0\ allowed=[1-9][0-9]*\ failed=[1-9][0-9]*$ ]]	# raced both ways, never won
	# demonstration only: the supervisor's check alone loses this race
	run sv -q --no-jail --enforce "$T/p.profile" "$T/bin/racer" "$T/work/tree/open.txt" "$T/work/tree/deny.txt" 20000 TOP-SECRET
	echo "# --no-jail (supervisor check alone): $output (of 20000 opens; secret=N is how often the racer won)" >&3
}

@test "jail deny with a wildcard: a denied file inside an allowed tree stays unreadable to a racing thread" {
	build_racer
	mkdir -p "$T/work/tree"
	mkfile "$T/work/tree/open.txt" public
	mkfile "$T/work/tree/deny.key" TOP-SECRET-CONTENT
	own "$T/work"
	for rule in "deny $T/work/tree/*.key" "deny $T/work/**/deny.key"; do
		mkprofile "$T/p.profile" "exec $T/bin" "read $T/work/tree" "$rule"
		run sv -q --enforce "$T/p.profile" cat "$T/work/tree/deny.key"
		[ "$status" -eq 1 ]
		[[ "$output" != *TOP-SECRET* ]]
		run sv -q --enforce "$T/p.profile" "$T/bin/racer" "$T/work/tree/open.txt" "$T/work/tree/deny.key" 20000 TOP-SECRET
		echo "# jail, $rule: $output" >&3
		[ "$status" -eq 0 ]
		[[ "$output" =~ ^secret=0\ allowed=[1-9][0-9]*\ failed=[1-9][0-9]*$ ]]
	done
}

@test "jail session and TIOCSTI: a new session; TIOCSTI/TIOCLINUX refused with EPERM, also with garbage in the upper 32 bits" {
	cat >"$T/work/tio.py" <<-'EOF'
		import ctypes, errno, os
		libc = ctypes.CDLL(None, use_errno=True)
		libc.syscall.restype = ctypes.c_long
		print("session", os.getsid(0) == os.getpid())
		fd = os.open("/dev/null", os.O_RDONLY)
		c = ctypes.c_char(b"x")
		for name, cmd in [("TIOCSTI", 0x5412), ("TIOCSTI-hi", 0x100005412),
		                  ("TIOCSTI-hi2", 0xdead000000005412), ("TIOCLINUX", 0x541C),
		                  ("TIOCGWINSZ", 0x5413)]:
		    ctypes.set_errno(0)
		    r = libc.syscall(ctypes.c_long(16), ctypes.c_long(fd), ctypes.c_ulong(cmd), ctypes.byref(c))
		    print(name, r, errno.errorcode.get(ctypes.get_errno(), ctypes.get_errno()))
	EOF
	own "$T/work"
	# control: without the filter every one of them is ENOTTY on /dev/null
	run as_user python3 "$T/work/tio.py"
	[ "${lines[1]}" = "TIOCSTI -1 ENOTTY" ]
	[ "${lines[2]}" = "TIOCSTI-hi -1 ENOTTY" ]
	mkprofile "$T/p.profile" "read $T/work/tio.py"
	run sv -q --enforce "$T/p.profile" python3 "$T/work/tio.py"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "session True" ]
	[ "${lines[1]}" = "TIOCSTI -1 EPERM" ]
	[ "${lines[2]}" = "TIOCSTI-hi -1 EPERM" ]
	[ "${lines[3]}" = "TIOCSTI-hi2 -1 EPERM" ]
	[ "${lines[4]}" = "TIOCLINUX -1 EPERM" ]
	[ "${lines[5]}" = "TIOCGWINSZ -1 ENOTTY" ]	# other ioctls are left alone
	# the shell's view of the same: its session id is its own pid
	run sv -q --enforce "$T/p.profile" python3 -c 'import os; print(os.getsid(0), os.getpid(), os.getpgid(0))'
	[ "$output" = "2 2 2" ]
}

@test "jail capabilities: none (effective and bounding), no_new_privs set, also for root" {
	mkprofile "$T/p.profile" "read /proc"
	# control: outside, the bounding set is full (and root has effective capabilities)
	run as_user grep '^CapBnd:' /proc/self/status
	[[ "$output" != *"0000000000000000"* ]]
	run sv -q --enforce "$T/p.profile" grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "CapInh: 0000000000000000 CapPrm: 0000000000000000 CapEff: 0000000000000000 CapBnd: 0000000000000000 CapAmb: 0000000000000000 NoNewPrivs: 1" ]
	# what that means even for uid 0: a mode-600 file of another user cannot be read
	mkfile "$T/work/other" OTHER-USERS-DATA
	chown 12345:12345 "$T/work/other"
	chmod 600 "$T/work/other"
	mkprofile "$T/p2.profile" "read $T/work"
	run sv -q --enforce "$T/p2.profile" cat "$T/work/other"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Permission denied"* ]]
	[[ "$output" != *OTHER-USERS-DATA* ]]
}

@test "jail refused syscalls: user namespaces, mount and umount fail; --strict kills with SIGSYS (159)" {
	cat >"$T/work/mnt.py" <<-'EOF'
		import ctypes, errno, sys
		libc = ctypes.CDLL(None, use_errno=True)
		if sys.argv[1] == "umount":
		    r = libc.umount2(sys.argv[2].encode(), 2)  # MNT_DETACH
		else:
		    r = libc.mount(b"none", sys.argv[2].encode(), b"tmpfs", 0, None)
		e = ctypes.get_errno()
		print(sys.argv[1], r, errno.errorcode.get(e, e))
	EOF
	mkdir -p "$T/work/tree"
	mkfile "$T/work/tree/deny.txt" MASKED-SECRET
	own "$T/work"
	# control: outside the jail the user can create a user namespace
	run as_user unshare -U true
	[ "$status" -eq 0 ]
	mkprofile "$T/p.profile" "read $T/work" "deny $T/work/tree/deny.txt" "tmpfs /tmp"
	run sv -q --enforce "$T/p.profile" unshare -U true
	[ "$status" -eq 1 ]
	[[ "$output" == *"Operation not permitted"* ]]
	for args in "umount /tmp" "mount /tmp" "umount $T/work/tree/deny.txt"; do
		run sv -q --enforce "$T/p.profile" python3 "$T/work/mnt.py" $args
		[ "$status" -eq 0 ]
		[ "$output" = "${args%% *} -1 EPERM" ]
	done
	# the mask is still in place after the attempt to unmount it
	run sv -q --enforce "$T/p.profile" sh -c "python3 $T/work/mnt.py umount $T/work/tree/deny.txt; cat $T/work/tree/deny.txt"
	[[ "$output" != *MASKED-SECRET* ]]
	# --strict: the refused syscall kills the command with SIGSYS
	run sv -q --strict --enforce "$T/p.profile" unshare -U true
	[ "$status" -eq 159 ]
	run sv -q --strict --enforce "$T/p.profile" python3 "$T/work/mnt.py" umount /tmp
	[ "$status" -eq 159 ]
	[[ "$output" != *"umount -1"* ]]
	# control: --strict leaves allowed syscalls alone
	run sv -q --strict --enforce "$T/p.profile" sh -c 'echo fine'
	[ "$status" -eq 0 ]
	[ "$output" = fine ]
}

@test "jail lifetime: SIGKILL of supervise kills every process of the jail" {
	mkprofile "$T/p.profile"
	sv_exec --enforce "$T/p.profile" sleep 300 &
	sv_pid=$!
	sleep_pid=
	for _ in $(seq 50); do
		jail=$(descendants "$sv_pid")
		for p in $jail; do
			[ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" = "sleep 300 " ] && sleep_pid=$p
		done
		[ -n "$sleep_pid" ] && break
		sleep 0.1
	done
	[ -n "$sleep_pid" ]
	alive "$sleep_pid"
	[ "$(echo $jail | wc -w)" -ge 3 ]	# the namespace holder, the jail's init and the sleep
	kill -KILL "$sv_pid"
	wait "$sv_pid" || true
	for _ in $(seq 30); do
		left=0
		for p in $jail; do
			alive "$p" && left=$((left + 1))
		done
		[ $left -eq 0 ] && break
		sleep 0.1
	done
	! alive "$sleep_pid"
	for p in $jail; do
		! alive "$p"
	done
}

@test "jail learn→enforce round trip: python3 replays tightly (another input in the same directory fails); ls replays" {
	mkfile "$T/work/in1.txt" INPUT-ONE
	mkfile "$T/work/in2.txt" INPUT-TWO
	mkdir "$T/run"
	own "$T/run"
	cd "$T/run"	# not the input directory: python lists its cwd (learn fences a listed directory; kept apart to stay simple)
	prog='import json; print(open("'"$T/work"'/in1.txt").read())'
	run sv -q --learn -p py python3 -c "$prog"
	[ "$status" -eq 0 ]
	[ "$output" = INPUT-ONE ]
	run sv -q --enforce py python3 -c "$prog"
	[ "$status" -eq 0 ]
	[ "$output" = INPUT-ONE ]
	run sv -q --enforce py python3 -c "${prog/in1/in2}"
	[ "$status" -ne 0 ]
	[[ "$output" != *INPUT-TWO* ]]
	[[ "$output" == *"in2.txt"* ]]
	# ls of a directory
	run sv -q --learn -p lsw ls "$T/work"
	[ "$status" -eq 0 ]
	learned=$output
	[ "$learned" = "$(printf 'in1.txt\nin2.txt')" ]
	run sv -q --enforce lsw ls "$T/work"
	[ "$status" -eq 0 ]
	[ "$output" = "$learned" ]
	run sv -q --enforce lsw ls "$T/home"
	[ "$status" -ne 0 ]
	[[ "$output" != *db.sqlite* ]]
}

@test "jail learn→enforce round trip of a '#!/bin/sh' script: the interpreter is in the view" {
	printf '#!/bin/sh\necho SCRIPT-RAN\n' >"$T/work/s.sh"
	chmod 755 "$T/work/s.sh"
	own "$T/work"
	run sv -q --learn -p scr "$T/work/s.sh"
	[ "$status" -eq 0 ]
	[ "$output" = SCRIPT-RAN ]
	run sv -q --no-jail --enforce scr "$T/work/s.sh"	# control: the supervisor's check passes it
	[ "$status" -eq 0 ]
	[ "$output" = SCRIPT-RAN ]
	run sv -q --enforce scr "$T/work/s.sh"
	[ "$status" -eq 0 ]
	[ "$output" = SCRIPT-RAN ]
}

@test "jail cwd: the command starts in the working directory when the profile shows it, else in /" {
	mkdir -p "$T/work/sub"
	mkfile "$T/work/rel.txt" RELATIVE
	own "$T/work"
	mkprofile "$T/p.profile" "read $T/work"
	run sv -q --enforce "$T/p.profile" pwd
	[ "$status" -eq 0 ]
	[ "$output" = "$T/work" ]
	run sv -q --enforce "$T/p.profile" cat rel.txt
	[ "$output" = RELATIVE ]
	mkprofile "$T/other.profile" "read $T/home"
	run sv -q --enforce "$T/other.profile" pwd
	[ "$status" -eq 0 ]
	[ "$output" = / ]
	# a masked working directory is not entered either
	mkprofile "$T/masked.profile" "read $T/work" "deny $T/work/sub"
	cd "$T/work/sub"
	run sv -q --enforce "$T/masked.profile" pwd
	[ "$output" = / ]
	run sv -v --enforce "$T/masked.profile" true
	[[ "$output" == *"supervise: jail: $T/work/sub is not in the profile's view; starting in /"* ]]
}

@test "jail: a rule reached through chained links (absolute, then relative) is placed and readable" {
	mkdir -p "$T/work/real/d"
	mkfile "$T/work/real/d/f.txt" CHAINED
	ln -s "$T/work/real" "$T/work/abs"
	ln -s d "$T/work/real/rel"
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R -h 65534:65534 "$T/work"
	mkprofile "$T/p.profile" "read $T/work/abs/rel/f.txt"
	run sv -q --enforce "$T/p.profile" cat "$T/work/abs/rel/f.txt"
	[ "$status" -eq 0 ]
	[ "$output" = CHAINED ]
}

@test "jail: learn records a library mapped executable outside base's trees, so it replays" {
	mkdir -p "$T/work/lib" "$T/work/bin"
	printf 'int answer(void) { return 42; }\n' >"$T/work/lib/a.c"
	printf '#include <stdio.h>\nint answer(void);\nint main(void) { printf("%%d\\n", answer()); return 0; }\n' >"$T/work/bin/m.c"
	cc -shared -fPIC -o "$T/work/lib/liba.so" "$T/work/lib/a.c"
	cc -o "$T/work/bin/m" "$T/work/bin/m.c" -L"$T/work/lib" -la -Wl,-rpath,"$T/work/lib"
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work"
	run sv -q --learn -p lib "$T/work/bin/m"
	[ "$output" = 42 ]
	run sv profile show lib
	[[ "$output" == *'exec $CWD/lib/liba.so'* ]]	# the working directory is $T/work
	run sv -q --enforce lib "$T/work/bin/m"
	[ "$status" -eq 0 ]
	[ "$output" = 42 ]
}

@test "jail: io_uring is refused with EPERM, and kills under --strict" {
	mkprofile "$T/p.profile"
	code='import ctypes, os; l = ctypes.CDLL(None, use_errno=True); r = l.syscall(425, 1, 0); print(r, ctypes.get_errno())'
	run sv -q --enforce "$T/p.profile" python3 -c "$code"
	[ "$status" -eq 0 ]
	[ "$output" = "-1 1" ]
	run sv -q --strict --enforce "$T/p.profile" python3 -c "$code"
	[ "$status" -eq 159 ]
}

@test "jail wildcard allow: the paths it matched when the jail was built are in the view, nothing else" {
	mkdir -p "$T/work/d/sub.txt"
	mkfile "$T/work/d/a.txt" A
	mkfile "$T/work/d/b.key" B
	mkfile "$T/work/d/sub.txt/inner" INNER
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work/d"
	mkprofile "$T/p.profile" "read $T/work/d/*.txt"
	run sv -q --enforce "$T/p.profile" cat "$T/work/d/a.txt"
	[ "$status" -eq 0 ]
	[ "$output" = A ]
	run sv -q --enforce "$T/p.profile" cat "$T/work/d/sub.txt/inner"	# a match covers its subtree
	[ "$output" = INNER ]
	# stat is not trapped under enforce: only the view answers it, and b.key is not in it
	run sv -q --enforce "$T/p.profile" stat -c %n "$T/work/d/a.txt" "$T/work/d/b.key"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$T/work/d/a.txt"* ]]
	[[ "$output" == *"'$T/work/d/b.key': No such file or directory"* ]]
	# a file that starts to match after the jail was built is not in the view
	sv -q --enforce "$T/p.profile" sh -c "sleep 1; stat -c %n $T/work/d/late.txt" >"$T/late.out" 2>&1 &
	sleep 0.3
	mkfile "$T/work/d/late.txt" LATE
	wait
	cat "$T/late.out"
	grep -q "No such file or directory" "$T/late.out"
	run sv -q --enforce "$T/p.profile" cat "$T/work/d/late.txt"	# the next run has it
	[ "$output" = LATE ]
}
