#!/bin/bash
# workloads.sh - what supervision costs on real programs, as ratios measured side by side.
#
# Every workload gets a profile learned in this run (`supervise --learn -p bench-W` once); each
# enforce repetition then uses a fresh copy of that database. All variants of a workload run in one
# `hyperfine -N --runs 1` call per repetition (their order rotated from one repetition to the
# next), so the noise of a shared machine hits them alike; the report shows medians.
#
# Workloads (the variants in brackets):
#   python   the PATH's python3 (a pyenv shim is a bash script: some 250 execs) importing four
#            stdlib packages [native floor-s enforce enforce-nj learn strace bwrap]
#   shell    bash running /bin/true 500 times [native floor-s enforce]
#   make     make -j2 of a generated C project (36 files and headers) from clean; the clean is
#            hyperfine's --prepare, so it is not timed [native floor-s enforce]
#   git-status, git-log   git status and git log -p -20 in a generated repository of 5,000 files
#            and 21 commits [native floor-s enforce]
#   startup  /bin/true [native enforce enforce-50 bwrap]
# where floor-s is bench/floor -s (the bare notify floor with SYNC_WAKE_UP), enforce-nj is
# --no-jail --enforce, learn writes into a copy of an empty database per run (created once: a
# user's database exists after the first run), strace is strace -f -o /dev/null,
# bwrap is bubblewrap with the view of the base profile (plus the python installation for python),
# and enforce-50 enforces an imported profile of 50 read/exec rules and include base.
#
# Then the supervisor's footprint: openbench FOOT_CALLS x openat+close under --enforce, once: the
# peak RSS of supervise and the database growth per trapped call (again with --log all when
# supervise has it). With --timings (when supervise has it), one more enforce run of startup,
# python and git-status prints supervise's own timing lines. Last a summary: each target, met or
# MISSED.
#
# Environment: B (build dir, default build), REPS (repetitions of python, shell and make, default
# 9; QUICK=1 makes it 3), REPS_SHORT (of git and startup, default 3 x REPS), FOOT_CALLS (default
# 1000000), KEEP=1 (keep the temporary directory).
# Exits 0 when everything ran (a missed target is reported, not a failure), 1 when a workload or a
# variant failed (the others still run), 2 when something it needs is missing.
# shellcheck disable=SC2016 # the generated Makefile and the shell workload are literal text
set -u
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
[ "${QUICK:-0}" = 1 ] && REPS=${REPS:-3}
REPS=${REPS:-9}
REPS_SHORT=${REPS_SHORT:-$((REPS * 3))}
FOOT_CALLS=${FOOT_CALLS:-1000000}
SUP=$PWD/$B/supervise
FLOOR=$PWD/$B/bench/floor
OPENBENCH=$PWD/$B/bench/openbench
WORKLOADS=(python shell make git-status git-log startup)

for f in "$SUP" "$FLOOR" "$OPENBENCH"; do
	[ -x "$f" ] || { echo "bench: $f is missing: run make tests" >&2; exit 2; }
done
missing=()
for t in hyperfine bwrap git; do
	command -v "$t" >/dev/null || missing+=("$t")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "bench: missing: ${missing[*]}; install with: apt-get install -y bubblewrap hyperfine git" >&2
	exit 2
fi
for t in python3 cc make bash seq; do
	command -v "$t" >/dev/null || { echo "bench: $t is missing" >&2; exit 2; }
done
PY=$(command -v python3)
HAVE_STRACE=1
command -v strace >/dev/null || HAVE_STRACE=0
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=

tmp=$(mktemp -d "${TMPDIR:-/tmp}/supervise-workloads.XXXXXX") || exit 2
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	if [ "${KEEP:-0}" = 1 ]; then echo "bench: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
mkdir -p "$tmp/t" "$tmp/db" "$tmp/work" "$tmp/bin" "$tmp/proj" "$tmp/repo"
# Work on copies, so a rebuild during the run cannot mix two versions of a binary.
cp "$SUP" "$FLOOR" "$OPENBENCH" "$tmp/bin/" || exit 2
SUP=$tmp/bin/supervise FLOOR=$tmp/bin/floor OPENBENCH=$tmp/bin/openbench
HAVE_TIMINGS=0
"$SUP" --help 2>&1 | grep -q -- --timings && HAVE_TIMINGS=1
HAVE_LOG=0
"$SUP" --help 2>&1 | grep -qE -- '(^|[[:space:]])--log([[:space:]=]|$)' && HAVE_LOG=1
failed=0
declare -A WFAIL  # workload -> why it failed
declare -A VDROP  # workload.variant -> 1 when that variant failed its check

