#!/bin/bash
# run.sh - the supervise benchmark report: what supervision costs, against the floor and strace.
#
# Each workload runs natively, under the floor supervisor (bench/floor.c: CONTINUE and nothing
# else; "floor-s" adds SYNC_WAKE_UP as supervise does), under `supervise --learn` (a fresh database
# per run), under `supervise --enforce` (a profile learned once from the same workload, the
# database copied fresh per run), the same under the ptrace backend ("enforce-pt": `--backend
# ptrace`), and under `strace -f -o /dev/null`. The variants run round-robin
# within each repetition, so machine noise hits them alike; the report shows medians.
#
# Workloads: openbench (OPENS x openat+close), connect (CONNECTS x socket+connect+close to a TCP
# listener on 127.0.0.1 that this script starts; its enforce profile is learned, then given `net
# host` so the jail reaches the host's loopback), python (an import of four stdlib packages), cc (a
# -O0 compile of a generated ~370-line file), and startup (/bin/true: the fixed cost of each
# supervisor, which the per-call figures of the others include).
#
# Last, bench/tightness.sh learns each replay program of tests/e2e/replay.bats and reports the
# learned profile's rules and how many file system objects it grants against how many the run
# accessed. Then bench/workloads.sh times real programs (a python import through the PATH's shim,
# an exec-heavy shell loop, a parallel build, git, start-up against bubblewrap) and the
# supervisor's footprint, each target a ratio of variants run side by side.
#
# Environment: B (build dir, default build), REPS (repetitions of openbench, default 5),
# REPS_SHORT (repetitions of the short workloads, default 3 x REPS; connect runs REPS times),
# OPENS (default 200000), CONNECTS (default 20000),
# BENCH_DB_EVENTS (bench_db's event count, default 1000000), PIN (a CPU number: run every
# variant under `taskset -c PIN`, which takes cross-CPU wake-ups out of the picture).
# Exits 0 when everything ran (a missed target is reported, not a failure), 1 when a workload,
# bench_db, a learn run of tightness.sh or workloads.sh failed, 2 when something it (or
# workloads.sh) needs is missing.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
REPS=${REPS:-5}
REPS_SHORT=${REPS_SHORT:-$((REPS * 3))}
OPENS=${OPENS:-200000}
CONNECTS=${CONNECTS:-20000}
BENCH_DB_EVENTS=${BENCH_DB_EVENTS:-1000000}
SUP=$PWD/$B/supervise
FLOOR=$PWD/$B/bench/floor
OPENBENCH=$PWD/$B/bench/openbench
CONNECTBENCH=$PWD/$B/bench/connectbench
BENCHDB=$PWD/$B/bench/bench_db
VARIANTS=(native floor floor-s learn enforce enforce-pt enforce-bt strace)
WORKLOADS=(openbench connect python cc startup)

for f in "$SUP" "$FLOOR" "$OPENBENCH" "$CONNECTBENCH"; do
	[ -x "$f" ] || { echo "bench: $f is missing: run make tests" >&2; exit 2; }
done
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || PY=
[ -n "$PY" ] || { echo "bench: python3 is missing" >&2; exit 2; }
command -v cc >/dev/null || { echo "bench: cc is missing" >&2; exit 2; }
HAVE_STRACE=1
command -v strace >/dev/null || HAVE_STRACE=0
HAVE_HF=1
command -v hyperfine >/dev/null || HAVE_HF=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/supervise-bench.XXXXXX") || exit 2
listener=
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	[ -n "$listener" ] && kill "$listener" 2>/dev/null && wait "$listener" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/t" "$tmp/work" "$tmp/bin"
# Work on copies, so a rebuild during the run cannot mix two versions of a binary.
cp "$SUP" "$FLOOR" "$OPENBENCH" "$CONNECTBENCH" "$tmp/bin/" || exit 2
SUP=$tmp/bin/supervise FLOOR=$tmp/bin/floor OPENBENCH=$tmp/bin/openbench
CONNECTBENCH=$tmp/bin/connectbench
if [ -x "$BENCHDB" ]; then
	cp "$BENCHDB" "$tmp/bin/" && BENCHDB=$tmp/bin/bench_db
fi
failed=0

# --- workloads ------------------------------------------------------------------------------

