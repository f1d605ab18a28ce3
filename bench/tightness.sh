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
	local own inc acc exist g gall widest
	for p in ${REPLAY_NEEDS[$name]}; do
		command -v "$p" >/dev/null || miss+=("$p")
	done
	if [ ${#miss[@]} -gt 0 ]; then
		printf '%-5s %-24s skipped: %s not installed\n' "$name" "${REPLAY_TITLE[$name]}" "${miss[*]}"
		return 0
	fi
	mkdir -p "$dir" && cd "$dir" || return 1
	"${REPLAY_SETUP[$name]}" one
	"$SUP" --db "$db" -q --learn -p "$name" bash -c "${REPLAY_CMD[$name]}" </dev/null \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	cd "$tmp" || return 1
	if [ $rc -ne 0 ]; then
		printf '%-5s %-24s FAILED: learn exited %d:\n' "$name" "${REPLAY_TITLE[$name]}" $rc
		sed 's/^/        /' "$tmp/err" | head -10
		return 1
	fi
	if ! "$SUP" --db "$db" profile export "$name" "$prof" 2>"$tmp/err" ||
		! read -r own inc < <("$GRANTED" rules "$prof" "$dir" 2>"$tmp/err"); then
		printf '%-5s %-24s FAILED: reading the learned profile:\n' "$name" "${REPLAY_TITLE[$name]}"
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
	g=$(head -1 "$tmp/own") gall=$(head -1 "$tmp/all")
	widest=$(sed -n '2{s/^\([0-9]*\)\t\(.*\)/\2 (\1)/;p}' "$tmp/own")
	printf '%-5s %-24s %4s %4s %6s %6s %8s %7s %8s %8s  %s\n' "$name" "${REPLAY_TITLE[$name]}" \
		"$own" "$inc" "$acc" "$exist" "$g" "$(ratio "$g" "$acc")" "$gall" "$(ratio "$gall" "$acc")" \
		"${widest:--}"
}

echo
echo "# profile tightness: each replay program learned once (supervise --learn -p NAME, fresh database);"
echo "#   rules = the profile's own file rules / those included (base); accessed = distinct file paths"
echo "#   in the run's events (exist: still there after it); granted = existing objects the own allow"
echo "#   rules reach (find -P -xdev, decided by policy_decide, denies subtract, tmpfs counts 0);"
echo "#   ratio = granted/accessed (1.00 = exact); +base = the same with the included rules too"
[ $HAVE_SQLITE = 1 ] || echo "#   (no sqlite3 CLI: accessed is n/a)"
printf '%-5s %-24s %4s %4s %6s %6s %8s %7s %8s %8s  %s\n' name program own incl access exist \
	granted ratio +base ratio "widest own rule (objects)"
t0=$SECONDS
for name in "${REPLAY_NAMES[@]}"; do
	row "$name" || failed=1
done
echo "# ($((SECONDS - t0)) s)"
exit $failed