# --- the generated inputs --------------------------------------------------------------------

echo "supervise benchmark data" >"$tmp/work/small"

# gen_proj DIR - write a C project to DIR: 36 modules (m1.c .. m36.c, each with its header), a
# main.c calling them all, and a Makefile whose default target links them into DIR/prog.
gen_proj() {
	local d=$1 i
	for ((i = 1; i <= 36; i++)); do
		printf '#ifndef M%d_H\n#define M%d_H\nint m%d(int x);\n#endif\n' "$i" "$i" "$i" >"$d/m$i.h"
		printf '#include <string.h>\n#include "m%d.h"\n\nint m%d(int x)\n{\n\tchar b[64];\n\tint acc = 0;\n\n' \
			"$i" "$i" >"$d/m$i.c"
		printf '\tmemset(b, x & 0x7f, sizeof(b));\n\tfor (int k = 0; k < x %% %d; k++)\n' $((i + 7)) >>"$d/m$i.c"
		printf '\t\tacc += b[k %% sizeof(b)] * %d;\n\treturn acc;\n}\n' "$i" >>"$d/m$i.c"
	done
	{
		printf '#include <stdio.h>\n'
		for ((i = 1; i <= 36; i++)); do printf '#include "m%d.h"\n' "$i"; done
		printf '\nint main(void)\n{\n\tint t = 1;\n\n'
		for ((i = 1; i <= 36; i++)); do printf '\tt += m%d(t);\n' "$i"; done
		printf '\tprintf("%%d\\n", t);\n\treturn 0;\n}\n'
	} >"$d/main.c"
	printf '%s\n' 'SRCS := $(wildcard *.c)' 'OBJS := $(SRCS:.c=.o)' '' 'prog: $(OBJS)' \
		'	$(CC) -o $@ $(OBJS)' '' '%.o: %.c $(wildcard *.h)' '	$(CC) -O1 -c $< -o $@' '' \
		'clean:' '	rm -f $(OBJS) prog' '' '.PHONY: clean' >"$d/Makefile"
}

# gen_repo DIR - make DIR a git repository of 100 directories x 50 small files, committed once,
# then 20 commits that each change 4 files, the files' times an hour back. Returns 1 on a failure.
gen_repo() {
	local d=$1 i j c
	for ((i = 0; i < 100; i++)); do
		mkdir "$d/d$i" || return 1
		for ((j = 0; j < 50; j++)); do
			printf 'file %d of directory %d\nsupervise benchmark\n' "$j" "$i" >"$d/d$i/f$j.txt"
		done
	done
	(
		cd "$d" || exit 1
		export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org \
			GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org
		git init -q . && git add . && git commit -q -m "5000 files" || exit 1
		for ((c = 1; c <= 20; c++)); do
			for ((i = c; i < 100; i += 25)); do
				printf 'change %d\n' "$c" >>"d$i/f$((c % 50)).txt"
			done
			git commit -q -a -m "change $c" || exit 1
		done
		# Files written in the second the index was written stay "racily clean": each git
		# status reads them all again, and learn would name all 5,000. An hour older, and one
		# status to refresh the index, make it the settled repository of everyday use.
		find . -path ./.git -prune -o -type f -exec touch -d @$(($(date +%s) - 3600)) {} + &&
			git status >/dev/null
	)
}

# gen_profile50 - write a profile of include base and 50 read/exec rules on existing host paths
# (what /bin/true needs, files of /usr/bin, /etc and /usr/share) to stdout.
gen_profile50() {
	echo "# 50 rules on host paths, for the start-up cost of a larger view"
	echo "include base"
	echo "exec /bin"
	echo "exec /usr/bin/true"
	find /usr/bin -maxdepth 1 -type f ! -name true | sort | head -28 | sed 's/^/exec /'
	find /etc -maxdepth 1 -type f | sort | head -10 | sed 's/^/read /'
	find /usr/share -mindepth 2 -maxdepth 2 -type f | sort | head -10 | sed 's/^/read /'
	echo "syscalls @default"
}

