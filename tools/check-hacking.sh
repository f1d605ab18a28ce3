#!/bin/bash
# check-hacking.sh - doc/HACKING.md is true of the tree: every path it names in backquotes
# exists, and every source file (the .c and .h files of the program's folders, lib/, the test
# and bench programs, the scripts of tools/ and tests/) is named in it by its path. TAP.
# Usage: check-hacking.sh [TREE] (default: the tree this script is in).
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2
doc=doc/HACKING.md
folders="common policy db jail learn trap notify tracer core cli lib"
top="common|policy|db|jail|learn|trap|notify|tracer|core|cli|lib|tests|bench|tools|doc|policies|examples"
# paths in backquotes: FOLDER/NAME[.EXT] (up to a ':' or the closing quote); placeholders such
# as NAME or N in capitals, build outputs (B/, build/) and globs are not files
named=$(grep -o '`[^`]*`' "$doc" | tr -d '`' | tr ' ,()' '\n\n\n\n' |
	grep -E "^($top)/[A-Za-z0-9_./-]*" | sed 's/:.*//; s/[.]$//' |
	grep -vE 'NAME|PID|TID|FILE|\*' | sort -u)
missing=() unnamed=()
for p in $named; do
	[ -e "$p" ] || missing+=("$p")
done
for f in $(for d in $folders; do ls "$d"/*.[ch] 2>/dev/null; done) \
	 tests/unit/*.[ch] tests/kernel/*.[ch] tests/fuzz/*.[ch] tests/e2e/*.bats tests/e2e/*.c \
	 tests/e2e/*.bash bench/*.c bench/*.sh bench/*.bash tools/*.sh tests/*.sh tests/*/*.sh; do
	[ -e "$f" ] || continue
	grep -qF "$f" "$doc" || unnamed+=("$f")
done
echo "1..2"
if [ ${#missing[@]} -eq 0 ]; then
	echo "ok 1 - every path $doc names exists ($(echo "$named" | wc -w) paths)"
else
	echo "not ok 1 - $doc names paths that do not exist"
	printf '# %s\n' "${missing[@]}"
fi
if [ ${#unnamed[@]} -eq 0 ]; then
	echo "ok 2 - every source file is named in $doc"
else
	echo "not ok 2 - source files $doc does not name"
	printf '# %s\n' "${unnamed[@]}"
fi
[ ${#missing[@]} -eq 0 ] && [ ${#unnamed[@]} -eq 0 ]
