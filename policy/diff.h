/* diff.h - what changed between two profiles, as lines in profile syntax (pure).
 *
 * Only a profile's own lines take part: its include lines, its net line (when it has one), its
 * "connect"/"bind" lines, its "syscalls" lines and its own rules; what is merged in from included
 * profiles (inherited) does not, an include line stands for it. Lines are compared as a set: order
 * and repeats do not matter. A rule is compared by meaning, its kind (and whether it is a grant)
 * and its expanded, normalised path, so "read ~/x" and "read /home/u/x/" are the same line; every
 * other line is compared as written (normalised spacing). The exception is "syscalls": its tokens
 * apply in order, so those lines are compared as a sequence (the same tokens in the same order,
 * however split into lines, are the same; otherwise the lines of a shortest edit script, in order).
 */
#ifndef SUPERVISE_POLICY_DIFF_H
#define SUPERVISE_POLICY_DIFF_H

#include <stddef.h>

#include "policy.h"

struct policy_diff_line {
	char sign;	/* '-': only in the first profile, '+': only in the second */
	char *text;	/* the line as its profile writes it: "read ~/notes", "net host" */
};

struct policy_diff {
	struct policy_diff_line *v;
	size_t n;
};

/* policy_diff - the lines only in A (sign '-') and only in B (sign '+') into *OUT (which the caller
 * initialised to {0}), each distinct line once. They are sorted by kind, in the order
 * policy_render() writes them (include, net, connect/bind, syscalls, then the file rules); file
 * rules by path, with at one path the removed line before the added one ("- read /x" then
 * "+ write /x"); "syscalls" lines in edit-script order; the other kinds by text. Returns the
 * number of lines (0: the profiles are the same). */
size_t policy_diff(const struct profile *a, const struct profile *b, struct policy_diff *out);

/* policy_diff_render - D as text: nothing ("") when D is empty, else the header "--- LABEL_A"
 * and "+++ LABEL_B" (one line each), then one line per entry, "- TEXT" or "+ TEXT".
 * Returns malloc'd. */
char *policy_diff_render(const struct policy_diff *d, const char *label_a, const char *label_b);

/* policy_diff_free - release what D holds and reset it to {0}. Safe on a zeroed D. */
void policy_diff_free(struct policy_diff *d);

#endif