echo "supervise benchmark data" >"$tmp/work/small"

# The connect workload's peer: a TCP listener on 127.0.0.1 (a free port, bound as port 0 and
# written to $tmp/port) that accepts and closes in a loop, for the whole run.
"$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
s.listen(4096)
with open(sys.argv[1] + ".new", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
import os
os.rename(sys.argv[1] + ".new", sys.argv[1])
while True:
    try:
        c, _ = s.accept()
        c.close()
    except (ConnectionError, InterruptedError):
        pass
' "$tmp/port" </dev/null >/dev/null 2>"$tmp/listener.err" &
listener=$!
for ((i = 0; i < 100; i++)); do
	[ -s "$tmp/port" ] && break
	kill -0 "$listener" 2>/dev/null || break
	sleep 0.05
done
PORT=$(cat "$tmp/port" 2>/dev/null)
[ -n "$PORT" ] || { echo "bench: the TCP listener did not start:" >&2; cat "$tmp/listener.err" >&2; exit 2; }

# gen_c - write a ~330-line C file (30 structs and functions, a main) to stdout.
gen_c() {
	local i
	printf '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n'
	for ((i = 0; i < 30; i++)); do
		printf 'struct s%d { int a; double b; char name[16]; };\n' "$i"
		printf 'static int f%d(struct s%d *p, int n)\n{\n\tint acc = 0;\n' "$i" "$i"
		printf '\tfor (int k = 0; k < n; k++) {\n\t\tacc += p->a * k + (int)p->b;\n'
		printf '\t\tif (acc > %d)\n\t\t\tacc -= (int)strlen(p->name);\n\t}\n\treturn acc;\n}\n' $((1000 + i))
	done
	printf 'int main(void)\n{\n\tint t = 0;\n\n'
	for ((i = 0; i < 30; i++)); do
		printf '\t{ struct s%d v = { %d, %d.5, "n%d" }; t += f%d(&v, %d); }\n' "$i" "$i" "$i" "$i" "$i" $((i + 3))
	done
	printf '\tprintf("%%d\\n", t);\n\treturn t == 42;\n}\n'
}
gen_c >"$tmp/work/gen.c"

# workload W - set CMD to workload W's command line (an array).
workload() {
	case $1 in
	openbench) CMD=("$OPENBENCH" "$OPENS" "$tmp/work/small") ;;
	connect) CMD=("$CONNECTBENCH" "$CONNECTS" "$PORT") ;;
	python) CMD=("$PY" -c 'import json,email,http.client,asyncio') ;;
	cc) CMD=(cc -pipe -O0 -c "$tmp/work/gen.c" -o "$tmp/work/gen.o") ;;
	startup) CMD=(/bin/true) ;;
	esac
}

# variant V W REP - set PRE to the prefix that runs workload W under variant V in repetition REP
# (an array); empty PRE[0] with SKIP=1 when the variant is unavailable.
variant() {
	SKIP=0
	local pin=()
	[ -n "${PIN:-}" ] && pin=(taskset -c "$PIN")
	case $1 in
	native) PRE=() ;;
	floor) PRE=("$FLOOR") ;;
	floor-s) PRE=("$FLOOR" -s) ;;
	learn) PRE=("$SUP" --db "$tmp/learn-$2-$3.db" -q --learn -p "bench-$2") ;;
	enforce) PRE=("$SUP" --db "$tmp/enforce-$2-$3.db" -q --enforce "bench-$2") ;;
	enforce-pt) PRE=("$SUP" --db "$tmp/enforcept-$2-$3.db" -q --backend ptrace --enforce "bench-$2") ;;
	enforce-bt) PRE=("$SUP" --db "$tmp/enforcebt-$2-$3.db" -q --backend ptrace --backtrace --enforce "bench-$2") ;;
	strace) PRE=(strace -f -o /dev/null); [ "$HAVE_STRACE" = 1 ] || SKIP=1 ;;
	esac
	PRE=("${pin[@]}" "${PRE[@]}")
}

# shellcheck source=bench/lib.bash
. bench/lib.bash	# q (the working directory is the tree's top, see above)

# now_us - the wall clock in microseconds (bash 5's EPOCHREALTIME: no fork).
now_us() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		local t=${EPOCHREALTIME//[!0-9]/}
		echo "$t"
	else
		echo $(($(date +%s%N) / 1000))
	fi
}

