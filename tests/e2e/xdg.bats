#!/usr/bin/env bats
# xdg.bats - HOME and the XDG base directories: a profile learned with one HOME/XDG layout is
# written with "~/" and "$XDG_*" forms, never the learning user's directories, and replays for a
# layout that is elsewhere (profile(5), Paths); the first layout's files are then denied. And a
# tool tree outside HOME (a pyenv in another user's home, as when HOME is set elsewhere) that
# learn collapsed: the shell's PATH probes of missing commands in it are ENOENT, not denials.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	export LC_ALL=C
}
teardown() { teardown_common; }

# own PATH...: give PATH (recursively) to the test user.
own() {
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$@"
	return 0
}

# svx [VAR=VALUE...] ARGS...: supervise as the test user with exactly the XDG variables given
# (the others unset) and HOME as given (else the test HOME).
svx() {
	local -a envs=(HOME="$T/home")
	while [[ "$1" == *=* ]]; do envs+=("$1"); shift; done
	"${RUNAS[@]}" env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME -u XDG_CACHE_HOME \
		-u XDG_RUNTIME_DIR PATH="$PATH" "${envs[@]}" "$SV" --db "$DB" \
		${SUPERVISE_BACKEND:+--backend "$SUPERVISE_BACKEND"} "$@"
}

# natx [VAR=VALUE...] CMD...: CMD natively as the test user, the environment as svx gives it.
natx() {
	local -a envs=(HOME="$T/home")
	while [[ "$1" == *=* ]]; do envs+=("$1"); shift; done
	"${RUNAS[@]}" env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME -u XDG_CACHE_HOME \
		-u XDG_RUNTIME_DIR PATH="$PATH" "${envs[@]}" "$@"
}

# What an XDG-aware program does: its config, data, cache and state where the XDG variables (or
# their defaults below HOME) say, a socket-like file in the runtime directory; it updates its
# cache and prints what it read.
APP='c=${XDG_CONFIG_HOME:-$HOME/.config}/app; d=${XDG_DATA_HOME:-$HOME/.local/share}/app
k=${XDG_CACHE_HOME:-$HOME/.cache}/app; s=${XDG_STATE_HOME:-$HOME/.local/state}/app
cat "$c/rc" "$d/db" "$s/hist" "$XDG_RUNTIME_DIR/app.pid" "$HOME/.apprc"
echo seen >>"$k/stamp"; cat "$k/stamp" | wc -l
[ -z "$EXTRA" ] || cat "$EXTRA"'

# layout HOME CONFIG DATA STATE CACHE RUNTIME TAG: the app's files there, content naming TAG.
layout() {
	mkdir -p "$2/app" "$3/app" "$4/app" "$5/app" "$6" "$1"
	echo "rc $7" >"$2/app/rc"
	echo "db $7" >"$3/app/db"
	echo "hist $7" >"$4/app/hist"
	: >"$5/app/stamp"
	echo "pid $7" >"$6/app.pid"
	echo "apprc $7" >"$1/.apprc"
	own "$1" "$2" "$3" "$4" "$5" "$6"
	chmod 700 "$6"
}

@test "xdg: learned with HOME and XDG set in one place, the profile names none of it and replays with them elsewhere or unset" {
	local a=$T/ua b=$T/ub
	mkdir -p "$T/work/a" "$T/work/b"
	own "$T/work"
	# user A: HOME, XDG_CONFIG_HOME and XDG_DATA_HOME set outside HOME, cache and state default
	layout "$a/home" "$a/conf" "$a/data" "$a/home/.local/state" "$a/home/.cache" "$a/run" A
	# user B: config, cache and state defaults below another HOME, XDG_CACHE_HOME elsewhere
	layout "$b/home" "$b/home/.config" "$b/home/.local/share" "$b/st" "$b/cache" "$b/run" B
	local -a A=(HOME="$a/home" XDG_CONFIG_HOME="$a/conf" XDG_DATA_HOME="$a/data"
		    XDG_RUNTIME_DIR="$a/run")
	local -a B=(HOME="$b/home" XDG_STATE_HOME="$b/st" XDG_CACHE_HOME="$b/cache"
		    XDG_RUNTIME_DIR="$b/run")
	cd "$T/work/a"
	run -0 svx "${A[@]}" -q --learn -p app sh -c "$APP"
	echo "$output"
	[[ "$output" == *"rc A"*"apprc A"* ]]
	run -0 svx profile show app
	echo "$output"
	[[ "$output" != *"$a"* ]]	# no literal path of user A
	[[ "$output" == *'read $XDG_CONFIG_HOME/app/rc'* ]]
	[[ "$output" == *'read $XDG_DATA_HOME/app/db'* ]]
	[[ "$output" == *'read $XDG_STATE_HOME/app/hist'* ]]
	[[ "$output" == *'write $XDG_CACHE_HOME/app'$'\n'* ]]	# the app's cache, not every one
	[[ "$output" == *'read $XDG_RUNTIME_DIR/app.pid'* ]]
	[[ "$output" == *'read ~/.apprc'* ]]
	cd "$T/work/b"
	native=$(natx "${B[@]}" sh -c "$APP")
	: >"$b/cache/app/stamp"
	run -0 svx "${B[@]}" --enforce app sh -c "$APP"
	echo "enforced: $output"
	echo "native: $native"
	[ "$output" = "$native" ]
	[[ "$output" == *"rc B"*"db B"*"hist B"*"pid B"*"apprc B"* ]]
	[ "$(cat "$b/cache/app/stamp")" = seen ]
	[ "$(q "select rule from events where object = '$b/home/.config/app/rc' and decision = 'allow' limit 1")" = 'read $XDG_CONFIG_HOME/app/rc' ]
	# user A's files are not allowed to user B's run: denied and logged with the path
	run svx "${B[@]}" EXTRA="$a/conf/app/rc" --enforce app sh -c "$APP"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" != *"rc A"* ]]
	[[ "$output" == *"denied read $a/conf/app/rc"* ]]
	[ "$(q "select count(*) from denials where object = '$a/conf/app/rc'")" -ge 1 ]
	# ...nor a key of B's own: ~/.ssh/id_rsa is denied and logged
	mkdir -p "$b/home/.ssh"
	echo KEY >"$b/home/.ssh/id_rsa"
	own "$b/home/.ssh"
	run svx "${B[@]}" EXTRA="$b/home/.ssh/id_rsa" --enforce app sh -c "$APP"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" != *KEY* ]]
	[ "$(q "select count(*) from denials where object = '$b/home/.ssh/id_rsa'")" -ge 1 ]
}

