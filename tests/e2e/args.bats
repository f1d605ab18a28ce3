#!/usr/bin/env bats
# args.bats - files named on the command line ("read @arg", "write @arg"): learned on one input,
# a profile replays on another whose names, directory and content differ; each argument of the
# enforced run gets the access, logged under its @arg rule; a protected argument is refused.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	mkdir -p "$T/work/a" "$T/work/b" "$T/work/n"
	export LC_ALL=C
}
teardown() { teardown_common; }

# own PATH...: give PATH (recursively) to the test user.
own() {
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$@"
	return 0
}

# summarize.py: reads the CSV named first, writes a report named by -o.
mkscript() {
	cat >"$1/summarize.py" <<'EOF'
import argparse, csv
ap = argparse.ArgumentParser()
ap.add_argument("inp")
ap.add_argument("-o", dest="out", required=True)
a = ap.parse_args()
rows = list(csv.reader(open(a.inp)))
with open(a.out, "w") as f:
    f.write("rows=%d sum=%d\n" % (len(rows), sum(int(r[1]) for r in rows)))
EOF
}

@test "args: wc learned on one file counts another in another directory, allowed by 'read @arg'" {
	printf 'a\nb\nc\n' >"$T/work/a/report-march.txt"
	printf 'a\nb\nc\nd\ne\n' >"$T/work/b/report-april.txt"
	own "$T/work"
	cd "$T/work/a"
	run sv -q --learn -p wc wc -l report-march.txt
	[ "$status" -eq 0 ]
	[ "$output" = "3 report-march.txt" ]
	run sv profile show wc
	echo "$output"
	[[ "$output" == *$'\nread @arg\n'* ]]
	[[ "$output" != *report-march* ]]
	cd "$T/work/b"
	run sv --enforce wc wc -l report-april.txt
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "5 report-april.txt" ]
	[ "$(q "select rule from events where object = '$T/work/b/report-april.txt' and access = 'read' and decision = 'allow'")" = "read @arg" ]
	# a file that is not an argument is still denied, with no rule
	printf 'SECRET\n' >"$T/work/b/other.txt"
	own "$T/work/b/other.txt"
	run sv --enforce wc sh -c 'exec wc -l other.txt'
	[ "$status" -ne 0 ]
	[[ "$output" != *"1 other.txt"* ]]
}

@test "args: sha256sum, jq and openssl dgst on named files replay on other names and content" {
	printf 'one\n' >"$T/work/a/in-1.dat"
	printf '{"k": [1, 2]}\n' >"$T/work/a/q1.json"
	printf 'two two\n' >"$T/work/b/in-2.dat"
	printf '{"k": [3, 4, 5]}\n' >"$T/work/b/q2.json"
	own "$T/work"
	cd "$T/work/a"
	for p in "sha256sum in-1.dat" "jq -c .k q1.json" "openssl dgst -sha256 in-1.dat"; do
		run sv -q --learn -p "${p%% *}" $p
		[ "$status" -eq 0 ]
	done
	cd "$T/work/b"
	for p in "sha256sum in-2.dat" "jq -c .k q2.json" "openssl dgst -sha256 in-2.dat"; do
		native=$(as_user $p 2>&1)
		run sv -q --enforce "${p%% *}" $p
		echo "$p: $status: $output (native: $native)"
		[ "$status" -eq 0 ]
		[ "$output" = "$native" ]
	done
}

@test "args: a python script learned on data-q1.csv -o report-q1.txt runs on data-q2.csv -o report-q2.txt" {
	mkscript "$T/work/a"
	mkscript "$T/work/b"
	printf 'x,1\ny,2\n' >"$T/work/a/data-q1.csv"
	printf 'x,5\ny,6\nz,7\n' >"$T/work/b/data-q2.csv"
	own "$T/work"
	cd "$T/work/a"
	run sv -q --learn -p summ python3 summarize.py data-q1.csv -o report-q1.txt
	[ "$status" -eq 0 ]
	[ "$(cat report-q1.txt)" = "rows=2 sum=3" ]
	run sv profile show summ
	echo "$output"
	[[ "$output" == *$'\nwrite @arg\n'* ]]
	[[ "$output" != *data-q1* ]]
	cd "$T/work/b"
	run sv --enforce summ python3 summarize.py data-q2.csv -o report-q2.txt
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(cat report-q2.txt)" = "rows=3 sum=18" ]
	[ "$(q "select rule from events where object = '$T/work/b/data-q2.csv' and access = 'read' and decision = 'allow' limit 1")" = "write @arg" ]
}

