# helpers.bash - shared setup for the end-to-end tier.
# SUPERVISE_AS=root|nobody|self picks who runs supervise; SUPERVISE_BIN is the binary under test.
# Everything a test touches lives in one temporary tree readable by that user.

setup_common() {
	[ -n "${SUPERVISE_BIN:-}" ] || SUPERVISE_BIN=$BATS_TEST_DIRNAME/../../build/supervise
	T=$(mktemp -d /tmp/supervise-e2e.XXXXXX)
	chmod 755 "$T"
	mkdir -p "$T/bin" "$T/home" "$T/work"
	cp "$SUPERVISE_BIN" "$T/bin/supervise"
	cp -r "$BATS_TEST_DIRNAME/../../policies" "$T/policies"	# found as <bin>/../policies
	SV=$T/bin/supervise
	DB=$T/home/db.sqlite
	export PATH=/usr/local/bin:/usr/bin:/bin
	RUNAS=()
	case "${SUPERVISE_AS:-self}" in
	nobody)
		chown -R 65534:65534 "$T/home" "$T/work"
		RUNAS=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
		;;
	esac
	cd "$T/work" || return 1
}

teardown_common() {
	cd /
	[ -n "${T:-}" ] && rm -rf "$T"
}

# as_user CMD...: run CMD as the test user with the test HOME.
as_user() {
	"${RUNAS[@]}" env HOME="$T/home" PATH="$PATH" "$@"
}

# sv ARGS...: run supervise as the test user against the test database, with
# --backend $SUPERVISE_BACKEND when that is set (to run a whole file under one backend by hand).
sv() {
	as_user "$SV" --db "$DB" ${SUPERVISE_BACKEND:+--backend "$SUPERVISE_BACKEND"} "$@"
}

# sv_exec ARGS...: exec supervise as the test user (for `sv_exec ... &`: $! is then supervise).
sv_exec() {
	exec "${RUNAS[@]}" env HOME="$T/home" PATH="$PATH" "$SV" --db "$DB" \
		${SUPERVISE_BACKEND:+--backend "$SUPERVISE_BACKEND"} "$@"
}

# q SQL: query the test database as the test user (so that no file of it becomes root's).
q() {
	"${RUNAS[@]}" sqlite3 "$DB" "$1"
}

# outside_tmp NAME: W := a new directory NAME.XXXXXX outside /tmp (in the build directory, which
# the test user can traverse), mode 0755. For trees a jail must see as the host's: the jail's own
# /tmp is a private tmpfs, so a host path below /tmp is neither cached nor mountable into it.
outside_tmp() {
	mkdir -p "$BATS_TEST_DIRNAME/../../build"
	W=$(mktemp -d "$(cd "$BATS_TEST_DIRNAME/../../build" && pwd -P)/$1.XXXXXX")
	chmod 755 "$W"
}

# wait_for SQL WANT: poll the test database until SQL prints WANT (5 s at most).
wait_for() {
	for _ in $(seq 100); do
		[ "$(q "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# mkfile PATH CONTENT: create a file owned by the test user.
mkfile() {
	printf '%s\n' "$2" >"$1"
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown 65534:65534 "$1"
	return 0
}

# alive PID: the process exists and is not a zombie (this machine's pid 1 may not reap orphans).
alive() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# mkprofile FILE RULE...: a profile on top of base that can run /usr/bin programs, plus RULEs.
mkprofile() {
	local f=$1
	shift
	printf 'include base\nexec /usr/bin\n' >"$f"
	printf '%s\n' "$@" >>"$f"
}