gen_proj "$tmp/proj"
gen_repo "$tmp/repo" >"$tmp/err" 2>&1 || { echo "bench: making the git repository failed:" >&2; cat "$tmp/err" >&2; exit 1; }
gen_profile50 >"$tmp/p50.profile"

# The bubblewrap view that matches the base profile: /usr and /etc read-only, the top-level
# links or directories into /usr, /dev, /proc and a private /tmp.
BWRAP=(bwrap --unshare-all --die-with-parent --ro-bind /usr /usr --ro-bind /etc /etc)
for d in bin sbin lib lib64 lib32 libx32; do
	if [ -L "/$d" ]; then
		BWRAP+=(--symlink "$(readlink "/$d")" "/$d")
	elif [ -d "/$d" ]; then
		BWRAP+=(--ro-bind "/$d" "/$d")
	fi
done
BWRAP+=(--dev /dev --proc /proc --tmpfs /tmp)
# For python also the installation outside /usr (a pyenv's root holds the shim, pyenv's own
# scripts and the interpreter) and the working directory (pyenv looks for .python-version).
BWRAP_PY=()
pyroots=("$(dirname "$(dirname "$PY")")" "$("$PY" -c 'import sys; print(sys.base_prefix)' 2>/dev/null)")
for r in "${pyroots[@]}"; do
	case $r in /usr | /usr/* | "") continue ;; esac
	[ ${#BWRAP_PY[@]} -gt 0 ] && case $r in "${BWRAP_PY[2]}"/*) continue ;; esac
	BWRAP_PY+=(--ro-bind "$r" "$r")
done
BWRAP_PY+=(--ro-bind "$tmp/work" "$tmp/work" --chdir "$tmp/work")

# workload W - set CMD (an array), WDIR (its working directory), PREP (hyperfine's --prepare
# command, or empty), VARS (the variants, an array) and NREPS for workload W.
workload() {
	WDIR=$tmp/work PREP='' NREPS=$REPS VARS=(native floor-s enforce)
	case $1 in
	python)
		CMD=("$PY" -c 'import json,email,http.client,asyncio')
		VARS=(native floor-s enforce enforce-nj learn strace bwrap) ;;
	shell) CMD=(bash -c 'for i in $(seq 500); do /bin/true; done') ;;
	make)
		CMD=(make -j2 -C "$tmp/proj")
		PREP="make -s -C $(q "$tmp/proj") clean" ;;
	git-status) CMD=(git status) WDIR=$tmp/repo NREPS=$REPS_SHORT ;;
	git-log) CMD=(git log -p -20) WDIR=$tmp/repo NREPS=$REPS_SHORT ;;
	startup) CMD=(/bin/true) NREPS=$REPS_SHORT VARS=(native enforce enforce-50 bwrap) ;;
	openbench) CMD=("$OPENBENCH" 1000 "$tmp/work/small") VARS=(native) ;;
	esac
}

# variant V W REP - set PRE to the prefix that runs workload W under variant V in repetition REP
# (an array); SKIP=1 when the variant is unavailable on this host.
variant() {
	SKIP=0
	case $1 in
	native) PRE=() ;;
	floor-s) PRE=("$FLOOR" -s) ;;
	learn) PRE=("$SUP" --db "$tmp/db/learn-$2-$3.db" -q --learn -p "bench-$2") ;;
	enforce) PRE=("$SUP" --db "$tmp/db/enforce-$2-$3.db" -q --enforce "bench-$2") ;;
	enforce-nj) PRE=("$SUP" --db "$tmp/db/enforce-$2-$3.db" -q --no-jail --enforce "bench-$2") ;;
	enforce-50) PRE=("$SUP" --db "$tmp/db/enforce50-$2-$3.db" -q --enforce bench-p50) ;;
	strace) PRE=(strace -f -o /dev/null); [ "$HAVE_STRACE" = 1 ] || SKIP=1 ;;
	bwrap)
		PRE=("${BWRAP[@]}")
		[ "$2" = python ] && PRE+=("${BWRAP_PY[@]}") ;;
	esac
}

# fresh W REP - give repetition REP of workload W its own copies of the learned databases, and
# a learn database that exists but holds no run yet (a user's database after the first run; the
# one-time creation of a database is not part of each learn run).
fresh() {
	rm -f "$tmp/db/learn-$1-$2.db"*
	cp "$tmp/db/empty.db" "$tmp/db/learn-$1-$2.db" || return 1
	cp "$tmp/db/master-$1.db" "$tmp/db/enforce-$1-$2.db" || return 1
	[ -f "$tmp/db/master-p50.db" ] && cp "$tmp/db/master-p50.db" "$tmp/db/enforce50-$1-$2.db"
	return 0
}

# unfresh W REP - remove the databases of repetition REP of workload W.
unfresh() {
	rm -f "$tmp/db/learn-$1-$2.db"* "$tmp/db/enforce-$1-$2.db"* "$tmp/db/enforce50-$1-$2.db"*
}

# shellcheck source=bench/lib.bash
. bench/lib.bash	# q (the working directory is the tree's top, see above)

# run_once W V REP - run workload W under variant V once (its --prepare first), in its working
# directory, output discarded, error output to $tmp/err. Returns the command's status.
run_once() {
	workload "$1"
	variant "$2" "$1" "$3"
	(
		cd "$WDIR" || exit 125
		if [ -n "$PREP" ]; then eval "$PREP" >/dev/null 2>&1 || exit 125; fi
		exec "${PRE[@]}" "${CMD[@]}" >/dev/null 2>"$tmp/err"
	)
}

# show_profile W V - print the profile variant V of workload W enforces, indented, to stderr: its
# first 80 lines and how many there are.
show_profile() {
	local name=bench-$1 db=$tmp/db/master-$1.db
	[ "$2" = enforce-50 ] && name=bench-p50 db=$tmp/db/master-p50.db
	"$SUP" --db "$db" profile show "$name" >"$tmp/profile" 2>&1
	echo "  the profile ($name, $(wc -l <"$tmp/profile") lines):" >&2
	head -80 "$tmp/profile" | sed 's/^/    /' >&2
}

# report_fail W V RC [REP] - print that workload W failed under variant V with status RC (in
# repetition REP, default the check): the command, the first 20 lines of its error output and,
# for an enforce variant, the profile.
report_fail() {
	workload "$1"
	variant "$2" "$1" "${4:-check}"
	echo "bench: FAILED: $1 under $2: status $3" >&2
	echo "  command (in $WDIR): $(q "${PRE[@]}" "${CMD[@]}")" >&2
	echo "  stderr (first 20 lines):" >&2
	head -20 "$tmp/err" | sed 's/^/    /' >&2
	case $2 in enforce*) show_profile "$1" "$2" ;; esac
}

# --- setup: learn each profile, check every variant once (which warms the caches) ----------------

echo
echo "# supervise workloads: $(uname -sr), $(nproc) CPUs, $REPS repetitions of python, shell and make," \
	"$REPS_SHORT of git and startup, timed by $(hyperfine --version)"
shebang=$(head -c 64 "$PY" | head -1 | grep '^#!')
echo "# python = $PY -c 'import json,email,http.client,asyncio'${shebang:+ (a script: $shebang)}"
echo "# make = make -j2 -C of a generated project ($(find "$tmp/proj" -name '*.c' | wc -l) .c files); git in a repository of" \
	"$(git -C "$tmp/repo" ls-files | wc -l) files, $(git -C "$tmp/repo" rev-list --count HEAD) commits"
echo "# bwrap = ${BWRAP[*]} CMD"
echo "#   for python also: ${BWRAP_PY[*]}"
echo "# learning the profiles and checking every variant once..."
"$SUP" --db "$tmp/db/empty.db" profile list >/dev/null 2>"$tmp/err" ||
	{ echo "bench: creating an empty database failed:" >&2; cat "$tmp/err" >&2; exit 1; }

if ! "$SUP" --db "$tmp/db/master-p50.db" profile import "$tmp/p50.profile" bench-p50 >/dev/null 2>"$tmp/err"; then
	echo "bench: FAILED: importing the 50-rule profile:" >&2; head -20 "$tmp/err" >&2
	cat "$tmp/p50.profile" >&2
	rm -f "$tmp/db/master-p50.db"*
	VDROP[startup.enforce-50]=1 failed=1
fi

# setup W - learn workload W's profile into master-W.db and run each variant once; a failure of
# native, learn or enforce marks the workload failed (WFAIL), of another variant drops it (VDROP).
setup() {
	local w=$1 v rc
	workload "$w"
	run_once "$w" native check; rc=$?
	if [ $rc -ne 0 ]; then
		report_fail "$w" native $rc; WFAIL[$w]="fails natively"; return 1
	fi
	(
		cd "$WDIR" || exit 125
		if [ -n "$PREP" ]; then eval "$PREP" >/dev/null 2>&1 || exit 125; fi
		exec "$SUP" --db "$tmp/db/master-$w.db" -q --learn -p "bench-$w" "${CMD[@]}" >/dev/null 2>"$tmp/err"
	); rc=$?
	if [ $rc -ne 0 ]; then
		echo "bench: FAILED: learning $w: status $rc:" >&2; head -20 "$tmp/err" | sed 's/^/    /' >&2
		WFAIL[$w]="learn failed (status $rc)"; return 1
	fi
	for v in "${VARS[@]}"; do
		variant "$v" "$w" check
		[ "$SKIP" = 1 ] && continue
		[ -n "${VDROP[$w.$v]:-}" ] && continue
		fresh "$w" check || { WFAIL[$w]="copying its database failed"; return 1; }
		run_once "$w" "$v" check; rc=$?
		# make: the enforce run must also have written the objects and linked the program.
		if [ $rc -eq 0 ] && [ "$w" = make ] && [ ! -x "$tmp/proj/prog" ]; then
			echo "(exit status 0, but $tmp/proj/prog was not built)" >>"$tmp/err"; rc=1
		fi
		unfresh "$w" check
		[ $rc -eq 0 ] && continue
		report_fail "$w" "$v" $rc
		failed=1
		case $v in
		enforce | learn) WFAIL[$w]="$v does not replay (status $rc)"; return 1 ;;
		*) VDROP[$w.$v]=1 ;;
		esac
	done
	return 0
}
for w in "${WORKLOADS[@]}"; do
	setup "$w" || failed=1
done
# openbench's profile, for the footprint.
workload openbench
"$SUP" --db "$tmp/db/master-openbench.db" -q --learn -p bench-openbench "${CMD[@]}" >/dev/null 2>"$tmp/err" ||
	{ report_fail openbench learn $?; WFAIL[footprint]="learning openbench failed"; failed=1; }

# The size of each learned profile: a large one costs start-up (parsing, the view, teardown).
line="# learned profiles (rules, not counting include base):"
for w in "${WORKLOADS[@]}"; do
	[ -f "$tmp/db/master-$w.db" ] || continue
	line+=" $w $("$SUP" --db "$tmp/db/master-$w.db" profile show "bench-$w" 2>/dev/null |
		grep -cE '^(read|write|exec|deny|grant|tmpfs) ')"
done
echo "$line"

# --- the interleaved session -----------------------------------------------------------------

# run_rep W REP - one repetition of workload W: every variant once, in an order rotated by REP.
# Appends seconds to $tmp/t/W.V. On a failure prints the variants that fail and returns 1.
run_rep() {
	local w=$1 rep=$2 v i n hf=() names=() all=() prep=() rc
	workload "$w"
	[ -n "$PREP" ] && prep=(--prepare "$PREP")
	for v in "${VARS[@]}"; do
		variant "$v" "$w" "$rep"
		[ "$SKIP" = 1 ] || [ -n "${VDROP[$w.$v]:-}" ] || all+=("$v")
	done
	n=${#all[@]}
	for ((i = 0; i < n; i++)); do
		v=${all[(i + rep) % n]}
		variant "$v" "$w" "$rep"
		names+=("$v")
		hf+=(-n "$v" "$(q "${PRE[@]}" "${CMD[@]}")")
	done
	fresh "$w" "$rep" || return 1
	(cd "$WDIR" && hyperfine -N --runs 1 --style basic "${prep[@]}" \
		--export-csv "$tmp/h.csv" "${hf[@]}") >"$tmp/hf.log" 2>&1; rc=$?
	if [ $rc -eq 0 ] && [ "$w" = make ] && [ ! -x "$tmp/proj/prog" ]; then
		echo "make: $tmp/proj/prog is missing after the repetition" >>"$tmp/hf.log"; rc=1
	fi
	if [ $rc -ne 0 ]; then
		echo "bench: $w failed in repetition $rep:" >&2; tail -20 "$tmp/hf.log" >&2
		for v in "${names[@]}"; do
			fresh "$w" "$rep"
			run_once "$w" "$v" "$rep" && continue
			report_fail "$w" "$v" $? "$rep"
		done
		unfresh "$w" "$rep"
		return 1
	fi
	awk -F, -v dir="$tmp/t" -v w="$w" 'NR > 1 { print $2 >> (dir "/" w "." $1) }' "$tmp/h.csv"
	unfresh "$w" "$rep"
}

echo "# running (each dot is one repetition of every workload)..."
for ((rep = 1; rep <= REPS || rep <= REPS_SHORT; rep++)); do
	for w in "${WORKLOADS[@]}"; do
		[ -n "${WFAIL[$w]:-}" ] && continue
		workload "$w"
		[ "$rep" -le "$NREPS" ] || continue
		run_rep "$w" "$rep" || { WFAIL[$w]="failed in repetition $rep"; failed=1; }
	done
	printf '.' >&2
done
echo >&2

# --- the footprint: openbench under --enforce, once ----------------------------------------

# dbsize DB - the bytes of DB and its -wal.
dbsize() {
	local f s=0
	for f in "$1" "$1-wal"; do
		[ -f "$f" ] && s=$((s + $(stat -c %s "$f")))
	done
	echo $s
}

# footprint [OPTION...] - run openbench FOOT_CALLS times under --enforce with OPTIONs, once. Sets
# RSS_TIME (KiB, /usr/bin/time's %M: supervise and its descendants), RSS_HWM (KiB, VmHWM of the
# supervise process, polled) and GROWTH (bytes of database growth). Returns 1 on a failure.
footprint() {
	local db=$tmp/db/foot.db before tpid spid k v rest rc tw=()
	spid=''
	rm -f "$db"*
	cp "$tmp/db/master-openbench.db" "$db" || return 1
	before=$(dbsize "$db")
	RSS_TIME='' RSS_HWM=''
	[ -n "$TIME" ] && tw=("$TIME" -f %M -o "$tmp/foot.rss")
	"${tw[@]}" "$SUP" --db "$db" -q "$@" --enforce bench-openbench \
		"$OPENBENCH" "$FOOT_CALLS" "$tmp/work/small" >/dev/null 2>"$tmp/err" &
	tpid=$!
	# The supervise process: /usr/bin/time's child, or the job itself.
	if [ -n "$TIME" ]; then
		while [ -z "$spid" ] && kill -0 "$tpid" 2>/dev/null; do
			read -r spid _ 2>/dev/null <"/proc/$tpid/task/$tpid/children"
			[ -n "$spid" ] || sleep 0.01
		done
	else
		spid=$tpid
	fi
	while [ -n "$spid" ] && [ -r "/proc/$spid/status" ]; do
		while read -r k v rest; do
			[ "$k" = VmHWM: ] && [ "${v:-0}" -gt "${RSS_HWM:-0}" ] && RSS_HWM=$v
		done 2>/dev/null <"/proc/$spid/status"
		sleep 0.05
	done
	wait "$tpid"; rc=$?
	if [ $rc -ne 0 ]; then
		echo "bench: FAILED: openbench under --enforce $*: status $rc:" >&2; head -20 "$tmp/err" >&2
		return 1
	fi
	[ -n "$TIME" ] && RSS_TIME=$(tail -1 "$tmp/foot.rss")
	GROWTH=$(($(dbsize "$db") - before))
	rm -f "$db"*
}

RSS='' GROW='' GROW_LOG=n/a
if [ -z "${WFAIL[footprint]:-}" ]; then
	echo
	echo "supervisor footprint: $(q "$OPENBENCH") $FOOT_CALLS FILE under --enforce"
	if footprint; then
		own=
		[ -n "$TIME" ] && own=$("$TIME" -f %M "$OPENBENCH" 1000 "$tmp/work/small" 2>&1 >/dev/null | tail -1)
		RSS=$(awk -v a="${RSS_TIME:-0}" -v b="${RSS_HWM:-0}" 'BEGIN { printf "%.2f", (a > b ? a : b) / 1024 }')
		echo "  peak RSS: ${RSS_TIME:-n/a} KiB by /usr/bin/time -f %M (the maximum over supervise and its" \
			"descendants; openbench alone: ${own:-n/a} KiB), ${RSS_HWM:-n/a} KiB VmHWM of the supervise process"
		GROW=$(awk -v g="$GROWTH" -v n="$FOOT_CALLS" 'BEGIN { printf "%.1f", g / n }')
		echo "  database growth: $GROWTH bytes, $GROW bytes per trapped call$( [ "$HAVE_LOG" = 1 ] &&
			echo " (the default --log)")"
	else
		WFAIL[footprint]="openbench under --enforce failed"; failed=1
	fi
	if [ "$HAVE_LOG" = 1 ] && [ -z "${WFAIL[footprint]:-}" ]; then
		if footprint --log all; then
			GROW_LOG=$(awk -v g="$GROWTH" -v n="$FOOT_CALLS" 'BEGIN { printf "%.1f", g / n }')
			echo "  with --log all: database growth $GROWTH bytes, $GROW_LOG bytes per trapped call"
		else
			GROW_LOG=FAILED failed=1
		fi
	elif [ "$HAVE_LOG" = 0 ]; then
		echo "  with --log all: n/a (supervise --help lists no --log)"
	fi
fi

# --- where the time goes: supervise --timings ----------------------------------------------

# timings W - one more enforce run of workload W with --timings; print its timing lines in order,
# a heading before each group (the part of the name before the first dot).
timings() {
	local w=$1 rc
	workload "$w"
	fresh "$w" timings
	(cd "$WDIR" && exec "$SUP" --db "$tmp/db/enforce-$w-timings.db" --timings --enforce "bench-$w" \
		"${CMD[@]}" >/dev/null 2>"$tmp/err"); rc=$?
	unfresh "$w" timings
	echo "  $w (status $rc):"
	grep 'timing:' "$tmp/err" | sed 's/.*timing:[[:space:]]*//' | awk '
		{ g = $1; sub(/\..*/, "", g); if (g != last) { print "    " g; last = g }
		  printf "      %s\n", $0; n++ }
		END { if (!n) print "    (no timing: lines on stderr)" }'
	[ $rc -eq 0 ] || { head -20 "$tmp/err" | sed 's/^/    /'; failed=1; }
}
echo
echo "where the time goes (supervise --timings, one enforce run):"
if [ "$HAVE_TIMINGS" = 1 ]; then
	for w in startup python git-status; do
		[ -n "${WFAIL[$w]:-}" ] && { echo "  $w: n/a (${WFAIL[$w]})"; continue; }
		timings "$w"
	done
