#!/bin/bash
# check-layers.sh - fail when a source file includes a header from its own layer's sibling or
# from a layer above it (doc/HACKING.md, "Layering"). Prints TAP: one test per folder.
#
#   cli, lib            6  the command line; the public library
#   core                5  orchestration: one run, live control, asking
#   notify, tracer      4  the backends
#   trap                3  shared trap handling: decide, decode, resolve, filter, reap
#   db, jail, learn     2  the log and profiles store, the jail, learn aggregation
#   policy              1  the profile format
#   common              0  messages, paths, raw syscalls
#
# A file may include its own folder's headers and those of folders of a lower rank only.
# Usage: check-layers.sh [TREE] (default: the tree this script is in). Exit 0 when all hold.
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2
declare -A rank=([common]=0 [policy]=1 [db]=2 [jail]=2 [learn]=2 [trap]=3 [notify]=4 [tracer]=4
		 [core]=5 [cli]=6 [lib]=6)
folders=(common policy db jail learn trap notify tracer core cli lib)
echo "1..${#folders[@]}"
n=0 bad_total=0
for d in "${folders[@]}"; do
	n=$((n + 1))
	bad=()
	for f in "$d"/*.c "$d"/*.h; do
		[ -e "$f" ] || continue
		while IFS=: read -r line inc; do
			inc=${inc#*\"}; inc=${inc%\"*}
			case $inc in
			../*/*) t=${inc#../}; t=${t%%/*} ;;
			*/*) bad+=("$f:$line: includes \"$inc\", which is not a sibling or a ../FOLDER/ header"); continue ;;
			*) continue ;;	# the folder's own header
			esac
			if [ -z "${rank[$t]+x}" ]; then
				bad+=("$f:$line: includes \"$inc\" from folder '$t', which has no layer")
			elif [ "${rank[$t]}" -ge "${rank[$d]}" ]; then
				bad+=("$f:$line: includes \"$inc\": layer $t (${rank[$t]}) is not below $d (${rank[$d]})")
			fi
		done < <(grep -n '^#[[:space:]]*include[[:space:]]*"' "$f")
	done
	if [ ${#bad[@]} -eq 0 ]; then
		echo "ok $n - $d/ includes only its own headers and lower layers'"
	else
		echo "not ok $n - $d/ includes from its own layer or above"
		printf '# %s\n' "${bad[@]}"
		bad_total=$((bad_total + ${#bad[@]}))
	fi
done
[ "$bad_total" -eq 0 ]
