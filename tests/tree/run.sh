#!/bin/bash
# run.sh - the tree tier (TAP): the layer, HACKING and size checks of tools/ on this tree, and
# each of them shown to fail on a copy of the tree broken on purpose (a header from a layer
# above, a file HACKING names that is gone, a source file it does not name, an over-long
# function and file), so that a check that can no longer fail is caught too.
set -u
cd "$(dirname "$0")/../.."
n=0 failed=0
t() { # t DESCRIPTION CMD...: one TAP line for CMD's status
	local desc=$1 out; shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then echo "ok $n - $desc"
	else echo "not ok $n - $desc"; printf '%s\n' "$out" | sed 's/^/# /'; failed=1; fi
}
fails_with() { # fails_with TEXT CMD...: CMD exits non-zero and its output holds TEXT
	local text=$1 out; shift
	out=$("$@" 2>&1) && { echo "passed, but should have failed"; return 1; }
	grep -qF -- "$text" <<<"$out" || { echo "no '$text' in:"; echo "$out"; return 1; }
}
copy=$(mktemp -d /tmp/supervise-tree.XXXXXX); trap 'rm -rf "$copy"' EXIT
fresh() { # fresh: $copy holds a copy of the tree's sources and docs
	rm -rf "${copy:?}"/*
	tar -c --exclude='./build*' --exclude=./.git . | tar -x -C "$copy"
}
echo "1..9"
t "the includes follow the layers" tools/check-layers.sh
t "doc/HACKING.md names every source file and only files that exist" tools/check-hacking.sh
t "no source file over 600 lines, no function over 60" tools/check-size.sh

fresh; sed -i '0,/^#include "/s//#include "..\/core\/run.h"\n#include "/' "$copy/trap/session.c"
line=$(grep -n '"../core/run.h"' "$copy/trap/session.c" | cut -d: -f1)
t "check-layers fails on trap/ including core/, naming the file and line" \
	fails_with "trap/session.c:$line: includes \"../core/run.h\"" tools/check-layers.sh "$copy"
fresh; sed -i '0,/^#include "/s//#include "..\/notify\/handle.h"\n#include "/' "$copy/tracer/stop.c"
t "check-layers fails on one backend including the other" \
	fails_with 'tracer/stop.c' tools/check-layers.sh "$copy"
fresh; rm "$copy/trap/listener.c"
t "check-hacking fails on a named file that is gone" \
	fails_with '# trap/listener.c' tools/check-hacking.sh "$copy"
fresh; echo '/* x */' > "$copy/core/unnamed_file.c"
t "check-hacking fails on a source file it does not name" \
	fails_with '# core/unnamed_file.c' tools/check-hacking.sh "$copy"
fresh; { echo 'static int too_long(void)'; echo '{'; for i in $(seq 61); do echo "	(void)$i;"; done
	 echo '	return 0;'; echo '}'; } >> "$copy/common/event.c"
t "check-size fails on a function of 62 lines, naming it" \
	fails_with 'common/event.c' tools/check-size.sh "$copy"
fresh; for i in $(seq 600); do echo "/* $i */"; done >> "$copy/common/event.h"
t "check-size fails on a file over 600 lines" \
	fails_with 'common/event.h:' tools/check-size.sh "$copy"
exit $failed
