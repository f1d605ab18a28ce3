#!/usr/bin/env bats
# ask.bats - asking the user about a denied access while the program runs (core/ask.h): ask
# lines and --ask, answered through a pty that is supervise's controlling terminal.

load helpers
bats_require_minimum_version 1.5.0

# The asked files live outside /tmp (the jail's /tmp is its own): in the build directory.
setup() {
	setup_common
	outside_tmp ask-e2e
	mkfile "$W/data.txt" SECRET-DATA
	mkfile "$W/other.txt" OTHER-DATA
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$T/work" "$W"
	mkprofile "$T/p.profile" "ask read $W"
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown 65534:65534 "$T/p.profile"
	return 0
}
teardown() {
	[ -n "${W:-}" ] && rm -rf "$W"
	teardown_common
}

# on_pty ANSWERS ARGS... - run supervise ARGS in a new pty (its controlling terminal); answer
# each question with the next word of ANSWERS ("-": leave it unanswered). Prints what the pty
# showed, then "status N".
on_pty() {
	local answers=$1
	shift
	"${RUNAS[@]}" env HOME="$T/home" PATH="$PATH" python3 - "$answers" "$SV" --db "$DB" \
		${SUPERVISE_BACKEND:+--backend "$SUPERVISE_BACKEND"} "$@" <<'PY'
import os, pty, select, sys, time
answers = sys.argv[1].split()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
out, asked, end = b"", 0, time.time() + 30
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if not r:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    while out.count(b" s: ") + out.count(b"(never): ") > asked:
        word = answers[asked] if asked < len(answers) else "-"
        asked += 1
        if word != "-":
            time.sleep(0.1)
            os.write(fd, word.encode() + b"\n")
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
print("status", os.waitstatus_to_exitcode(st))
PY
}

@test "ask once: the read goes on, logged as ask-allow; the next run asks again, and deny refuses" {
	run on_pty o -q --enforce "$T/p.profile" sh -c "cat $W/data.txt; cat $W/data.txt"
	echo "$output"
	[[ "$output" == *"supervise: ask: cat (pid "*") wants to read $W/data.txt (openat)"* ]]
	[ "$(grep -c SECRET-DATA <<<"$output")" -eq 2 ]	# once: for the rest of the run
	[ "$(grep -c 'wants to' <<<"$output")" -eq 1 ]
	[[ "$output" == *"status 0"* ]]
	[ "$(q "select decision || ' ' || object || ' ' || rule from events where decision like 'ask%'")" = \
	  "ask-allow $W/data.txt ask: once (answered on /dev/tty)" ]
	run on_pty d -q --enforce "$T/p.profile" sh -c "cat $W/data.txt; cat $W/data.txt; echo end"
	echo "$output"
	[[ "$output" == *"wants to read $W/data.txt"* ]]
	[[ "$output" != *SECRET-DATA* ]]
	[ "$(grep -c 'wants to' <<<"$output")" -eq 1 ]	# deny: not asked again in the run
	[ "$(q "select count(*) from denials where decision = 'ask-deny' and object = '$W/data.txt'")" -eq 2 ]
	[ "$(q "select count(*) from denials where rule = 'ask: denied (answered before in this run)'")" -eq 1 ]
}

@test "ask always writes the rule into the profile file; the next run does not ask" {
	run on_pty a -q --enforce "$T/p.profile" cat "$W/data.txt"
	echo "$output"
	[[ "$output" == *SECRET-DATA* ]]
	grep -qx "read $W/data.txt	# supervise ask" "$T/p.profile"
	run on_pty - -q --enforce "$T/p.profile" cat "$W/data.txt" "$W/other.txt"
	echo "$output"
	[[ "$output" == *SECRET-DATA* ]]
	[[ "$output" != *"wants to read $W/data.txt"* ]]
	[[ "$output" == *"wants to read $W/other.txt"* ]]	# the rule covers that file only
	[[ "$output" != *OTHER-DATA* ]]
}

@test "ask never writes a deny into the stored profile; the next run refuses without asking" {
	sv profile import "$T/p.profile" box
	run on_pty n -q --enforce box cat "$W/data.txt"
	echo "$output"
	[[ "$output" != *SECRET-DATA* ]]
	run sv profile show box
	echo "$output"
	[[ "$output" == *"deny $W/data.txt"* ]]
	run on_pty - -q --enforce box cat "$W/data.txt"
	echo "$output"
	[[ "$output" != *"wants to"* ]]
	[[ "$output" == *"Permission denied"* ]]
}

@test "no answer within --ask-timeout is a deny, logged; so is a run without a terminal" {
	run on_pty - -q --ask-timeout 1 --enforce "$T/p.profile" cat "$W/data.txt"
	echo "$output"
	[[ "$output" == *"no answer: denied"* ]]
	[[ "$output" != *SECRET-DATA* ]]
	[ "$(q "select rule from denials where decision = 'ask-deny'")" = "ask: deny once (no answer in 1 s)" ]
	run "${RUNAS[@]}" env HOME="$T/home" PATH="$PATH" setsid -w "$SV" --db "$DB" \
		${SUPERVISE_BACKEND:+--backend "$SUPERVISE_BACKEND"} --enforce "$T/p.profile" cat "$W/data.txt" </dev/null
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ask: no terminal"*"every question is answered deny"* ]]
	[ "$(q "select count(*) from denials where rule = 'ask: deny once (no terminal)'")" -eq 1 ]
}

