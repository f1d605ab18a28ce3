#!/usr/bin/env bats
# desktop.bats - desktop applications (issue 14): x11 nested|host|none, the host display out of
# reach, the nested server gone after the run (even when supervise is killed), a screenshot of the
# nested server's window on the host display, home persist, launcher links, learn under x11
# nested that replays, and the shipped desktop profiles. A host Xvfb, run as the test user with a
# cookie of its own, stands in for the user's display; a marker window is on it.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	P=$T/work/p.profile
	mkdir -p /tmp/.X11-unix && chmod 1777 /tmp/.X11-unix	# as an X session leaves it
	host_x
}

teardown() {
	[ -n "${MPID:-}" ] && kill "$MPID" 2>/dev/null
	[ -n "${XPID:-}" ] && kill "$XPID" 2>/dev/null && wait "$XPID" 2>/dev/null
	teardown_common
}

# host_x: a host display, Xvfb as the test user on a free display number, with a cookie in
# $T/home/hostauth: HN (its number), XPID, and DISPLAY and XAUTHORITY exported; a marker window
# (xlogo named "marker") on it, MPID.
host_x() {
	local cookie i
	XA=$T/home/hostauth
	cookie=$(mcookie)
	as_user xauth -q -f "$XA" add :0 . "$cookie" 2>/dev/null
	"${RUNAS[@]}" Xvfb -displayfd 3 -nolisten tcp -auth "$XA" -screen 0 1280x1024x24 \
		3>"$T/home/xvfb.fd" >"$T/xvfb.log" 2>&1 &
	XPID=$!
	for i in $(seq 300); do
		HN=$(cat "$T/home/xvfb.fd" 2>/dev/null || :)
		[ -n "$HN" ] && break
		sleep 0.1
	done
	[ -n "$HN" ] || { echo "# Xvfb did not start:"; sed 's/^/# /' "$T/xvfb.log"; return 1; }
	as_user xauth -q -f "$XA" add ":$HN" . "$cookie"
	export DISPLAY=:$HN XAUTHORITY=$XA
	for i in $(seq 300); do
		# (re)start the marker when it is not running: a client that lost a race with the
		# server's start exits, and a loaded machine can take a while to map its window
		if [ -z "${MPID:-}" ] || ! kill -0 "$MPID" 2>/dev/null; then
			as_user xlogo -name marker -title marker -geometry 120x120+900+700 \
				>>"$T/marker.log" 2>&1 &
			MPID=$!
		fi
		as_user xwininfo -name marker >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "# no marker window on :$HN; xlogo said:"; sed 's/^/# /' "$T/marker.log"
	echo "# Xvfb said:"; sed 's/^/# /' "$T/xvfb.log"
	return 1
}

# prof RULE...: the profile $P: base, /usr/bin and /bin executable, plus RULEs.
prof() {
	mkprofile "$P" "exec /bin" "$@"
}

@test "x11 nested: the program sees its own server's windows, never the host's marker" {
	as_user xwininfo -root -tree | grep -q marker	# control: the host display has it
	prof "x11 nested 640x480"
	run -0 sv -q --enforce "$P" -- /bin/sh -c \
		'xlogo -name mine & sleep 1; echo "DISPLAY=$DISPLAY"; xwininfo -root -tree; xwininfo -root; kill $!'
	[[ "$output" == *'"mine"'* ]]	# its own window
	[[ "$output" != *marker* ]]
	[[ "$output" != *"DISPLAY=:$HN"* ]]	# another display than the host's
	[[ "$output" == *"Width: 640"* ]]	# the nested root's size
}

@test "x11 none (the default): the program cannot connect to any display" {
	prof
	run sv -q --enforce "$P" -- /usr/bin/xwininfo -root
	[ "$status" -ne 0 ]
	[[ "$output" == *"unable to open display"* ]]
	[[ "$output" != *"Root window"* ]]
	prof "x11 none"	# said, the same; --x11 nested on the command line overrides it
	run sv -q --enforce "$P" -- /usr/bin/xwininfo -root
	[ "$status" -ne 0 ]
	run -0 sv -q --x11 nested --x11-size 320x200 --enforce "$P" -- /usr/bin/xwininfo -root
	[[ "$output" == *"Width: 320"* ]]
}