# --- setup: warm caches, learn the enforce profiles, check every variant once ----------------

echo "# supervise benchmark: $(uname -sr), $(nproc) CPUs${PIN:+, pinned to CPU $PIN}, $REPS repetitions of openbench and connect and $REPS_SHORT of" \
	"the others, timed by $( [ $HAVE_HF = 1 ] && hyperfine --version || echo 'bash EPOCHREALTIME (no hyperfine)')"
echo "# workloads: openbench = $OPENS x openat+close of a small file;"
echo "#            connect = $CONNECTS x socket+connect+close to a listener on 127.0.0.1:$PORT ($REPS repetitions);"
echo "#            python = $PY -c 'import json,email,http.client,asyncio';"
echo "#            cc = cc -pipe -O0 -c of a $(wc -l <"$tmp/work/gen.c")-line generated C file; startup = /bin/true"
for w in "${WORKLOADS[@]}"; do
	workload "$w"
	if ! "${CMD[@]}" >/dev/null 2>"$tmp/err"; then
		echo "bench: workload $w fails natively:" >&2; cat "$tmp/err" >&2; exit 1
	fi
	if ! "$SUP" --db "$tmp/master-$w.db" -q --learn -p "bench-$w" "${CMD[@]}" >/dev/null 2>"$tmp/err"; then
		echo "bench: learning $w failed:" >&2; cat "$tmp/err" >&2; exit 1
	fi
done

# The connect profile must say `net host` and name the listener (learn writes both; this makes
# sure, since a private `net loopback` would have no listener), so enforce reaches the host's
# listener and checks each connect against the rule.
fix_connect_profile() {
	local db=$tmp/master-connect.db f=$tmp/connect.profile
	"$SUP" --db "$db" profile export bench-connect "$f" 2>"$tmp/err" || return 1
	sed -i -e '/^net[[:space:]]/d' "$f" || return 1
	echo "net host" >>"$f"
	grep -q "^connect tcp 127\.0\.0\.1:$PORT\$" "$f" || echo "connect tcp 127.0.0.1:$PORT" >>"$f"
	"$SUP" --db "$db" profile import "$f" bench-connect >/dev/null 2>"$tmp/err" || return 1
	"$SUP" --db "$db" profile show bench-connect >"$f.check" 2>"$tmp/err" || return 1
	grep -q '^net host$' "$f.check" && grep -q "^connect tcp 127\.0\.0\.1:$PORT\$" "$f.check"
}
if ! fix_connect_profile; then
	echo "bench: rewriting the connect profile to net host failed:" >&2; cat "$tmp/err" >&2; exit 1
fi

# --- the interleaved session -----------------------------------------------------------------

# explain W REP V... - after a failed hyperfine run: run workload W under each variant V again,
# once, and show the status and error output of those that fail.
explain() {
	local w=$1 rep=$2 v rc
	shift 2
	workload "$w"
	for v in "$@"; do
		variant "$v" "$w" "$rep"
		[ "$v" = enforce ] && cp "$tmp/master-$w.db" "$tmp/enforce-$w-$rep.db"
		[ "$v" = enforce-pt ] && cp "$tmp/master-$w.db" "$tmp/enforcept-$w-$rep.db"
		[ "$v" = enforce-bt ] && cp "$tmp/master-$w.db" "$tmp/enforcebt-$w-$rep.db"
		"${PRE[@]}" "${CMD[@]}" >/dev/null 2>"$tmp/err"; rc=$?
		rm -f "$tmp"/learn-"$w"-"$rep".db*
		[ $rc -eq 0 ] && continue
		echo "bench: $w under $v: status $rc:" >&2
		head -20 "$tmp/err" >&2
	done
}

