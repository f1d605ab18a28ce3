#!/bin/bash
# demo.sh - learn → log → enforce on a sample program, in a throw-away database.
set -u
B=${B:-build}
SV=$PWD/$B/supervise
D=$(mktemp -d /tmp/supervise-demo.XXXXXX)
trap 'rm -rf "$D"' EXIT
export SUPERVISE_DB=$D/demo.db
export PATH=/usr/local/bin:/usr/bin:/bin
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; echo "[exit status $?]"; }

echo "demo database: $SUPERVISE_DB"
step "$SV" --learn python3 -c 'print(open("/etc/hostname").read())'
step "$SV" log --last
step "$SV" --enforce python3 python3 -c 'print(open("/etc/hostname").read())'
step "$SV" --enforce python3 python3 -c 'print(open("/etc/shadow").read())'
step "$SV" log --last --denied --json
step sqlite3 "$SUPERVISE_DB" "select object, decision from denials where object = '/etc/shadow'"