@test "x11 nested: the host's socket path, its abstract name and /proc/net/unix reach nothing" {
	prof "x11 nested"
	cat >"$T/work/probe.py" <<'EOF'
import socket, sys
n = sys.argv[1]
for name, addr in (("path", "/tmp/.X11-unix/X" + n), ("abstract", "\0/tmp/.X11-unix/X" + n)):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(addr)
        print(name, "CONNECTED")
    except OSError as e:
        print(name, "refused", e.errno)
with open("/proc/self/net/unix") as f:
    print("netunix", "HOSTX" if ("/tmp/.X11-unix/X" + n) in f.read() else "clean")
EOF
	chmod 644 "$T/work/probe.py"
	# control: on the host, the same probe reaches the display both ways
	run -0 as_user python3 "$T/work/probe.py" "$HN"
	[[ "$output" == *"path CONNECTED"* ]]
	[[ "$output" == *"abstract CONNECTED"* ]]
	prof "x11 nested" "read $T/work/probe.py"
	run -0 sv -q --enforce "$P" -- /usr/bin/python3 -I "$T/work/probe.py" "$HN"
	[[ "$output" == *"path refused"* ]]
	[[ "$output" == *"abstract refused"* ]]
	[[ "$output" == *"netunix clean"* ]]
	[[ "$output" != *CONNECTED* ]]
}

@test "x11 nested with net host is refused before anything starts" {
	prof "x11 nested" "net host"
	before=$(ls -d /tmp/supervise-x11.* 2>/dev/null | wc -l)
	run -125 sv -q --enforce "$P" -- /bin/echo ran
	[[ "$output" == "supervise: $P: x11 nested does not go with 'net host'"* ]]
	[[ "$output" != *ran* ]]
	[ "$(ls -d /tmp/supervise-x11.* 2>/dev/null | wc -l)" -eq "$before" ]	# nothing started
	prof "x11 nested" "net loopback"	# control: another net line goes
	run -0 sv -q --enforce "$P" -- /bin/echo ran
	[ "$output" = ran ]
}

@test "x11 nested: after the run the server, its socket and its cookie are gone" {
	prof "x11 nested"
	run -0 sv -v --enforce "$P" -- /bin/sh -c 'echo "XA=$XAUTHORITY"; echo "D=$DISPLAY"; test -r "$XAUTHORITY"'
	pid=$(sed -n 's/.*x11 nested: Xephyr on display :\([0-9]*\) .*, pid \([0-9]*\)$/\2/p' <<<"$output")
	n=$(sed -n 's/^D=:\([0-9]*\)$/\1/p' <<<"$output")
	xa=$(sed -n 's/^XA=//p' <<<"$output")
	[ -n "$pid" ] && [ -n "$n" ] && [[ "$xa" == /tmp/supervise-x11.*/Xauthority ]]
	! alive "$pid"
	[ ! -e "/tmp/.X11-unix/X$n" ]
	[ ! -e "/tmp/.X$n-lock" ]
	[ ! -e "$xa" ]
	[ ! -e "${xa%/*}" ]
}