# run_rep W REP - one repetition of workload W: every variant once, in order. Appends seconds to
# $tmp/t/W.V (wall) and $tmp/t/W.V.cpu (user+sys of the process tree, hyperfine only).
run_rep() {
	local w=$1 rep=$2 v hf=() names=()
	workload "$w"
	cp "$tmp/master-$w.db" "$tmp/enforce-$w-$rep.db"
	cp "$tmp/master-$w.db" "$tmp/enforcept-$w-$rep.db"
	cp "$tmp/master-$w.db" "$tmp/enforcebt-$w-$rep.db"
	for v in "${VARIANTS[@]}"; do
		variant "$v" "$w" "$rep"
		[ "$SKIP" = 1 ] && continue
		names+=("$v")
		hf+=(-n "$v" "$(q "${PRE[@]}" "${CMD[@]}")")
	done
	if [ "$HAVE_HF" = 1 ]; then
		if ! hyperfine -N --runs 1 --style basic --export-csv "$tmp/h.csv" "${hf[@]}" \
			>"$tmp/hf.log" 2>&1; then
			echo "bench: $w failed in repetition $rep:" >&2; cat "$tmp/hf.log" >&2
			explain "$w" "$rep" "${names[@]}"
			return 1
		fi
		awk -F, -v dir="$tmp/t" -v w="$w" 'NR > 1 {
			print $2 >> (dir "/" w "." $1); print $5 + $6 >> (dir "/" w "." $1 ".cpu") }' "$tmp/h.csv"
	else
		for v in "${names[@]}"; do
			local t0 t1 rc
			variant "$v" "$w" "$rep"
			t0=$(now_us)
			"${PRE[@]}" "${CMD[@]}" >/dev/null 2>"$tmp/err"; rc=$?
			t1=$(now_us)
			if [ $rc -ne 0 ]; then
				echo "bench: $w under $v failed (status $rc):" >&2; cat "$tmp/err" >&2
				return 1
			fi
			awk -v d=$((t1 - t0)) 'BEGIN { printf "%.6f\n", d / 1e6 }' >>"$tmp/t/$w.$v"
		done
	fi
	rm -f "$tmp"/learn-"$w"-"$rep".db* "$tmp"/enforce-"$w"-"$rep".db* "$tmp"/enforcept-"$w"-"$rep".db* \
		"$tmp"/enforcebt-"$w"-"$rep".db*
}

echo "# running (each dot is one repetition of every variant)..."
for ((rep = 1; (rep <= REPS || rep <= REPS_SHORT) && !failed; rep++)); do
	for w in "${WORKLOADS[@]}"; do
		if [ "$w" = openbench ] || [ "$w" = connect ]; then [ $rep -le "$REPS" ] || continue
		else [ $rep -le "$REPS_SHORT" ] || continue; fi
		run_rep "$w" "$rep" || { failed=1; break; }
	done
	printf '.' >&2
done
echo >&2
[ $failed = 0 ] || { echo "bench: a workload failed; no report" >&2; exit 1; }

# --- the report ------------------------------------------------------------------------------

# med FILE - the median of the numbers in FILE (one a line), or empty.
med() {
	[ -s "$1" ] || return 0
	sort -g "$1" | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2];
		else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
declare -A M C S
# shellcheck disable=SC2034 # C is read through the nameref in table()
for w in "${WORKLOADS[@]}"; do
	for v in "${VARIANTS[@]}"; do
		M[$w.$v]=$(med "$tmp/t/$w.$v")
		C[$w.$v]=$(med "$tmp/t/$w.$v.cpu")
	done
done
# calc EXPR - evaluate an awk expression; "n/a" when it cannot (a missing figure, a zero divisor).
calc() {
	awk "BEGIN { if ($2) printf \"$1\", $3; else print \"n/a\" }" 2>/dev/null || echo n/a
}
# ok FIG OP TARGET - "met" or "MISSED" for figure FIG against TARGET (OP is <= or >=).
ok() {
	[ "$1" = n/a ] && { echo "n/a"; return; }
	awk -v f="$1" -v t="$3" -v op="$2" 'BEGIN { m = op == "<=" ? f <= t : f >= t; print m ? "met" : "MISSED" }'
}
# table ARRAY TITLE [SCALE FORMAT] - print ARRAY (workload.variant -> seconds) as a workload x
# variant table, each figure times SCALE (default 1000: ms) in FORMAT (default %11.1f).
table() {
	local -n tab=$1
	local w v scale=${3:-1000} fmt=${4:-%11.1f}
	echo
	echo "$2"
	printf '%-10s' workload
	for v in "${VARIANTS[@]}"; do printf '%11s' "$v"; done
	echo
	for w in "${WORKLOADS[@]}"; do
		printf '%-10s' "$w"
		for v in "${VARIANTS[@]}"; do
			if [ -n "${tab[$w.$v]}" ]; then
				# shellcheck disable=SC2059 # FORMAT is ours
				printf "$fmt" "$(awk -v s="${tab[$w.$v]}" -v k="$scale" 'BEGIN { print s * k }')"
			else
				printf '%11s' n/a
			fi
		done
		echo
	done
}
table M "wall time, median (ms; openbench and connect $REPS runs, the others $REPS_SHORT)"
[ "$HAVE_HF" = 1 ] && table C "CPU time (user+sys of the whole process tree), median (ms)"
# shellcheck disable=SC2034 # S is read through the nameref in table()
for w in "${WORKLOADS[@]}"; do
	for v in "${VARIANTS[@]}"; do
		S[$w.$v]=$( [ -s "$tmp/t/$w.$v" ] && sort -g "$tmp/t/$w.$v" |
			awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (lo > 0) print hi / lo }')
	done