else
	echo "  n/a (no --timings)"
fi

# --- the report ------------------------------------------------------------------------------

# med FILE - the median of the numbers in FILE (one a line), or empty.
med() {
	[ -s "$1" ] || return 0
	sort -g "$1" | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2];
		else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# ratio W V1 V2 - the median of W under V1 over that under V2, or n/a.
ratio() {
	local a=${M[$1.$2]:-} b=${M[$1.$3]:-}
	if [ -z "$a" ] || [ -z "$b" ]; then echo n/a; return; fi
	awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}
# ok FIG OP TARGET - "met" or "MISSED" for figure FIG against TARGET (OP is <=, < or >=).
ok() {
	case $1 in n/a | FAILED | "") echo "${1:-n/a}"; return ;; esac
	awk -v f="$1" -v t="$3" -v op="$2" 'BEGIN {
		m = op == "<=" ? f <= t : op == "<" ? f < t : f >= t; print m ? "met" : "MISSED" }'
}

declare -A M
echo
echo "wall time, median (ms; python, shell and make $REPS runs, git and startup $REPS_SHORT)"
for w in "${WORKLOADS[@]}"; do
	workload "$w"
	line=$(printf '  %-11s' "$w")
	for v in "${VARS[@]}"; do
		M[$w.$v]=$(med "$tmp/t/$w.$v")
		if [ -n "${M[$w.$v]}" ]; then
			line+=$(printf ' %s %.1f' "$v" "$(awk -v s="${M[$w.$v]}" 'BEGIN { print s * 1000 }')")
		else
			line+=" $v n/a"
		fi
	done
	[ -n "${WFAIL[$w]:-}" ] && line+="   (FAILED: ${WFAIL[$w]})"
	echo "$line"
