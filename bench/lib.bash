# lib.bash - helpers the bench scripts share (sourced by run.sh and workloads.sh).

# q ARG... - the arguments single-quoted for hyperfine's word splitting.
q() {
	local a out=""
	for a in "$@"; do
		out+="'${a//\'/\'\\\'\'}' "
	done
	printf '%s' "${out% }"
}
