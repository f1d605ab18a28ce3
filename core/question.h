/* question.h - the words of an ask question and of its answers (core/ask.h). Pure. */
#ifndef SUPERVISE_QUESTION_H
#define SUPERVISE_QUESTION_H

#include <stddef.h>

#include "../common/event.h"
#include "../policy/policy.h"

enum ask_answer {
	ASK_UNCLEAR,	/* not an answer: ask again */
	ASK_ONCE,	/* allow, for the rest of this run */
	ASK_ALWAYS,	/* allow, and write the rule into the profile */
	ASK_DENY_ONCE,	/* deny, for the rest of this run */
	ASK_NEVER,	/* deny, and write a deny rule into the profile */
};

/* ask_parse_answer - the answer typed in LINE (LEN bytes, no NUL needed): its first word, after
 * blanks, "o"/"once", "a"/"always", "d"/"deny", "n"/"never" (any case). */
enum ask_answer ask_parse_answer(const char *line, size_t len);

/* ask_answer_name - "once", "always", "deny once", "never". */
const char *ask_answer_name(enum ask_answer a);

/* ask_allows - whether A lets the call go on. */
bool ask_allows(enum ask_answer a);

/* ask_kind_for - the rule an allow of ACC gives: read (read, stat), write (write, create) or
 * exec. */
enum rule_kind ask_kind_for(enum access acc);

/* ask_question - the question into BUF (LEN bytes): PROG (pid PID) wants to ACC OBJECT (SYSCALL),
 * the rule an "always" writes (KIND on PATH) into PROFILE, and the TIMEOUT_S after which the
 * answer is deny. Every line starts with "supervise: " (what the program prints cannot end
 * with a real question mark line of ours, but may imitate one: the words say so). */
void ask_question(char *buf, size_t len, const char *prog, int pid, enum access acc,
		  const char *object, const char *syscall, enum rule_kind kind, const char *path,
		  const char *profile, unsigned timeout_s);

/* ask_question_net - the question for a network access OBJECT ("tcp 1.2.3.4:443") by PROG (pid
 * PID) in SYSCALL, whose "always" adds LINE (a connect or bind rule) to PROFILE. There is no
 * "never": network rules have no deny. */
void ask_question_net(char *buf, size_t len, const char *prog, int pid, const char *object,
		      const char *syscall, const char *line, const char *profile, unsigned timeout_s);

#endif
