#!/bin/bash
# tightness.sh - how tight the profiles that learn writes are: for each replay program of
# tests/e2e/replay.bats (bench/replay-workloads.bash), learn it once with `supervise --learn -p
# NAME` into a fresh database, then compare what the run touched with what the learned profile
# lets a program reach. Part of `make bench` (bench/run.sh runs it last); runs alone too.
#
# Figures, per program:
#   rules     the learned profile's own file rules (read/write/exec/deny/grant/tmpfs lines), and
#             those its include lines bring in (base), counted apart;
#   accessed  distinct file paths in the learn run's events (object starting with "/": network
#             objects and rows without a path are left out); "exist" says how many of them are
#             there after the run (library and locale searches probe many missing paths);
#   granted   existing file system objects (files, directories, symlinks) that the profile's own
#             allow rules reach: `find -P -xdev` below the literal part of each read, write, exec
#             and grant rule, each object decided as supervise decides it (bench/granted.c calls
#             policy_decide: a rule on a directory covers its subtree, more specific denies
#             subtract, "~" and "$CWD" are expanded as the profile format says); objects a tmpfs
#             rule decides count 0 (in the jail that is a private, empty directory);
#   ratio     granted/accessed: lower is tighter, 1.00 would be exact. Below 1 the own rules
#             cover less than the run touched, the rest being left to the included base profile;
#   +base     the same with the included rules too (base opens /usr/lib and more, so it is big);
#   widest    the own rule that reaches the most objects, and how many.
# Objects are counted after the learn run, so files the run created count.
#
# Beside the replay programs, three of this file measure the generalisations of learned profiles
# (supervise.profile(5), ARGUMENTS and LEARNED PROFILES), learned on their own command line (not
# through bash -c): "wc" (wc -l on a file named as an argument: "read @arg"), "csv" (a python
# script given a CSV and -o REPORT: "write @arg") and "logs" (a shell loop over *.log in the working
# directory: "read $CWD/*.log"). For these, @arg says how many objects "@arg" gave the learned
# run (what its arguments named, find -P below each; granted and ratio count them too): an @arg
# rule grants nothing by itself, only what the arguments of each run name.
#
# The programs run with PATH=/usr/local/bin:/usr/bin:/bin, HOME in a temporary directory and the
# environment of replay_env, as in the e2e tier. A program that is not installed is reported as
# skipped; a learn run that fails is reported with its error and the others go on.
#
# Environment: B (build dir, relative to the source tree or absolute; default build), KEEP_TMP
# (when set, the temporary directory is kept: each program's database, profile and work directory).
# Exits 0 when every installed program was learned and measured, 1 when one failed, 2 when
# something this script needs is missing.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
case $B in /*) ;; *) B=$PWD/$B ;; esac
SUP=$B/supervise
GRANTED=$B/bench/granted
for f in "$SUP" "$GRANTED"; do
	[ -x "$f" ] || { echo "tightness: $f is missing: run make tests" >&2; exit 2; }
done
HAVE_SQLITE=1
command -v sqlite3 >/dev/null || HAVE_SQLITE=0
# shellcheck source=bench/replay-workloads.bash
. bench/replay-workloads.bash

tmp=$(mktemp -d "${TMPDIR:-/tmp}/supervise-tightness.XXXXXX") || exit 2
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	cd / || return
	if [ -n "${KEEP_TMP:-}" ]; then
		echo "tightness: kept $tmp (databases, profiles, work directories)" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
mkdir -p "$tmp/bin" "$tmp/home" "$tmp/work"
# Copies, so a rebuild during the run cannot mix two versions.
cp "$SUP" "$GRANTED" "$tmp/bin/" || exit 2
SUP=$tmp/bin/supervise GRANTED=$tmp/bin/granted
# Both supervise and granted resolve "include base" from this tree's policies/.
export SUPERVISE_POLICIES=$PWD/policies HOME=$tmp/home PATH=/usr/local/bin:/usr/bin:/bin
unset SUPERVISE_DB
replay_env
failed=0

# The generalisation workloads (see the top): TIGHT_ARGV[NAME] is the command line, split on blanks.
declare -A TIGHT_ARGV
in_wc() { if [ "$1" = one ]; then printf 'a\nb\n' >report-march.txt; else printf 'x\n' >report-april.txt; fi; }
REPLAY_SETUP[wc]=in_wc REPLAY_NEEDS[wc]=wc REPLAY_TITLE[wc]='wc -l FILE (@arg)'
TIGHT_ARGV[wc]='wc -l report-march.txt'
in_csv() {
	printf 'import sys\nrows = open(sys.argv[1]).read().split()\n' >summarize.py
	printf 'open(sys.argv[3], "w").write("%%d rows\\n" %% len(rows))\n' >>summarize.py
	printf 'x,1\ny,2\n' >data-q1.csv
	for i in 1 2 3 4 5 6; do printf 'other%d\n' $i >"notes-$i.txt"; done	# not used
}
REPLAY_SETUP[csv]=in_csv REPLAY_NEEDS[csv]=python3 REPLAY_TITLE[csv]='python3 CSV -o OUT (@arg)'
TIGHT_ARGV[csv]='python3 summarize.py data-q1.csv -o report-q1.txt'
in_logs() {
	printf 'a1\n' >mon.log; printf 'a2\n' >tue.log
	for i in 1 2 3 4 5 6; do printf 'other%d\n' $i >"notes-$i.txt"; done	# not used
}
REPLAY_SETUP[logs]=in_logs REPLAY_NEEDS[logs]='sh cat sort' REPLAY_TITLE[logs]='sh: cat *.log ($CWD/*.log)'
TIGHT_ARGV[logs]=sh
REPLAY_CMD[logs]='for f in *.log; do cat "$f"; done | sort'
REPLAY_NAMES+=(wc csv logs)

# argobjs NAME DIR - the objects the learned run's arguments (TIGHT_ARGV[NAME] after the program)
# named, relative to DIR: what its "@arg" rules gave that run. 0 for the others.
argobjs() {
	local -a argv
	[ -n "${TIGHT_ARGV[$1]:-}" ] || { echo 0; return; }
	read -r -a argv <<<"${TIGHT_ARGV[$1]}"
	(cd "$2" && for a in "${argv[@]:1}"; do
		[ -e "$a" ] && find -P "$a" -xdev -print0 2>/dev/null
	done) | sort -zu | tr -cd '\0' | wc -c
}

# reach [--all] PROFILE CWD - the objects PROFILE's allow rules reach (own rules, or with --all
# the included ones too): granted's count output, total first, then "N<TAB>RULE" lines.
reach() {
	local all=()
	[ "$1" = --all ] && { all=(--all); shift; }
	"$GRANTED" roots "${all[@]}" "$1" "$2" |
		xargs -0 -r sh -c 'find -P "$@" -xdev -print0 2>/dev/null; exit 0' find |
		sort -zu | "$GRANTED" count "${all[@]}" "$1" "$2"
}

# ratio A B - A/B with two decimals, "n/a" when B is not a positive number.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'
}

# row NAME - learn program NAME in its own directory and database and print its table row, or a
# skip or failure line. Returns 1 when the learn run or a measurement failed.
row() {
	local name=$1 dir=$tmp/work/$1 db=$tmp/$1.db prof=$tmp/$1.profile p miss=() rc
	local own inc acc exist g gall widest a argv
	for p in ${REPLAY_NEEDS[$name]}; do
		command -v "$p" >/dev/null || miss+=("$p")
	done
	if [ ${#miss[@]} -gt 0 ]; then
		printf '%-5s %-26s skipped: %s not installed\n' "$name" "${REPLAY_TITLE[$name]}" "${miss[*]}"
		return 0
	fi
	mkdir -p "$dir" && cd "$dir" || return 1
	"${REPLAY_SETUP[$name]}" one
	if [ "${TIGHT_ARGV[$name]:-}" = sh ]; then
		"$SUP" --db "$db" -q --learn -p "$name" sh -c "${REPLAY_CMD[$name]}" </dev/null \
			>"$tmp/out" 2>"$tmp/err"
	elif [ -n "${TIGHT_ARGV[$name]:-}" ]; then
		read -r -a argv <<<"${TIGHT_ARGV[$name]}"
		"$SUP" --db "$db" -q --learn -p "$name" "${argv[@]}" </dev/null >"$tmp/out" 2>"$tmp/err"
	else
		"$SUP" --db "$db" -q --learn -p "$name" bash -c "${REPLAY_CMD[$name]}" </dev/null \
			>"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
	cd "$tmp" || return 1
	if [ $rc -ne 0 ]; then
		printf '%-5s %-26s FAILED: learn exited %d:\n' "$name" "${REPLAY_TITLE[$name]}" $rc
		sed 's/^/        /' "$tmp/err" | head -10
		return 1
	fi
	if ! "$SUP" --db "$db" profile export "$name" "$prof" 2>"$tmp/err" ||
		! read -r own inc < <("$GRANTED" rules "$prof" "$dir" 2>"$tmp/err"); then
		printf '%-5s %-26s FAILED: reading the learned profile:\n' "$name" "${REPLAY_TITLE[$name]}"
		sed 's/^/        /' "$tmp/err" | head -10
		return 1
	fi
	acc=n/a exist=n/a
	if [ $HAVE_SQLITE = 1 ]; then
		sqlite3 "$db" "SELECT DISTINCT object FROM events WHERE object LIKE '/%'
			AND access <> 'connect'" >"$tmp/objects" 2>"$tmp/err" || {
			echo "tightness: $name: reading the events:" >&2; cat "$tmp/err" >&2; return 1; }
		acc=$(wc -l <"$tmp/objects")
		exist=$(tr '\n' '\0' <"$tmp/objects" | "$GRANTED" exist)
	fi
	if ! reach "$prof" "$dir" >"$tmp/own" || ! reach --all "$prof" "$dir" >"$tmp/all"; then
		echo "tightness: $name: counting the granted objects failed" >&2
		return 1
	fi
	a=$(argobjs "$name" "$dir")
	g=$(($(head -1 "$tmp/own") + a)) gall=$(($(head -1 "$tmp/all") + a))
	widest=$(sed -n '2{s/^\([0-9]*\)\t\(.*\)/\2 (\1)/;p}' "$tmp/own")
	printf '%-5s %-26s %4s %4s %6s %6s %4s %8s %7s %8s %8s  %s\n' "$name" "${REPLAY_TITLE[$name]}" \
		"$own" "$inc" "$acc" "$exist" "$a" "$g" "$(ratio "$g" "$acc")" "$gall" \
		"$(ratio "$gall" "$acc")" "${widest:--}"
}

echo
echo "# profile tightness: each replay program learned once (supervise --learn -p NAME, fresh database);"
echo "#   rules = the profile's own file rules / those included (base); accessed = distinct file paths"
echo "#   in the run's events (exist: still there after it); granted = existing objects the own allow"
echo "#   rules reach (find -P -xdev, decided by policy_decide, denies subtract, tmpfs counts 0);"
echo "#   ratio = granted/accessed (1.00 = exact); +base = the same with the included rules too"
[ $HAVE_SQLITE = 1 ] || echo "#   (no sqlite3 CLI: accessed is n/a)"
echo "#   @arg = objects the learned run's arguments named (what \"@arg\" gave it; in granted too)"
printf '%-5s %-26s %4s %4s %6s %6s %4s %8s %7s %8s %8s  %s\n' name program own incl access exist \
	@arg granted ratio +base ratio "widest own rule (objects)"
t0=$SECONDS
for name in "${REPLAY_NAMES[@]}"; do
	row "$name" || failed=1
done
echo "# ($((SECONDS - t0)) s)"
exit $failed