done

echo
echo "spread of the wall times: slowest/fastest run (1.00 = none)"
for w in "${WORKLOADS[@]}"; do
	workload "$w"
	line=$(printf '  %-11s' "$w")
	for v in "${VARS[@]}"; do
		line+=" $v $( [ -s "$tmp/t/$w.$v" ] && sort -g "$tmp/t/$w.$v" |
			awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (lo > 0) printf "%.2f", hi / lo }')"
	done
	echo "$line"
done

echo
echo "for reference"
printf '  %-40s %7s\n' "python: floor-s/native" "$(ratio python floor-s native)"
printf '  %-40s %7s\n' "python: bwrap/native" "$(ratio python bwrap native)"
printf '  %-40s %7s\n' "python: enforce-nj/native (--no-jail)" "$(ratio python enforce-nj native)"
printf '  %-40s %7s\n' "python: strace/native" "$(ratio python strace native)"
for w in shell make git-status git-log; do
	printf '  %-40s %7s\n' "$w: floor-s/native" "$(ratio "$w" floor-s native)"
done
printf '  %-40s %7s\n' "startup: enforce/native" "$(ratio startup enforce native)"
printf '  %-40s %7s\n' "startup: bwrap/native" "$(ratio startup bwrap native)"
# Per exec: the shell loop's 500 iterations of fork, exec of /bin/true and its loader's opens,
# each variant's added wall time over native divided by 500; what start-up and teardown add is in
# it too (see "where the time goes" for their share).
for v in floor-s enforce; do
	n=${M[shell.native]:-} t=${M[shell.$v]:-}
	printf '  %-40s %7s\n' "shell: added per exec, $v (us)" \
		"$( [ -n "$n" ] && [ -n "$t" ] && awk -v n="$n" -v t="$t" 'BEGIN { printf "%.1f", (t - n) / 500 * 1e6 }' || echo n/a)"
