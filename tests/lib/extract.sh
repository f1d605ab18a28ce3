#!/bin/bash
# extract.sh SV-EXTRACT - the example extractor (examples/extract.c) against good and hostile
# archives: it unpacks what belongs in its directory, and its sandbox stops an entry "../x" and a
# write through a symlink the archive made (EACCES), with nothing created outside. TAP lines.
set -u
X=$1
tag=${SV_TEST_TAG:-}
d=$(mktemp -d /tmp/sv-extract.XXXXXX)
trap 'rm -rf "$d"' EXIT
n=0
say() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok - ${tag}extract: $2"; else echo "not ok - ${tag}extract: $2"; fi; }

mkdir -p "$d/src/a" "$d/out1" "$d/out2" "$d/out3" "$d/outside" "$d/s2" "$d/s3/ln"
echo hello > "$d/src/a/b.txt"
tar -cf "$d/good.tar" -C "$d/src" a
"$X" "$d/good.tar" "$d/out1" 2>"$d/err1"
rc=$?
[ $rc -eq 0 ] && [ "$(cat "$d/out1/a/b.txt" 2>/dev/null)" = hello ]
say $? "a plain archive is unpacked into its directory (rc=$rc)"

echo evil > "$d/src/x"
tar -cPf "$d/dotdot.tar" -C "$d/src" --transform 's,^,../,' x
"$X" "$d/dotdot.tar" "$d/out2" 2>"$d/err2"
rc=$?
[ $rc -eq 1 ] && grep -q 'Permission denied' "$d/err2" && [ ! -e "$d/x" ]
say $? "an entry ../x is refused with EACCES by the sandbox and nothing is written outside"

ln -s "$d/outside" "$d/s2/ln"
echo pwned > "$d/s3/ln/pwned"
tar -cf "$d/link.tar" -C "$d/s2" ln
tar -cf "$d/link2.tar" -C "$d/s3" ln/pwned
tar -Af "$d/link.tar" "$d/link2.tar"
"$X" "$d/link.tar" "$d/out3" 2>"$d/err3"
rc=$?
[ $rc -eq 1 ] && grep -q 'ln/pwned: Permission denied' "$d/err3" && [ ! -e "$d/outside/pwned" ]
say $? "a write through the archive's own symlink to outside is refused (EACCES)"