done
table S "spread of the wall times: slowest/fastest run (1.00 = none)" 1 '%11.2f'

tn=${M[openbench.native]} tf=${M[openbench.floor]} tfs=${M[openbench.floor-s]}
te=${M[openbench.enforce]}
echo
echo "openbench: added cost per trapped open over native (us)"
for v in floor floor-s enforce enforce-pt learn strace; do
	t=${M[openbench.$v]:-}
	printf '  %-8s %s\n' "$v" "$(calc '%.2f' "\"$t\" != \"\"" "($t - $tn) / $OPENS * 1e6")"
done
echo
echo "connect: added cost per connect+close over native (us)"
cn=${M[connect.native]}
for v in floor floor-s learn enforce enforce-pt enforce-bt strace; do
	t=${M[connect.$v]:-}
	printf '  %-8s %s\n' "$v" "$(calc '%.2f' "\"$t\" != \"\"" "($t - $cn) / $CONNECTS * 1e6")"
done
r1=$(calc '%.2f' "$tf - $tn > 0" "($te - $tn) / ($tf - $tn)")
r1s=$(calc '%.2f' "$tfs - $tn > 0" "($te - $tn) / ($tfs - $tn)")
r2=$(calc '%.2f' "$tf > 0" "$te / $tf")
r2s=$(calc '%.2f' "$tfs > 0" "$te / $tfs")
echo
echo "ratios"
# The target is judged against floor-s: supervise opts into SYNC_WAKE_UP, and without it the
# floor's cost per call depends on whether the scheduler keeps the two processes on one CPU
# (bimodal on a 2-CPU VM: ~7 or ~45 us per open), which says nothing about supervise.
printf '  %-54s %7sx   target <= 1.15x: %s\n' "enforce/floor-s per trapped open (te-tn)/(tfs-tn)" "$r1s" \
	"$(ok "$r1s" '<=' 1.15)"
printf '  %-54s %7sx   (plain floor: no SYNC_WAKE_UP; see the spread)\n' "enforce/floor per trapped open (te-tn)/(tf-tn)" "$r1"
printf '  %-54s %7sx\n' "enforce/floor-s, whole openbench run" "$r2s"
printf '  %-54s %7sx\n' "enforce/floor, whole openbench run" "$r2"
cfs=${M[connect.floor-s]} ce=${M[connect.enforce]}
printf '  %-54s %7sx\n' "connect: enforce/floor-s per connect (te-tn)/(tfs-tn)" \
	"$(calc '%.2f' "$cfs - $cn > 0" "($ce - $cn) / ($cfs - $cn)")"
printf '  %-54s %7sx\n' "connect: enforce/floor-s, whole run" "$(calc '%.2f' "$cfs > 0" "$ce / $cfs")"
lp=${M[python.learn]} sp=${M[python.strace]:-}
r3=$(calc '%.2f' "\"$sp\" != \"\" && $sp > 0" "$lp / ${sp:-1}")
printf '  %-54s %7sx   target <= 0.5x: %s\n' "learn/strace -f on the python import" "$r3" "$(ok "$r3" '<=' 0.5)"
pn=${M[python.native]}
r4=$(calc '%.2f' "$pn > 0" "$lp / $pn")
printf '  %-54s %7sx   target <= 1.5x: %s\n' "learn/native on the python import" "$r4" "$(ok "$r4" '<=' 1.5)"
for w in openbench python; do
	sw=${M[$w.strace]:-}
	r=$(calc '%.2f' "\"$sw\" != \"\" && $sw > 0" "${M[$w.enforce-pt]} / ${sw:-1}")
	printf '  %-54s %7sx   target <= 0.6x: %s\n' "$w: enforce-pt/strace -f" "$r" "$(ok "$r" '<=' 0.6)"
	printf '  %-54s %7sx\n' "$w: enforce-pt/enforce (ptrace vs notify)" \
		"$(calc '%.2f' "${M[$w.enforce]} > 0" "${M[$w.enforce-pt]} / ${M[$w.enforce]}")"
