#!/usr/bin/env bats
# replay.bats - learn → enforce round trips of everyday programs: each is learned in one project
# directory with one input, then run under --enforce (in the jail) in another directory with a
# different input, and its output and exit status must equal a native run on that input. The
# profile is learned with the working directory written "$CWD" (supervise.profile(5)), so it
# follows the run into the other directory.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t \
		GIT_COMMITTER_EMAIL=t@example.org GIT_AUTHOR_DATE=2020-01-01T00:00:00Z \
		GIT_COMMITTER_DATE=2020-01-01T00:00:00Z GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
}

teardown() {
	teardown_common
}

# own PATH...: give PATH (recursively) to the test user.
own() {
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$@"
	return 0
}

# replay NAME SETUP CMD: run "SETUP one" in $T/work/learn and "SETUP two" in $T/work/replay and
# $T/work/native; learn "bash -c CMD" as profile NAME in the first, run it natively in the last
# and under --enforce in the second. The outputs (stdout and stderr) and statuses must be equal,
# and the learned run's output must differ (the input really is another one).
replay() {
	local name=$1 setup=$2 cmd=$3 d learned native native_status
	for d in learn replay native; do
		mkdir -p "$T/work/$d"
	done
	(cd "$T/work/learn" && "$setup" one)
	(cd "$T/work/replay" && "$setup" two)
	(cd "$T/work/native" && "$setup" two)
	own "$T/work"
	cd "$T/work/learn"
	run sv -q --learn -p "$name" bash -c "$cmd"
	echo "learn: $status: $output"
	[ "$status" -eq 0 ]
	learned=$output
	cd "$T/work/native"
	run as_user bash -c "$cmd"
	native=$output native_status=$status
	echo "native: $status: $native"
	[ "$status" -eq 0 ]
	[ "$native" != "$learned" ]
	cd "$T/work/replay"
	run sv --enforce "$name" bash -c "$cmd"	# not -q: denials are shown when it fails
	echo "enforce: $status: $output"
	sv profile show "$name"
	[ "$status" -eq "$native_status" ]
	[ "$output" = "$native" ]
}

in_py() {
	printf 'import json, collections\nwords = open("data.txt").read().split()\n' >s.py
	printf 'print(json.dumps(collections.Counter(words).most_common()))\n' >>s.py
	if [ "$1" = one ]; then echo "b a c a" >data.txt; else echo "z y x z w z" >data.txt; fi
}

@test "replay: a python3 script" {
	replay py in_py 'python3 s.py'
}

in_cc() {
	if [ "$1" = one ]; then
		printf '#include <stdio.h>\nint main(void) { puts("one"); return 0; }\n' >m.c
	else	# another header too: the learned include tree must cover it
		printf '#include <stdio.h>\n#include <string.h>\n' >m.c
		printf 'int main(void) { printf("%%zu two\\n", strlen("abc")); return 0; }\n' >>m.c
	fi
}

@test "replay: gcc compiles and links, then the program runs" {
	replay cc in_cc 'gcc -o m m.c && ./m'
}

in_make() {
	printf 'prog: a.o b.o\n\tcc -o prog a.o b.o\n%%.o: %%.c\n\tcc -c -o $@ $<\n' >Makefile
	printf '#include <stdio.h>\nint f(void);\nint main(void) { printf("%%d\\n", f()); return 0; }\n' >a.c
	if [ "$1" = one ]; then echo 'int f(void) { return 1; }' >b.c; else echo 'int f(void) { return 22; }' >b.c; fi
}

@test "replay: make on a multi-file project" {
	replay mk in_make 'make -s && ./prog'
}

in_git() {
	if [ "$1" = one ]; then echo hello >f.txt; else printf 'other\ncontent\n' >f.txt; fi
}

@test "replay: git init, add, commit and log in a temporary repository" {
	replay gt in_git 'git init -q -b main r && cd r && cp ../f.txt . && git add . && git commit -q -m first && git log --stat --format="%H %s"'
}

in_sql() {
	if [ "$1" = one ]; then
		echo "create table t(a); insert into t values(1),(2); select sum(a) from t;" >q.sql
	else
		echo "create table u(b text); insert into u values('x'),('y'); select group_concat(b) from u; select count(*) from u;" >q.sql
	fi
}

@test "replay: the sqlite3 CLI" {
	replay sq in_sql 'sqlite3 db.sqlite <q.sql && sqlite3 db.sqlite "select count(*) from sqlite_master"'
}

in_tar() {
	mkdir -p src/sub
	if [ "$1" = one ]; then echo a >src/a; echo s >src/sub/s; else echo bb >src/a; echo ss >src/sub/s; fi
}

@test "replay: tar czf then xzf" {
	replay tr in_tar 'tar czf a.tgz src && mkdir out && tar xzf a.tgz -C out && find out | sort && cat out/src/a out/src/sub/s'
}

in_text() {
	if [ "$1" = one ]; then printf 'b\na\nb\n' >in.txt; else printf 'x\ny\ny\nz\nz\nz\nq\n' >in.txt; fi
}

@test "replay: a shell pipeline (grep | sort | uniq -c)" {
	replay pipe in_text 'grep -v q in.txt | sort | uniq -c'
}

@test "replay: a perl one-liner" {
	replay pl in_text "perl -ne 'chomp; \$c{\$_}++; END { print \"\$_=\$c{\$_}\\n\" for sort keys %c }' in.txt"
}

@test "replay: a planted ~/.ssh/id_rsa is denied to a learned program, logged; touched, it is only a warned grant" {
	mkdir -p "$T/home/.ssh"
	mkfile "$T/home/.ssh/id_rsa" PRIVATE-KEY
	mkfile "$T/work/in.txt" hello
	own "$T/home"
	run sv -q --learn -p rd cat in.txt
	[ "$status" -eq 0 ]
	run sv profile show rd
	[[ "$output" != *.ssh* ]]
	run sv --enforce rd cat "$T/home/.ssh/id_rsa"
	[ "$status" -ne 0 ]
	[[ "$output" != *PRIVATE-KEY* ]]
	[[ "$output" == *"denied read $T/home/.ssh/id_rsa"* ]]
	[ "$(q "select count(*) from events where decision='deny' and object='$T/home/.ssh/id_rsa'")" -ge 1 ]
	# a program that does read it: the summary warns, the profile has a warned grant only
	run sv --learn -p key cat "$T/home/.ssh/id_rsa"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: the program used the protected $T/home/.ssh/id_rsa"* ]]
	run sv profile show key
	[[ "$output" == *"# WARNING: protected path"*"grant read ~/.ssh/id_rsa"* ]]
	[ "$(grep -c '\.ssh' <<<"$output")" -eq 1 ]
}
