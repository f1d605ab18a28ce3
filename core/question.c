/* question.c - the words of an ask question and its answers (see question.h). */
#include "question.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum ask_answer ask_parse_answer(const char *line, size_t len)
{
	static const struct { const char *word; enum ask_answer a; } words[] = {
		{ "o", ASK_ONCE }, { "once", ASK_ONCE }, { "a", ASK_ALWAYS }, { "always", ASK_ALWAYS },
		{ "d", ASK_DENY_ONCE }, { "deny", ASK_DENY_ONCE }, { "n", ASK_NEVER },
		{ "never", ASK_NEVER },
	};
	size_t i = 0, n;

	while (i < len && isblank((unsigned char)line[i]))
		i++;
	for (n = 0; i + n < len && isalpha((unsigned char)line[i + n]); n++)
		;
	if (i + n < len && !isspace((unsigned char)line[i + n]))
		return ASK_UNCLEAR;	/* "o!" or "on2": not a word we know */
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		if (n && strlen(words[w].word) == n && !strncasecmp(line + i, words[w].word, n))
			return words[w].a;
	return ASK_UNCLEAR;
}

const char *ask_answer_name(enum ask_answer a)
{
	switch (a) {
	case ASK_ONCE: return "once";
	case ASK_ALWAYS: return "always";
	case ASK_DENY_ONCE: return "deny once";
	case ASK_NEVER: return "never";
	case ASK_UNCLEAR: break;
	}
	return "?";
}

bool ask_allows(enum ask_answer a)
{
	return a == ASK_ONCE || a == ASK_ALWAYS;
}

enum rule_kind ask_kind_for(enum access acc)
{
	if (acc & (ACC_WRITE | ACC_CREATE))
		return RULE_WRITE;
	return acc & ACC_EXEC ? RULE_EXEC : RULE_READ;
}

void ask_question_net(char *buf, size_t len, const char *prog, int pid, const char *object,
		      const char *syscall, const char *line, const char *profile, unsigned timeout_s)
{
	snprintf(buf, len,
		 "\nsupervise: ask: %s (pid %d) wants to %s %s (%s)\n"
		 "supervise: ask: [o]nce (this run), [a]lways (adds \"%s\" to %s),\n"
		 "supervise: ask: [d]eny (this run); deny in %u s: ",
		 prog, pid, strncmp(line, "bind", 4) ? "connect to" : "bind", object, syscall, line,
		 profile, timeout_s);
}

void ask_question(char *buf, size_t len, const char *prog, int pid, enum access acc,
		  const char *object, const char *syscall, enum rule_kind kind, const char *path,
		  const char *profile, unsigned timeout_s)
{
	snprintf(buf, len,
		 "\nsupervise: ask: %s (pid %d) wants to %s %s (%s)\n"
		 "supervise: ask: [o]nce (this run), [a]lways (adds \"%s %s\" to %s),\n"
		 "supervise: ask: [d]eny (this run), [n]ever (adds \"deny %s\"); deny in %u s: ",
		 prog, pid, access_name(acc), object, syscall, rule_kind_name(kind), path, profile,
		 path, timeout_s);
}
