#!/usr/bin/env bats
# net.bats - network rules under enforce: connect/bind/send checked on the supervisor's copy of
# the address and performed by the supervisor (no CONTINUE), abstract unix sockets of the host,
# the sockaddr-swapping race, learn → replay of an HTTP client. Servers run on 127.0.0.1 only.

load helpers

setup() {
	setup_common
	SRVS=()
}

teardown() {
	for p in "${SRVS[@]}"; do kill "$p" 2>/dev/null; done
	teardown_common
}

# start_server KIND NAME: a server on 127.0.0.1 (port 0) started by the test: "tcp" greets with
# NAME and counts accepts in $T/NAME.count, "udp" echoes, "abs" listens on the abstract socket
# @NAME and greets. Sets PORT (tcp/udp).
start_server() {
	local kind=$1 name=$2
	cat >"$T/srv-$name.py" <<-'EOF'
		import os, socket, sys
		kind, name, out = sys.argv[1], sys.argv[2], sys.argv[3]
		if kind == "abs":
		    s = socket.socket(socket.AF_UNIX)
		    s.bind("\0" + name)
		else:
		    s = socket.socket(type=socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM)
		    s.bind(("127.0.0.1", 0))
		if kind != "udp":
		    s.listen(128)
		open(out + ".tmp", "w").write(str(s.getsockname()[1]) if kind != "abs" else "0")
		os.rename(out + ".tmp", out)
		n = 0
		while True:
		    if kind == "udp":
		        d, a = s.recvfrom(100)
		        s.sendto(d, a)
		        continue
		    c, _ = s.accept()
		    n += 1
		    open(out + ".count", "w").write(str(n))
		    try:
		        c.sendall(name.encode() + b"\n")
		    except OSError:
		        pass
		    c.close()
	EOF
	python3 "$T/srv-$name.py" "$kind" "$name" "$T/$name" >/dev/null 2>&1 3>&- &
	SRVS+=($!)
	for _ in $(seq 50); do [ -e "$T/$name" ] && break; sleep 0.1; done
	PORT=$(cat "$T/$name")
}

# client: a python client, "tcp PORT", "udp PORT" or "abs NAME", printing OK REPLY or FAIL ERRNO.
client() {
	cat >"$T/work/client.py" <<-'EOF'
		import socket, sys
		kind, where = sys.argv[1], sys.argv[2]
		try:
		    if kind == "abs":
		        c = socket.socket(socket.AF_UNIX); c.settimeout(3); c.connect("\0" + where)
		        print("OK", c.recv(100).decode().strip())
		    elif kind == "udp":
		        c = socket.socket(type=socket.SOCK_DGRAM); c.settimeout(3)
		        c.sendto(b"ECHO", ("127.0.0.1", int(where))); print("OK", c.recv(100).decode())
		    else:
		        c = socket.socket(); c.settimeout(3); c.connect(("127.0.0.1", int(where)))
		        print("OK", c.recv(100).decode().strip())
		except OSError as e:
		    print("FAIL", e.errno)
	EOF
}

@test "net: an allowed port works, another is denied (EACCES) and logged" {
	start_server tcp good; good=$PORT
	start_server tcp bad; bad=$PORT
	client
	mkprofile "$T/p.profile" "net host" "read $T/work" "connect tcp 127.0.0.1:$good"
	run sv --enforce "$T/p.profile" python3 client.py tcp "$good"
	[ "$status" -eq 0 ]
	[ "$output" = "OK good" ]
	run sv --enforce "$T/p.profile" python3 client.py tcp "$bad"
	[ "$status" -eq 0 ]
	[[ "$output" == *"denied connect tcp 127.0.0.1:$bad (connect, pid "*"): no rule"* ]]
	[ "${lines[-1]}" = "FAIL 13" ]
	[ "$(q "select decision from events where object='tcp 127.0.0.1:$bad'")" = deny ]
	[ "$(q "select rule from events where object='tcp 127.0.0.1:$good' and decision='allow'")" = \
	  "connect tcp 127.0.0.1:$good" ]
	[ ! -e "$T/bad.count" ]	# the denied server never saw a connection
}

@test "net: a connect from a second thread of the program is decided and made on that thread's socket" {
	start_server tcp good; good=$PORT
	start_server tcp bad; bad=$PORT
	cat >"$T/work/threads.py" <<-'PY'
		import socket, sys, threading
		def go(port, out):
		    try:
		        c = socket.socket(); c.settimeout(3); c.connect(("127.0.0.1", port))
		        out.append("OK " + c.recv(100).decode().strip())
		    except OSError as e:
		        out.append("FAIL %d" % e.errno)
		for p in sys.argv[1:]:
		    out = []
		    t = threading.Thread(target=go, args=(int(p), out)); t.start(); t.join()
		    print(out[0])
	PY
	mkprofile "$T/p.profile" "net host" "read $T/work" "connect tcp 127.0.0.1:$good"
	run sv -q --enforce "$T/p.profile" python3 threads.py "$good" "$bad" "$good"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "OK good" ]
	[ "${lines[1]}" = "FAIL 13" ]
	[ "${lines[2]}" = "OK good" ]
	[ "$(q "select sum(count) from events where object='tcp 127.0.0.1:$good' and decision='allow'")" = 2 ]
	[ ! -e "$T/bad.count" ]
}