done

# row NAME FIG OP TARGET [WORKLOAD] - one line of the summary; FAILED when WORKLOAD failed.
row() {
	local fig=$2
	[ -n "${5:-}" ] && [ -n "${WFAIL[$5]:-}" ] && fig=FAILED
	printf '  %-40s %9s   %-2s %-6s %s\n' "$1" "${fig:-n/a}" "$3" "$4" "$(ok "${fig:-n/a}" "$3" "$4")"
}
echo
echo "summary"
printf '  %-40s %9s   %-9s %s\n' target measured target result
row "python: enforce/native" "$(ratio python enforce native)" '<=' 1.10 python
row "python: learn/native" "$(ratio python learn native)" '<=' 1.3 python
row "python: learn/strace -f" "$(ratio python learn strace)" '<=' 0.3 python
row "shell: enforce/native" "$(ratio shell enforce native)" '<=' 1.10 shell
row "make -j2: enforce/native" "$(ratio make enforce native)" '<=' 1.10 make
row "git status: enforce/native" "$(ratio git-status enforce native)" '<=' 1.10 git-status
row "git log -p -20: enforce/native" "$(ratio git-log enforce native)" '<=' 1.10 git-log
row "startup: enforce/bwrap" "$(ratio startup enforce bwrap)" '<=' 1.0 startup
row "startup: enforce-50 rules/bwrap" "$(ratio startup enforce-50 bwrap)" '<=' 1.3 startup
row "footprint: supervise peak RSS (MiB)" "$RSS" '<' 10 footprint
row "footprint: DB bytes per trapped call" "$GROW" '<' 200 footprint
row "  the same with --log all" "$GROW_LOG" '<' 200 footprint
for w in "${WORKLOADS[@]}" footprint; do
	[ -n "${WFAIL[$w]:-}" ] && echo "  FAILED: $w: ${WFAIL[$w]} (details above)"
done
for k in "${!VDROP[@]}"; do
	echo "  FAILED: ${k%%.*} under ${k#*.}: left out of the timing (details above)"
done
exit $failed
