#!/bin/bash
# profile.sh - where supervise spends its time per trapped call (a companion to run.sh).
#
# Usage: bench/profile.sh [enforce|learn] [N]     (default: enforce 20000; B = build dir)
#
# Runs openbench N (N trapped openat calls on one absolute path) under supervise and prints:
#   1. the supervisor main thread's syscalls per trapped call (strace -c on that thread only;
#      the floor makes 3: poll, NOTIF_RECV, NOTIF_SEND);
#   2. a perf profile (--call-graph dwarf): the share of each supervise thread role, and what
#      the notification handler and the event writer spend their samples on.
# Needs strace, perf and python3; prints a skip line and exits 0 when one is missing.
#
# Why not callgrind: valgrind 3.19 does not implement seccomp(2), so libseccomp cannot build a
# SCMP_ACT_NOTIFY filter under it ("cannot build the seccomp filter: Invalid argument"). perf
# sees the kernel side too, which is most of the cost here.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
MODE=${1:-enforce}
N=${2:-20000}
SUP=$PWD/$B/supervise
OPENBENCH=$PWD/$B/bench/openbench
for t in strace perf python3; do
	command -v "$t" >/dev/null || { echo "profile: skip: $t is not installed"; exit 0; }
done
if [ ! -x "$SUP" ] || [ ! -x "$OPENBENCH" ]; then
	echo "profile: run make tests first" >&2
	exit 2
fi
case $MODE in enforce | learn) ;; *) echo "usage: profile.sh [enforce|learn] [N]" >&2; exit 2 ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/supervise-profile.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
echo data >"$tmp/f"
"$SUP" --db "$tmp/master.db" -q --learn -p ob "$OPENBENCH" 10 "$tmp/f" || exit 1

# run WRAPPER... - run openbench N under supervise in MODE behind WRAPPER, on a fresh database.
run() {
	rm -f "$tmp"/db*
	if [ "$MODE" = enforce ]; then
		cp "$tmp/master.db" "$tmp/db"
		"$@" "$SUP" --db "$tmp/db" -q --enforce ob "$OPENBENCH" "$N" "$tmp/f"
	else
		"$@" "$SUP" --db "$tmp/db" -q --learn -p ob "$OPENBENCH" "$N" "$tmp/f"
	fi
}

echo "# supervise --$MODE, openbench $N: the main thread's syscalls per trapped call"
run strace -c -o "$tmp/strace.txt" || exit 1
awk -v n="$N" '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ && $NF != "syscall" && $NF != "total" {
	per = $4 / n; tot += per; if (per >= 0.01) printf "  %-18s %6.2f\n", $NF, per }
	END { printf "  %-18s %6.2f\n", "all", tot }' "$tmp/strace.txt"

echo
echo "# perf profile (cpu-clock samples, dwarf call graphs)"
run perf record -q -o "$tmp/perf.data" --call-graph dwarf,16384 -- >/dev/null 2>&1 || exit 1
perf script -i "$tmp/perf.data" -F comm,tid,ip,sym 2>/dev/null >"$tmp/stacks.txt"
python3 - "$tmp/stacks.txt" <<'EOF'
"""Aggregate perf script stacks: thread roles, then the handler's and the writer's steps."""
import collections
import re
import sys

stacks, comm, cur = [], None, None
for line in open(sys.argv[1], errors="replace"):
    line = line.rstrip("\n")
    if not line.strip():
        if cur is not None:
            stacks.append((comm, cur))
        cur = None
    elif not line[0].isspace():
        comm, cur = line.split()[0], []
    elif cur is not None:
        parts = line.split(None, 1)
        sym = parts[1] if len(parts) > 1 else "?"
        cur.append(re.sub(r"\+0x[0-9a-f]+$", "", sym).replace(" (inlined)", ""))
if cur is not None:
    stacks.append((comm, cur))

total = len(stacks)
by_comm = collections.Counter(c for c, _ in stacks)
print("  samples by process: " + ", ".join(f"{c} {100 * n / total:.1f}%" for c, n in by_comm.most_common(4)))
ROLES = ["notify_handle_one", "_write_batch", "_thread", "_ckpt_thread", "learn_store", "main"]
roles = collections.Counter()
# The supervisor's threads: "supervise" and its named helpers ("sv-dbwriter", "sv-checkpoint").
sup = [fr for c, fr in stacks if c == "supervise" or c.startswith("sv-")]
for fr in sup:
    roles[next((r for r in ROLES if r in fr), "other")] += 1
print("  supervise samples by role:")
for r, n in roles.most_common():
    name = {"notify_handle_one": "handler (decision path)", "_write_batch": "event writer (SQLite)",
            "_thread": "event writer (waiting/other)", "_ckpt_thread": "WAL checkpointer",
            "main": "setup/teardown"}.get(r, r)
    print(f"    {100 * n / max(len(sup), 1):5.1f}%  {name}")

PROJ = re.compile(r"^(_[a-z][a-z_0-9]*|resolve_\w+|session_\w+|sys_\w+|policy_\w+|db_\w+|now_ms|"
                  r"learn_\w+|path_\w+|sc_\w+|fgets|fopen|readlink|open|sqlite3_exec|sqlite3_step|"
                  r"sqlite3_prepare_v2|pthread_cond_signal|process_vm_readv)$")


def breakdown(root, depth, title):
    """Share of ROOT's samples by the chain of project functions below it (DEPTH deep)."""
    c, n = collections.Counter(), 0
    for fr in sup:
        if root not in fr:
            continue
        n += 1
        rev = fr[::-1]
        chain = [f for f in rev[rev.index(root) + 1:] if PROJ.match(f) and not f.startswith("__")]
        c[" > ".join(chain[:depth]) or "(itself, or the kernel directly)"] += 1
    if not n:
        return
    print(f"  {title} ({n} samples):")
    for k, v in c.most_common(16):
        if 100 * v / n >= 1:
            print(f"    {100 * v / n:5.1f}%  {k}")


breakdown("notify_handle_one", 4, "handler, by step")
breakdown("_write_batch", 3, "event writer, by step")
EOF
