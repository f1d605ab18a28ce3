#!/bin/bash
# check-size.sh - no source file of the program over 600 lines and no function over 60 (issue 17,
# doc/HACKING.md). A function is counted from its opening brace in column 0 to its closing one.
# Usage: check-size.sh [TREE]. TAP; exit 0 when both hold.
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2
files=$(ls common/*.[ch] policy/*.[ch] db/*.[ch] jail/*.[ch] learn/*.[ch] trap/*.[ch] \
	notify/*.[ch] tracer/*.[ch] core/*.[ch] cli/*.[ch] lib/*.[ch] 2>/dev/null)
long_files=$(wc -l $files | awk '$2 != "total" && $1 > 600 { print "# " $2 ": " $1 " lines" }')
long_fns=$(awk '
	/^\{/ { start = FNR; name = prev; next }
	/^\}/ { if (start && FNR - start - 1 > 60)
			printf "# %s:%d: %s: %d lines\n", FILENAME, start, name, FNR - start - 1
		start = 0; next }
	!start && /^[A-Za-z_].*\(/ { prev = $0; sub(/\(.*/, "", prev); sub(/.*[ *]/, "", prev) }
' $(echo "$files" | grep '\.c$'))
echo "1..2"
if [ -z "$long_files" ]; then echo "ok 1 - no source file over 600 lines"
else echo "not ok 1 - source files over 600 lines"; echo "$long_files"; fi
if [ -z "$long_fns" ]; then echo "ok 2 - no function over 60 lines"
else echo "not ok 2 - functions over 60 lines"; echo "$long_fns"; fi
[ -z "$long_files" ] && [ -z "$long_fns" ]