@test "net: a UDP sendto to a denied address fails, an allowed one is echoed" {
	start_server udp echo; echo_port=$PORT
	start_server udp other; other=$PORT
	client
	mkprofile "$T/p.profile" "net host" "read $T/work" "connect udp 127.0.0.1:$echo_port"
	run sv -q --enforce "$T/p.profile" python3 client.py udp "$echo_port"
	[ "$output" = "OK ECHO" ]
	run sv -q --enforce "$T/p.profile" python3 client.py udp "$other"
	[ "$output" = "FAIL 13" ]
	[ "$(q "select syscall || ' ' || decision from events where object='udp 127.0.0.1:$other'")" = "sendto deny" ]
}

@test "net: the host's abstract unix socket is unreachable under net host, reachable when allowed" {
	name=supervise-test-$$-$RANDOM
	start_server abs "$name"
	client
	run python3 "$T/work/client.py" abs "$name"	# control: reachable without supervise
	[ "$output" = "OK $name" ]
	mkprofile "$T/p.profile" "net host" "read $T/work"
	run sv -q --enforce "$T/p.profile" python3 client.py abs "$name"
	[ "$output" = "FAIL 13" ]
	[ "$(q "select decision from events where object='unix @$name'")" = deny ]
	mkprofile "$T/p.profile" "net host" "read $T/work" "connect unix @$name"
	run sv -q --enforce "$T/p.profile" python3 client.py abs "$name"
	[ "$output" = "OK $name" ]
	# under net loopback the jail has its own abstract namespace: the host's is out of reach
	mkprofile "$T/p.profile" "net loopback" "read $T/work" "connect unix @$name"
	run sv -q --enforce "$T/p.profile" python3 client.py abs "$name"
	[ "$output" = "FAIL 111" ]
}

@test "net: a thread swapping the sockaddr between allowed and denied never reaches the denied port" {
	# ptrace lets the checked call continue: there, Landlock's TCP port rules (ABI 4) stop the swap
	abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))')
	[ "${SUPERVISE_BACKEND:-auto}" != ptrace ] || [ "$abi" -ge 4 ] ||
		skip "backend-only: without Landlock TCP rules (ABI $abi < 4), ptrace lets the checked call continue, so a racing thread can swap the address (tracer/README.md)"
	cc -O2 -pthread -o "$T/bin/netracer" "$BATS_TEST_DIRNAME/netracer.c"
	start_server tcp good; good=$PORT
	start_server tcp bad; bad=$PORT
	mkprofile "$T/p.profile" "net host" "exec $T/bin" "connect tcp 127.0.0.1:$good"
	run sv -q --enforce "$T/p.profile" "$T/bin/netracer" "$good" "$bad" 3000
	[ "$status" -eq 0 ]
	echo "$output"
	flips=$(echo "$output" | awk '{print $4}')
	[ "$flips" -ge 100000 ]
	[ "$(echo "$output" | awk '{print $2}')" -gt 0 ]	# some connects won (allowed copy)
	[ ! -e "$T/bad.count" ]	# and not one was accepted on the denied port
}

@test "net: learn records endpoints as connect lines, and the replay of an HTTP client works" {
	mkdir -p "$T/www" && echo hello-net >"$T/www/index.html" && chmod -R a+rX "$T/www"
	python3 -u -m http.server --bind 127.0.0.1 0 --directory "$T/www" >"$T/http.log" 2>&1 3>&- &
	SRVS+=($!)
	for _ in $(seq 50); do grep -q "port" "$T/http.log" 2>/dev/null && break; sleep 0.1; done
	port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$T/http.log" | head -1)
	[ -n "$port" ]
	cat >"$T/work/get.py" <<-EOF
		import urllib.request
		print(urllib.request.urlopen("http://127.0.0.1:$port/index.html", timeout=5).read().decode().strip())
	EOF
	run sv --learn -p webget python3 get.py
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hello-net ]
	run sv profile show webget
	[[ "$output" == *"connect tcp 127.0.0.1:$port"* ]]
	[[ "$output" == *"net host"* ]]	# the server is on the host's loopback
	run sv -q --enforce webget python3 get.py
	[ "$status" -eq 0 ]
	[ "$output" = hello-net ]
	# a second learn run merges: the connect line is kept once
	run sv --learn -p webget python3 get.py
	[ "$(sv profile show webget | grep -c "^connect tcp 127.0.0.1:$port\$")" -eq 1 ]
}