@test "x11 nested: supervise killed with SIGKILL leaves no server, socket or cookie behind" {
	prof "x11 nested"
	(sv_exec -v --enforce "$P" -- /bin/sh -c 'echo "XA=$XAUTHORITY D=$DISPLAY"; sleep 60') \
		>"$T/work/out" 2>"$T/work/err" &
	svpid=$!
	for _ in $(seq 100); do grep -q XA= "$T/work/out" 2>/dev/null && break; sleep 0.1; done
	read -r xa d <"$T/work/out"
	xa=${xa#XA=} n=${d#D=:}
	pid=$(sed -n 's/.*, pid \([0-9]*\)$/\1/p' "$T/work/err")
	[ -S "/tmp/.X11-unix/X$n" ] && [ -e "$xa" ] && alive "$pid"	# control: all there
	kill -KILL "$svpid"
	for _ in $(seq 100); do alive "$pid" || [ -e "$xa" ] || break; sleep 0.1; done
	for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$n" ] || break; sleep 0.1; done
	! alive "$pid"
	[ ! -e "/tmp/.X11-unix/X$n" ]
	[ ! -e "$xa" ]
	[ ! -e "${xa%/*}" ]
}

@test "x11 nested: a screenshot of the host display shows the program's window in the server's" {
	prof "x11 nested 400x300"
	sv -q --enforce "$P" -- /bin/sh -c \
		'xlogo -bg "#ff0000" -fg "#ff0000" -geometry 400x300+0+0 & sleep 3; kill $!' &
	svpid=$!
	geo=
	for _ in $(seq 50); do	# the Xephyr window on the host, titled with the profile's name
		geo=$(as_user xwininfo -name p 2>/dev/null) && [[ "$geo" == *"Width: 400"* ]] && break
		sleep 0.1
	done
	sleep 1.5	# the program draws
	x=$(sed -n 's/ *Absolute upper-left X: *//p' <<<"$geo")
	y=$(sed -n 's/ *Absolute upper-left Y: *//p' <<<"$geo")
	as_user sh -c 'xwd -root -silent | /usr/bin/convert xwd:- png:-' >"$T/work/shot.png"
	wait "$svpid"
	[ -n "$x" ] && [ -n "$y" ]
	px() { /usr/bin/convert "$T/work/shot.png" -crop "1x1+$1+$2" -depth 8 txt:- | tail -1; }
	[[ "$(px $((x + 200)) $((y + 150)))" == *"#FF0000"* ]]	# the program's red window
	[[ "$(px $((x + 450)) $((y + 150)))" != *"#FF0000"* ]]	# control: the host's root beside it
	[ -s "$T/work/shot.png" ]
	if [ -n "${DESKTOP_SHOT:-}" ]; then cp "$T/work/shot.png" "$DESKTOP_SHOT"; fi
}

@test "x11 host: the host display, with a warning on each run" {
	prof "x11 host"
	run -0 sv -q --enforce "$P" -- /usr/bin/xwininfo -root -tree
	[[ "$output" == *marker* ]]
	[[ "$output" == *"WARNING: x11 host: the program is on the host's display :$HN: it can read the keystrokes of every window"* ]]
}

@test "wayland and sound: the sockets are bound when asked, a missing one is one line" {
	outside_tmp rt
	export XDG_RUNTIME_DIR=$W
	mkdir -p "$W/pulse"
	python3 -c 'import socket,sys
for p in sys.argv[1:]:
    s = socket.socket(socket.AF_UNIX); s.bind(p)' "$W/wayland-7" "$W/pulse/native"
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$W"
	export WAYLAND_DISPLAY=wayland-7
	prof "wayland" "sound"
	probe='for s in "$XDG_RUNTIME_DIR/wayland-7" "$XDG_RUNTIME_DIR/pulse/native"; do
		[ -S "$s" ] && echo "socket ${s##*/}"; done; :'
	run -0 sv -q --enforce "$P" -- /bin/sh -c "$probe"
	[[ "$output" == *"socket wayland-7"* ]]
	[[ "$output" == *"socket native"* ]]
	prof	# control: without the lines, neither is in the view
	run -0 sv -q --enforce "$P" -- /bin/sh -c "$probe"
	[[ "$output" != *socket* ]]
	rm "$W/pulse/native"
	prof "sound"
	run -125 sv -q --enforce "$P" -- /bin/echo ran
	[ "$output" = "supervise: sound: neither $W/pulse/native (PulseAudio) nor $W/pipewire-0 (PipeWire) is a socket" ]
	export WAYLAND_DISPLAY=wayland-9
	prof "wayland"
	run -125 sv -q --enforce "$P" -- /bin/echo ran
	[ "$output" = "supervise: wayland: $W/wayland-9: No such file or directory" ]
	rm -rf "$W"
}

@test "home persist keeps a settings file across runs; the real ~/.ssh is not visible" {
	mkdir -p "$T/home/.ssh"
	mkfile "$T/home/.ssh/id_rsa" SECRETKEY
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown 65534:65534 "$T/home/.ssh"
	prof "x11 nested" "home persist"
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'mkdir -p ~/.config && echo theme=dark >~/.config/app.conf'
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'cat ~/.config/app.conf; ls -A ~; cat ~/.ssh/id_rsa 2>/dev/null || echo nokey'
	[[ "$output" == *theme=dark* ]]
	[[ "$output" != *SECRETKEY* ]]
	[[ "$output" == *nokey* ]]
	! grep -qx .ssh <<<"$output"
	run -0 as_user ls -A "$T/home"	# control: the real home has it
	grep -qx .ssh <<<"$output"
	[ "$(cat "$T/home/.local/share/supervise/homes/p/.config/app.conf")" = theme=dark ]
	[ ! -e "$T/home/.config/app.conf" ]	# control: the real home is not written
	[ "$(cat "$T/home/.ssh/id_rsa")" = SECRETKEY ]
}

@test "a launcher link runs its profile's command with the arguments passed through" {
	printf 'include base\nexec /usr/bin\nexec /bin\ncommand /bin/echo launched\n' >"$P"
	sv -q profile import "$P" box
	ln -s "$SV" "$T/bin/box"
	run -0 as_user env SUPERVISE_DB="$DB" "$T/bin/box" one "two words" --help
	[ "$output" = "launched one two words --help" ]
	[ "$(q "SELECT profile || ' ' || mode FROM runs ORDER BY id DESC LIMIT 1")" = "box enforce" ]
	printf 'include base\nexec /usr/bin\n' >"$P"	# a profile without a command line
	sv -q profile import "$P" nocmd
	ln -s "$SV" "$T/bin/nocmd"
	run -125 as_user env SUPERVISE_DB="$DB" "$T/bin/nocmd" x
	[ "$output" = "supervise: nocmd: a launcher link runs the profile's 'command' line, and the profile has none" ]
}

@test "learn of a GUI program under x11 nested gives a profile that replays" {
	run -0 sv -q --learn -p gui --x11 nested -- /usr/bin/xdpyinfo
	[[ "$output" == *"MIT-SHM"* ]] || [[ "$output" == *"number of extensions"* ]]
	run -0 sv -q profile show gui
	[[ "$output" == *"x11 nested"* ]]
	[[ "$output" != *supervise-x11* ]]	# the run's own cookie and socket are left out
	[[ "$output" != *X11-unix* ]]
	run -0 sv -q --enforce gui -- /usr/bin/xdpyinfo
	[[ "$output" == *"number of extensions"* ]]
	[ "$(q "SELECT count(*) FROM events WHERE run_id = (SELECT max(id) FROM runs) AND decision = 'deny'")" = 0 ]
	run sv -q --enforce gui --x11 none -- /usr/bin/xdpyinfo	# control: without the display
	[ "$status" -ne 0 ]
}

@test "the shipped xterm-box and feh-box run their programs on a nested display, as launchers too" {
	outside_tmp img
	printf 'P3\n2 2\n255\n255 0 0 255 0 0 255 0 0 255 0 0\n' >"$W/red.ppm"
	chmod 644 "$W/red.ppm"
	ln -s "$SV" "$T/bin/xterm-box"
	ln -s "$SV" "$T/bin/feh-box"
	mkdir -p "$T/home/.ssh" && mkfile "$T/home/.ssh/id_rsa" SECRETKEY
	# xterm-box: the shell in the xterm sees its own display only, and writes to its own home
	run -0 as_user env SUPERVISE_DB="$DB" "$T/bin/xterm-box" -e /bin/sh -c \
		'xwininfo -root -tree >"$HOME/tree"; ls -A ~/.ssh >"$HOME/ssh" 2>&1'
	tree=$T/home/.local/share/supervise/homes/xterm-box/tree
	if [ "${SUPERVISE_AS:-self}" = root ]; then
		# xterm run by uid 0 chowns its pty to the group tty, which the jail's user namespace
		# does not map (doc/supervise.profile.5, DESKTOP): it says so and starts no shell
		[[ "$output" == *"Cannot chown /dev/pts/"* ]]
		[ ! -e "$tree" ]
	else
		grep -q '"xterm"' "$tree"
		! grep -q marker "$tree"
		! grep -q id_rsa "$T/home/.local/share/supervise/homes/xterm-box/ssh"
	fi
	# feh-box: shows the picture it is given and quits; another file is not even there
	run -0 as_user env SUPERVISE_DB="$DB" "$T/bin/feh-box" -D 0.3 --on-last-slide quit "$W/red.ppm"
	grep -qx "read @arg" "$T/policies/feh-box.profile"	# the shipped one, found by name
	rm -rf "$W"
}