@test "--ask asks about any denial; an answer that is not one is asked again" {
	mkprofile "$T/plain.profile"
	run on_pty "yes o" -q --ask --enforce "$T/plain.profile" cat "$W/other.txt"
	echo "$output"
	[[ "$output" == *"wants to read $W/other.txt"* ]]
	[[ "$output" == *"answer o (once), a (always), d (deny) or n (never)"* ]]
	[[ "$output" == *OTHER-DATA* ]]
}

@test "while one thread waits for its answer, the others go on; the same question asked twice waits for one answer" {
	run on_pty o -q --enforce "$T/p.profile" python3 -c "
import os, threading, time
ticks = []
def read():
    os.write(1, open('$W/data.txt').read().strip().encode() + b'\\n')	# one write: no interleaving
def tick():
    for _ in range(8):
        ticks.append(time.time()); time.sleep(0.1)
a = threading.Thread(target=read); b = threading.Thread(target=read); c = threading.Thread(target=tick)
for t in (a, b, c): t.start()
for t in (a, b, c): t.join()
print('ticks', len(ticks))
"
	echo "$output"
	[ "$(grep -c 'wants to' <<<"$output")" -eq 1 ]
	[ "$(grep -o SECRET-DATA <<<"$output" | wc -l)" -eq 2 ]
	[[ "$output" == *"ticks 8"* ]]	# the ticking thread makes no trapped call: it goes on
	if [ "${SUPERVISE_BACKEND:-notify}" = notify ]; then
		# the second reader's call waited in the queue for the same answer
		[ "$(q "select count(*) from events where decision = 'ask-allow'")" -eq 2 ]
	else
		# ptrace: its call was decided after the answer, by the rule the answer added
		[ "$(q "select count(*) from events where decision = 'ask-allow'")" -ge 1 ]
	fi
}

@test "ask lines and --ask: bad input is one line and 125" {
	mkprofile "$T/bad.profile" "ask delete $W"
	run sv --enforce "$T/bad.profile" true
	[ "$status" -eq 125 ]
	[[ "$output" == *"bad.profile:3: 'ask' takes read, write or exec and a path"* ]]
	run sv --ask --learn true
	[ "$status" -eq 125 ]
	[[ "$output" == *"--ask goes with --enforce PROFILE"* ]]
	run sv --ask-timeout 0 --ask --enforce "$T/p.profile" true
	[ "$status" -eq 125 ]
	[[ "$output" == *"--ask-timeout takes whole seconds from 1 to 86400, not '0'"* ]]
}

@test "without the jail, ask is refused while the kernel lets a program type into the terminal, else asks" {
	if [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ]; then
		run sv --no-jail --enforce "$T/p.profile" cat "$W/data.txt"
		echo "$output"
		[ "$status" -eq 125 ]
		[[ "$output" == *"ask without the jail: the program could type an answer into the terminal (TIOCSTI)"* ]]
	else	# the kernel refuses TIOCSTI itself: the question is asked, here denied
		run on_pty d -q --no-jail --enforce "$T/p.profile" cat "$W/data.txt"
		echo "$output"
		[[ "$output" == *"wants to read $W/data.txt"* ]]
	fi
	[[ "$output" != *SECRET-DATA* ]]
}

@test "ask connect: once lets the connect through, deny refuses it, always adds the connect rule" {
	mkfile "$W/cn.py" "import socket, threading
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 4711))
srv.listen(1)
def serve():
    c, _ = srv.accept()
    c.send(b'HELLO-FROM-SERVER')
    c.close()
threading.Thread(target=serve, daemon=True).start()
s = socket.socket()
try:
    s.connect(('127.0.0.1', 4711))
    print('got', s.recv(64).decode())
except OSError as e:
    print('connect-failed', e.errno)"
	mkprofile "$T/n.profile" "exec /usr" "read /usr" "read $W" "net loopback" \
		"bind tcp 127.0.0.1:4711" "ask connect tcp 127.0.0.1:4711"
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown 65534:65534 "$T/n.profile"
	run on_pty o -q --enforce "$T/n.profile" /usr/bin/python3 "$W/cn.py"
	echo "$output"
	[[ "$output" == *"wants to connect to tcp 127.0.0.1:4711 (connect)"* ]]
	[[ "$output" == *"got HELLO-FROM-SERVER"* ]]
	run on_pty d -q --enforce "$T/n.profile" /usr/bin/python3 "$W/cn.py"
	echo "$output"
	[[ "$output" == *"connect-failed 13"* ]]
	run on_pty a -q --enforce "$T/n.profile" /usr/bin/python3 "$W/cn.py"
	[[ "$output" == *"got HELLO-FROM-SERVER"* ]]
	grep -qx "connect tcp 127.0.0.1:4711	# supervise ask" "$T/n.profile"
	run on_pty - -q --enforce "$T/n.profile" /usr/bin/python3 "$W/cn.py"
	echo "$output"
	[[ "$output" != *"wants to"* ]]
	[[ "$output" == *"got HELLO-FROM-SERVER"* ]]
	[ "$(q "select group_concat(decision, ' ') from (select decision from events where access = 'connect' and decision like 'ask%' order by id)")" = "ask-allow ask-deny ask-allow" ]
}