@test "args: a missing output in a directory the profile does not open is created for 'write @arg', and removed when left untouched" {
	mkdir -p "$T/work/out"
	own "$T/work"
	mkprofile "$T/p.profile" "write @arg"
	run sv --enforce "$T/p.profile" sh -c 'echo made >"$1"' sh "$T/work/out/r.txt"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(cat "$T/work/out/r.txt")" = made ]
	[ "$(q "select rule from events where object = '$T/work/out/r.txt' and access = 'create' limit 1")" = "write @arg" ]
	# only that name: another one in the same directory does not reach the host (the test tree
	# lies in /tmp, where base's "tmpfs /tmp" makes it in the jail's private /tmp)
	run sv --enforce "$T/p.profile" sh -c 'echo x >"$1"; echo y >"$1.other"' sh "$T/work/out/s.txt"
	echo "$output"
	[ "$(cat "$T/work/out/s.txt")" = x ]
	[ ! -e "$T/work/out/s.txt.other" ]
	# the program never opened it: nothing is left behind
	run sv --enforce "$T/p.profile" true "$T/work/out/unused.txt"
	[ "$status" -eq 0 ]
	[ ! -e "$T/work/out/unused.txt" ]
	# a missing argument under a missing directory gets nothing
	run sv --enforce "$T/p.profile" sh -c 'echo x >"$1"' sh "$T/work/nodir/x.txt"
	[ "$status" -ne 0 ]
	[ ! -e "$T/work/nodir" ]
}

@test "args: an argument naming ~/.ssh/id_rsa is refused with a message and denied, logged; a grant line allows it" {
	mkdir -p "$T/home/.ssh"
	mkfile "$T/home/.ssh/id_rsa" PRIVATE-KEY
	printf 'hello\n' >"$T/work/a/in.txt"
	ln -s "$T/home/.ssh/id_rsa" "$T/work/a/innocent.txt"
	own "$T/home" "$T/work"
	cd "$T/work/a"
	run sv -q --learn -p rd cat in.txt
	[ "$status" -eq 0 ]
	run sv --enforce rd cat "$T/home/.ssh/id_rsa"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" != *PRIVATE-KEY* ]]
	[[ "$output" == *"argument 1 '$T/home/.ssh/id_rsa' names the protected $T/home/.ssh/id_rsa: @arg rules never give it"* ]]
	[[ "$output" == *"denied read $T/home/.ssh/id_rsa"* ]]
	[ "$(q "select count(*) from denials where object = '$T/home/.ssh/id_rsa' and access = 'read'")" -ge 1 ]
	# through a link, and as HOME itself (above the protected roots)
	run sv --enforce rd cat innocent.txt
	[[ "$output" != *PRIVATE-KEY* ]]
	[[ "$output" == *"names the protected $T/home/.ssh/id_rsa"* ]]
	run sv --enforce rd cat "$T/home"
	[[ "$output" == *"argument 1 '$T/home' names the protected $T/home"* ]]
	# a grant line of the profile gives it, and nothing is said
	mkprofile "$T/g.profile" "read @arg" "grant read ~/.ssh/id_rsa"
	run sv --enforce "$T/g.profile" cat "$T/home/.ssh/id_rsa"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *PRIVATE-KEY* ]]
	[[ "$output" != *"names the protected"* ]]
}

@test "args: an explicit deny still decides an argument; --opt=FILE names a file" {
	mkdir -p "$T/work/priv"
	mkfile "$T/work/priv/x" PRIV
	mkfile "$T/work/a/y" OPEN
	mkprofile "$T/p.profile" "read @arg" "deny $T/work/priv"
	run sv --enforce "$T/p.profile" cat "$T/work/priv/x"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" != *PRIV* ]]
	[[ "$output" == *"is denied by rule \"deny $T/work/priv\""* ]]
	run sv --enforce "$T/p.profile" sh -c 'cat "${1#--in=}"' sh "--in=$T/work/a/y"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = OPEN ]
}

