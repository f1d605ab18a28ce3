# replay-workloads.bash - the everyday programs of the learn → enforce round trips, shared by
# tests/e2e/replay.bats (which replays them under --enforce) and bench/tightness.sh (which
# measures how tight the learned profiles are). Sourced, not run; needs bash 4.
#
# Each program has a short NAME (also its profile name), a setup function REPLAY_SETUP[NAME] that
# writes the input files into the current directory, called with "one" (the input it is learned
# on) or "two" (another input, for the replay), and a command line REPLAY_CMD[NAME] for `bash -c`.
# REPLAY_NEEDS[NAME] lists the programs it runs (to skip it where one is missing), REPLAY_TITLE[NAME]
# says what it is. Call replay_env first: it fixes the identity, dates and locale the commands
# see, so that their output depends on the input alone.
# shellcheck shell=bash disable=SC2034 # the arrays are read by the files that source this one

# REPLAY_NAMES - the programs, in report order.
REPLAY_NAMES=(py cc mk gt sq tr pipe pl)
declare -gA REPLAY_SETUP REPLAY_CMD REPLAY_NEEDS REPLAY_TITLE

# replay_env - export the environment every replay command runs in (git identity and dates, no
# system git config, the C locale).
replay_env() {
	export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t \
		GIT_COMMITTER_EMAIL=t@example.org GIT_AUTHOR_DATE=2020-01-01T00:00:00Z \
		GIT_COMMITTER_DATE=2020-01-01T00:00:00Z GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
}

# in_py one|two - a python script that counts the words of data.txt.
in_py() {
	printf 'import json, collections\nwords = open("data.txt").read().split()\n' >s.py
	printf 'print(json.dumps(collections.Counter(words).most_common()))\n' >>s.py
	if [ "$1" = one ]; then echo "b a c a" >data.txt; else echo "z y x z w z" >data.txt; fi
}
REPLAY_SETUP[py]=in_py
REPLAY_CMD[py]='python3 s.py'
REPLAY_NEEDS[py]='python3'
REPLAY_TITLE[py]='python3 script'

# in_cc one|two - a C program; "two" includes another header too, so the learned include tree
# must cover it.
in_cc() {
	if [ "$1" = one ]; then
		printf '#include <stdio.h>\nint main(void) { puts("one"); return 0; }\n' >m.c
	else
		printf '#include <stdio.h>\n#include <string.h>\n' >m.c
		printf 'int main(void) { printf("%%zu two\\n", strlen("abc")); return 0; }\n' >>m.c
	fi
}
REPLAY_SETUP[cc]=in_cc
REPLAY_CMD[cc]='gcc -o m m.c && ./m'
REPLAY_NEEDS[cc]='gcc'
REPLAY_TITLE[cc]='gcc compile+link'

# in_make one|two - a two-file C project with a Makefile.
in_make() {
	printf 'prog: a.o b.o\n\tcc -o prog a.o b.o\n%%.o: %%.c\n\tcc -c -o $@ $<\n' >Makefile
	printf '#include <stdio.h>\nint f(void);\nint main(void) { printf("%%d\\n", f()); return 0; }\n' >a.c
	if [ "$1" = one ]; then echo 'int f(void) { return 1; }' >b.c; else echo 'int f(void) { return 22; }' >b.c; fi
}
REPLAY_SETUP[mk]=in_make
REPLAY_CMD[mk]='make -s && ./prog'
REPLAY_NEEDS[mk]='make cc'
REPLAY_TITLE[mk]='make, 2 files'

# in_git one|two - the file the git command commits.
in_git() {
	if [ "$1" = one ]; then echo hello >f.txt; else printf 'other\ncontent\n' >f.txt; fi
}
REPLAY_SETUP[gt]=in_git
REPLAY_CMD[gt]='git init -q -b main r && cd r && cp ../f.txt . && git add . && git commit -q -m first && git log --stat --format="%H %s"'
REPLAY_NEEDS[gt]='git'
REPLAY_TITLE[gt]='git init/add/commit/log'

# in_sql one|two - the SQL the sqlite3 CLI runs.
in_sql() {
	if [ "$1" = one ]; then
		echo "create table t(a); insert into t values(1),(2); select sum(a) from t;" >q.sql
	else
		echo "create table u(b text); insert into u values('x'),('y'); select group_concat(b) from u; select count(*) from u;" >q.sql
	fi
}
REPLAY_SETUP[sq]=in_sql
REPLAY_CMD[sq]='sqlite3 db.sqlite <q.sql && sqlite3 db.sqlite "select count(*) from sqlite_master"'
REPLAY_NEEDS[sq]='sqlite3'
REPLAY_TITLE[sq]='sqlite3 CLI'

# in_tar one|two - a small tree to archive.
in_tar() {
	mkdir -p src/sub
	if [ "$1" = one ]; then echo a >src/a; echo s >src/sub/s; else echo bb >src/a; echo ss >src/sub/s; fi
}
REPLAY_SETUP[tr]=in_tar
REPLAY_CMD[tr]='tar czf a.tgz src && mkdir out && tar xzf a.tgz -C out && find out | sort && cat out/src/a out/src/sub/s'
REPLAY_NEEDS[tr]='tar gzip find sort cat'
REPLAY_TITLE[tr]='tar czf + xzf'

# in_text one|two - lines to count (the pipeline and the perl one-liner).
in_text() {
	if [ "$1" = one ]; then printf 'b\na\nb\n' >in.txt; else printf 'x\ny\ny\nz\nz\nz\nq\n' >in.txt; fi
}
REPLAY_SETUP[pipe]=in_text
REPLAY_CMD[pipe]='grep -v q in.txt | sort | uniq -c'
REPLAY_NEEDS[pipe]='grep sort uniq'
REPLAY_TITLE[pipe]='grep|sort|uniq -c'

REPLAY_SETUP[pl]=in_text
# shellcheck disable=SC2016 # perl's $_ and %c, not the shell's
REPLAY_CMD[pl]="perl -ne 'chomp; \$c{\$_}++; END { print \"\$_=\$c{\$_}\\n\" for sort keys %c }' in.txt"
REPLAY_NEEDS[pl]='perl'
REPLAY_TITLE[pl]='perl one-liner'
