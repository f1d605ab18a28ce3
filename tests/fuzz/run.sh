#!/bin/bash
# run.sh - run each libFuzzer target given (build-fuzz/fuzz_NAME) for FUZZ_S seconds (default 10)
# on a temporary copy of its corpus tests/fuzz/corpus/NAME/, so that the checked-in corpus never
# grows. Prints the executions and the rate of each target; exits 1 when any target found a
# crash, a leak, a UBSan report or a timeout (its log, the input and the working corpus are
# then kept and named), 0 otherwise.
# FUZZ_RUNS=N runs each target N executions instead (then FUZZ_S is only an upper bound).
set -uo pipefail
cd "$(dirname "$0")/../.."
FUZZ_S=${FUZZ_S:-10}
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:allocator_may_return_null=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# max_len - the longest input worth mutating for target $1 (bytes).
max_len() {
	case "$1" in
	policy) echo 2048 ;;
	learn) echo 1024 ;;
	netrule) echo 512 ;;
	glob) echo 256 ;;
	*) echo 1024 ;;
	esac
}

failed=0
for bin in "$@"; do
	name=${bin##*/fuzz_}
	work=$(mktemp -d "${TMPDIR:-/tmp}/supervise-fuzz-$name.XXXXXX")
	mkdir -p "$work/corpus"
	cp tests/fuzz/corpus/"$name"/* "$work/corpus/" 2>/dev/null || true
	limit=(-max_total_time="$FUZZ_S")
	[ -n "${FUZZ_RUNS:-}" ] && limit+=(-runs="$FUZZ_RUNS")
	start=$(date +%s%N)
	"$bin" "${limit[@]}" -max_len="$(max_len "$name")" -timeout=10 -rss_limit_mb=4096 \
		-print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
	if [ "$rc" -ne 0 ] || grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
		-e 'runtime error:' -e 'ERROR: libFuzzer' "$work/log"; then
		tail -n 60 "$work/log"
		printf 'fuzz %-8s FAILED (exit %d) after %s executions; log, input and corpus in %s\n' \
			"$name" "$rc" "${execs:-?}" "$work"
		failed=1
		continue
	fi
	printf 'fuzz %-8s ok: %s executions in %d.%01d s, %s exec/s\n' "$name" "${execs:-?}" \
		$((ms / 1000)) $((ms % 1000 / 100)) \
		"${rate:-?}"
	rm -rf "$work"
done
exit "$failed"