@test "args: tar -cf OUT DIR learned, then an archive of another tree extracted with -C into another directory" {
	mkdir -p "$T/work/a/src/sub" "$T/work/b/tree/deep" "$T/work/b/dest"
	echo a >"$T/work/a/src/f"
	echo s >"$T/work/a/src/sub/s"
	echo other >"$T/work/b/tree/g"
	echo deeper >"$T/work/b/tree/deep/h"
	own "$T/work"
	cd "$T/work/a"
	run sv -q --learn -p tarc tar -cf a.tar src
	[ "$status" -eq 0 ]
	mkdir -p "$T/work/a/x" && own "$T/work/a/x"
	run sv -q --learn -p tarx tar -xf a.tar -C x
	[ "$status" -eq 0 ]
	[ "$(cat x/src/sub/s)" = s ]
	cd "$T/work/b"
	run sv --enforce tarc tar -cf b.tar tree
	echo "$output"
	[ "$status" -eq 0 ]
	run sv --enforce tarx tar -xf b.tar -C dest
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(cat dest/tree/deep/h)" = deeper ]
	[ "$(cat dest/tree/g)" = other ]
}

@test "data: a shell script reading *.log in its directory, learned on two logs, reads three others elsewhere; a .txt beside them is denied" {
	printf 'a1\n' >"$T/work/a/mon.log"
	printf 'a2\n' >"$T/work/a/tue.log"
	printf 'b1\n' >"$T/work/b/2024-01.log"
	printf 'b2\n' >"$T/work/b/2024-02.log"
	printf 'b3\n' >"$T/work/b/2024-03.log"
	printf 'SECRET-TXT\n' >"$T/work/b/secret.txt"
	own "$T/work"
	script='for f in *.log; do cat "$f"; done | sort'
	cd "$T/work/a"
	run sv -q --learn -p logs sh -c "$script"
	[ "$status" -eq 0 ]
	run sv profile show logs
	echo "$output"
	[[ "$output" == *$'\nread $CWD/*.log\n'* ]]
	[[ "$output" != *mon.log* ]]
	cd "$T/work/b"
	run sv --enforce logs sh -c "$script"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'b1\nb2\nb3')" ]
	[ "$(q "select count(*) from events where object like '$T/work/b/2024-0%.log' and access = 'read' and rule = 'read \$CWD/*.log'")" -ge 3 ]
	run sv --enforce logs sh -c "$script; cat secret.txt"
	echo "$output"
	[[ "$output" != *SECRET-TXT* ]]
	[[ "$output" == *"denied read $T/work/b/secret.txt"* ]]
	[ "$(q "select count(*) from denials where object = '$T/work/b/secret.txt'")" -ge 1 ]
}

@test "args: for each learned case, a variant that also reads ~/.ssh/id_rsa is denied, logged with that path" {
	mkdir -p "$T/home/.ssh"
	printf 'PRIVATE-KEY\n' >"$T/home/.ssh/id_rsa"
	mkscript "$T/work/a"
	printf 'a\nb\n' >"$T/work/a/in.txt"
	printf 'x,1\n' >"$T/work/a/d.csv"
	printf 'one\n' >"$T/work/a/1.log"
	printf 'two\n' >"$T/work/a/2.log"
	printf 'cat ${EXTRA:-} *.log\n' >"$T/work/a/logs.sh"
	own "$T/work" "$T/home/.ssh"
	cd "$T/work/a"
	run sv -q --learn -p v-wc wc -l in.txt
	[ "$status" -eq 0 ]
	run sv -q --learn -p v-summ python3 summarize.py d.csv -o r.txt
	[ "$status" -eq 0 ]
	run sv -q --learn -p v-logs sh logs.sh
	[ "$status" -eq 0 ]
	key=$T/home/.ssh/id_rsa
	# the key named as one more argument, or read by the same program through its environment
	run sv --enforce v-wc wc -l in.txt "$key"
	echo "wc: $output"
	[[ "$output" != *PRIVATE-KEY* && "$output" == *"denied read $key"* ]]
	run sv --enforce v-summ python3 -c "exec(open('summarize.py').read().replace('a = ap.parse_args()', 'a = ap.parse_args(); print(open(\"$key\").read())'))" d.csv -o r2.txt
	echo "python: $output"
	[[ "$output" != *PRIVATE-KEY* && "$output" == *"denied read $key"* ]]
	export EXTRA=$key	# supervise passes its environment on
	run sv --enforce v-logs sh logs.sh
	unset EXTRA
	echo "shell: $output"
	[[ "$output" != *PRIVATE-KEY* && "$output" == *"denied read $key"* ]]
	[ "$(q "select count(distinct run_id) from denials where object = '$key' and access = 'read'")" -eq 3 ]
}
