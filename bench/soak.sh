#!/bin/bash
# soak.sh - `make soak`: load and soak of the supervisor (issue 13), quoting figures, no timing
# targets. Under --enforce in a jail:
#   1. THREADS (64) threads x OPENS (10^5) trapped opens of one file, every open succeeding;
#   2. PROCS (1000) short-lived processes (a shell loop of /usr/bin/true);
#   3. a soak of SOAK_S seconds (1800) of a program that keeps opening files and starting
#      processes, sampling the supervisor's RSS and open fds every SAMPLE_S (60) seconds; both
#      must stay flat: the last sample no more than 1 MiB and 4 fds above the first one taken
#      after a minute of warm-up.
# Exit status 0 when every part held. B is the build directory.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
SV=$PWD/$B/supervise
TB=$PWD/$B/bench/threadbench
THREADS=${THREADS:-64} OPENS=${OPENS:-100000} PROCS=${PROCS:-1000}
SOAK_S=${SOAK_S:-1800} SAMPLE_S=${SAMPLE_S:-60}
W=$(mktemp -d "$PWD/$B/soak.XXXXXX")
trap 'rm -rf "$W"' EXIT
chmod 755 "$W"
echo data >"$W/f"
printf 'include base\nexec /usr\nexec %s\nread /usr\nread %s\n' "$TB" "$W" >"$W/p.profile"
DB=$W/db
fail=0

echo "1. $THREADS threads x $OPENS opens"
start=$(date +%s.%N)
if ! "$SV" --db "$DB" -q --enforce "$W/p.profile" "$TB" "$THREADS" "$OPENS" "$W/f"; then
	echo "   FAILED"; fail=1
fi
echo "   wall $(echo "$(date +%s.%N) - $start" | bc) s; log rows: $(sqlite3 "$DB" 'select count(*), sum(count) from events where run_id = (select max(id) from runs)')"

echo "2. $PROCS short-lived processes"
start=$(date +%s.%N)
if ! "$SV" --db "$DB" -q --enforce "$W/p.profile" sh -c "i=0; while [ \$i -lt $PROCS ]; do /usr/bin/true || exit 1; i=\$((i + 1)); done"; then
	echo "   FAILED"; fail=1
fi
echo "   wall $(echo "$(date +%s.%N) - $start" | bc) s; exec rows: $(sqlite3 "$DB" "select sum(count) from events where run_id = (select max(id) from runs) and syscall = 'execve'")"

echo "3. soak for $SOAK_S s (samples every $SAMPLE_S s: supervisor RSS KiB, open fds)"
"$SV" --db "$DB" -q --enforce "$W/p.profile" sh -c "end=\$((\$(date +%s) + $SOAK_S)); while [ \$(date +%s) -lt \$end ]; do $TB 4 2000 $W/f >/dev/null || exit 1; /usr/bin/true; done" &
pid=$!
sleep 2
samples=()
t=0
while kill -0 "$pid" 2>/dev/null && [ "$t" -lt "$SOAK_S" ]; do
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null)
	fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
	[ -n "$rss" ] || break
	samples+=("$rss $fds")
	echo "   t=${t}s rss=${rss} KiB fds=${fds}"
	sleep "$SAMPLE_S"
	t=$((t + SAMPLE_S))
done
wait "$pid" || { echo "   the soak program FAILED"; fail=1; }
if [ "${#samples[@]}" -ge 3 ]; then
	read -r r1 f1 <<<"${samples[1]}"
	read -r rn fn <<<"${samples[-1]}"
	echo "   after warm-up: rss ${r1} -> ${rn} KiB, fds ${f1} -> ${fn}"
	if [ $((rn - r1)) -gt 1024 ] || [ $((fn - f1)) -gt 4 ]; then
		echo "   NOT FLAT"; fail=1
	else
		echo "   flat"
	fi
else
	echo "   too few samples for a verdict (SOAK_S/SAMPLE_S < 3)"
fi
exit $fail