@test "xdg: a profile with \$XDG_RUNTIME_DIR loads when it is unset (/run/user/EUID); an unknown variable is an error naming file and line" {
	mkprofile "$T/p.profile" 'read $XDG_RUNTIME_DIR/nothing' 'read $XDG_CONFIG_HOME/nothing'
	run -0 svx --enforce "$T/p.profile" true
	mkprofile "$T/bad.profile" 'read /usr' 'read $XDG_CONFIGHOME/x'
	run -125 svx --enforce "$T/bad.profile" true
	echo "$output"
	[[ "$output" == *"$T/bad.profile:4: path '\$XDG_CONFIGHOME/x' starts with an unknown variable"* ]]
}

@test "xdg: a tool tree outside HOME that learn collapsed: 120 PATH probes of a missing command in it are ENOENT, not denial lines" {
	local py=$T/other/.pyenv
	mkdir -p "$py/bin" "$py/shims" "$py/libexec"
	for f in version a b c; do echo "lib $f" >"$py/$f"; done
	echo e >"$py/libexec/e"
	own "$T/other" "$T/home"
	# PATH: the shims, 120 plugin directories that do not exist (below the tree and outside it),
	# then the system's: env (execvp) tries an exec in each one, as bash did for a shim
	local p="$py/shims" i
	for i in $(seq 60); do p+=":$py/plugins/p$i/bin:$T/nowhere/p$i/bin"; done
	p+=":/usr/bin:/bin"
	local script="cat $py/version $py/a $py/b $py/c
		PATH=$p; export PATH; env nosuchcmd 2>/dev/null; echo rc=\$?; wc -l $py/libexec/e"
	run -0 svx HOME="$T/home" -q --learn -p pyenvish sh -c "$script"
	run -0 svx profile show pyenvish
	echo "$output"
	[[ "$output" == *"/other/.pyenv"$'\n'* ]]	# collapsed, as "read /root/.pyenv" was
	[[ "$output" != *"plugins"* && "$output" != *nowhere* ]]
	native=$(natx HOME="$T/home" sh -c "$script" 2>&1)
	run -0 --separate-stderr svx HOME="$T/home" --enforce pyenvish sh -c "$script"
	echo "out: $output"
	echo "err: $stderr"
	[ "$output" = "$native" ]
	[[ "$output" == *"rc=127"* ]]	# ENOENT everywhere: 127, as natively (EACCES gives 126)
	[[ "$stderr" != *"denied exec"* ]]
	[ "$(echo "$stderr" | grep -c 'lookups of missing paths')" = 1 ]
	# each probe logged, as a lookup (ENOENT) under the collapsed rule and outside it
	[ "$(q "select count(*) from denials where object like '$py/plugins/%/nosuchcmd' and access = 'exec' and errno = 'ENOENT' and rule like 'read %/other/.pyenv'")" = 60 ]
	[ "$(q "select count(*) from denials where object like '$T/nowhere/%/nosuchcmd' and errno = 'ENOENT'")" = 60 ]
	[ "$(q "select count(*) from denials where object like '$T/%' and errno <> 'ENOENT'")" = 0 ]
}