done
if [ "$HAVE_HF" = 1 ]; then
	cn=${C[openbench.native]} cfs=${C[openbench.floor-s]} ce=${C[openbench.enforce]} csp=${C[python.strace]:-}
	printf '  %-54s %7sx\n' "  the same in CPU time" \
		"$(calc '%.2f' "\"$csp\" != \"\" && 0$csp > 0" "${C[python.learn]} / 0$csp")"
	printf '  %-54s %7sx\n' "enforce/floor-s per trapped open in CPU time" \
		"$(calc '%.2f' "$cfs - $cn > 0" "($ce - $cn) / ($cfs - $cn)")"
fi
for w in "${WORKLOADS[@]}"; do
	n=${M[$w.native]}
	printf '  %-54s %7sx\n' "$w: learn/native" "$(calc '%.2f' "$n > 0" "${M[$w.learn]} / $n")"
	printf '  %-54s %7sx\n' "$w: enforce/native" "$(calc '%.2f' "$n > 0" "${M[$w.enforce]} / $n")"
	printf '  %-54s %7sx\n' "$w: floor/native" "$(calc '%.2f' "$n > 0" "${M[$w.floor]} / $n")"
	printf '  %-54s %7sx\n' "$w: floor-s/native" "$(calc '%.2f' "$n > 0" "${M[$w.floor-s]} / $n")"
done

# Events the learn run logged (one per trapped call learn records), from the master databases.
if command -v sqlite3 >/dev/null; then
	echo
	echo "trapped calls logged by the learn run (runs.events): $(for w in "${WORKLOADS[@]}"; do
		printf '%s %s  ' "$w" "$(sqlite3 "$tmp/master-$w.db" 'SELECT max(events) FROM runs' 2>/dev/null)"; done)"
fi

echo
echo "--backtrace: added cost per trapped call, ptrace enforce with and without it (us)"
for w in "${WORKLOADS[@]}"; do
	n=$(sqlite3 "$tmp/master-$w.db" 'SELECT max(events) FROM runs' 2>/dev/null)
	tb=${M[$w.enforce-bt]:-} tp=${M[$w.enforce-pt]:-}
	printf '  %-10s %s   (%s calls)\n' "$w" \
		"$(calc '%.1f' "\"$tb\" != \"\" && \"$n\" != \"\" && 0$n > 0" "($tb - $tp) / 0$n * 1e6")" "${n:-?}"
done

echo
if [ -x "$BENCHDB" ]; then
	if out=$(cd "$tmp" && "$BENCHDB" "$BENCH_DB_EVENTS" 2>&1); then
		rate=$(printf '%s\n' "$out" | sed -n 's/.*= *\([0-9.]*\) events\/s.*/\1/p' | tail -1)
		echo "$out" | tail -1
		printf '  %-54s %7s/s  target >= 500000/s: %s\n' "db_writer throughput" "${rate:-?}" \
			"$(ok "${rate:-n/a}" '>=' 500000)"
	else
		echo "bench: bench_db failed:" >&2
		echo "$out" >&2
		failed=1
	fi
else
	echo "db_writer throughput: n/a ($BENCHDB not built)"
fi

# --- how tight learned profiles are (bench/tightness.sh, which also runs alone) --------------

B=$B ./bench/tightness.sh || failed=1

# --- real programs, each target a ratio measured side by side (bench/workloads.sh, which also
# runs alone; its status 2, something missing, wins over 1) ----------------------------------

B=$B ./bench/workloads.sh
rc=$?
[ $rc -gt $failed ] && failed=$rc
exit $failed
