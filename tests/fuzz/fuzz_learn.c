/* fuzz_learn.c - libFuzzer target: the learn aggregator and renderer (learn/learn.c,
 * learn/want.c, learn/tree.c, learn/render.c, learn/classify.c): learn_add of the input's
 * paths, learn_render with a fake type check, and the rendered profile parsed back with
 * policy_parse.
 *
 * Input: lines. "%" starts the existing profile: the rest of the input, merged in when it
 * parses. "#" lines are the header, "@" lines network objects (learn_net); any other line is an
 * access byte (its low five bits: read, write, create, exec, stat; none: read) and a path,
 * normalised against the working directory before learn_add. HOME is /home/u, the working
 * directory /home/u/proj, $XDG_RUNTIME_DIR /run/user/1000, $XDG_CONFIG_HOME /srv/cfg (the other
 * XDG directories their defaults below HOME). The fake type check: paths holding
 * "missing" do not exist; HOME, the working directory, paths that are an ancestor of an added
 * path and paths whose last component starts with "D" are directories; the rest are files.
 * Properties checked beyond the sanitizers:
 *   - every added path is found (learn_find) with at least the bits added;
 *   - the rendered profile parses (policy_parse, "$CWD" set), and *NRULES is its rule count;
 *   - a learned path that is plain (no "*", no control character), not protected and a file,
 *     and that no rule of the existing profile applies to, is allowed by the rendered profile
 *     every access it was seen with (but exec of a file it created in a temporary root, which
 *     the noexec tmpfs there refuses in any case).
 */
#include "fuzz.h"

#include <stdbool.h>

#include "../../common/path.h"
#include "../../learn/learn.h"

#define HOME "/home/u"
#define CWD HOME "/proj"
#define ACCS (ACC_READ | ACC_WRITE | ACC_CREATE | ACC_EXEC | ACC_STAT)

static const struct learn_env env = { .home = HOME, .cwd = CWD, .runtime_dir = "/run/user/1000",
				      .config_home = "/srv/cfg" };

/* The set being rendered, for the fake type check. */
static const struct learn_set *cur;

/* fake_stat - the injected type check described above. */
static enum learn_ftype fake_stat(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t l = strlen(path);

	if (strstr(path, "missing"))
		return LEARN_MISSING;
	if (!strcmp(path, "/") || !strcmp(path, HOME) || !strcmp(path, CWD) || (base && base[1] == 'D'))
		return LEARN_DIR;
	for (size_t i = 0; cur && i < cur->n; i++)
		if (!strncmp(cur->v[i].path, path, l) && cur->v[i].path[l] == '/')
			return LEARN_DIR;
	return LEARN_FILE;
}

/* plain - PATH may be written as a rule literally: no "*" and no control character. */
static bool plain(const char *path)
{
	for (const char *s = path; *s; s++)
		if (*s == '*' || (unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* rule_lines - the rule lines of TEXT (neither blank nor comments nor include or net lines). */
static size_t rule_lines(const char *text)
{
	size_t n = 0;

	for (const char *s = text; *s;) {
		size_t len = strcspn(s, "\n");

		if (len && s[0] != '#' && strncmp(s, "include ", 8) && strncmp(s, "net ", 4))
			n++;
		s += len + (s[len] == '\n');
	}
	return n;
}

/* applies - some rule of P (may be NULL) covers PATH. */
static bool applies(const struct profile *p, const char *path)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (policy_pattern_match(p->rules[i].pattern, path))
			return true;
	return false;
}

/* replays - the access of E is allowed by the rendered profile R (see above). */
static void replays(const struct learn_entry *e, const struct profile *r,
		    const struct profile *existing, const char *text)
{
	char *prot = learn_protected(e->path, HOME);
	bool check = plain(e->path) && !prot && fake_stat(e->path) == LEARN_FILE &&
		     !applies(existing, e->path);

	free(prot);
	for (unsigned bit = 1; check && bit <= ACC_STAT; bit <<= 1) {
		const struct rule *why = NULL;

		if (!(e->access & bit))
			continue;
		/* a tmpfs is mounted noexec: learn gives no exec there (supervise.profile.5) */
		if (bit == ACC_EXEC && (e->access & ACC_CREATE) && learn_tmp_root(e->path, env.runtime_dir))
			continue;
		FUZZ_CHECK(policy_decide(r, e->path, (enum access)bit, &why),
			   "%s of '%s' (seen: %#x) denied by '%s' in:\n%s", access_name((enum access)bit),
			   e->path, e->access, why ? why->text : "(no rule)", text);
	}
}

/* feed - apply the lines of INPUT to S, the header to *HEADER, and return where the existing
 * profile starts (NULL: none). */
static char *feed(struct learn_set *s, char *input, char **header)
{
	char *line = input, *next;

	for (; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '%')
			return next ? next : line + strlen(line);
		if (line[0] == '#') {
			size_t hl = *header ? strlen(*header) : 0;

			*header = realloc(*header, hl + strlen(line) + 2);
			if (!*header)
				abort();
			sprintf(*header + hl, "%s%s", hl ? "\n" : "", line + 1);
		} else if (line[0] == '@') {
			learn_net(s, line + 1);
		} else if (line[0]) {
			unsigned acc = (unsigned)(unsigned char)line[0] & ACCS;
			char *p = path_join_normalize(CWD, line + 1);

			learn_add(s, p, (enum access)(acc ? acc : ACC_READ));
			FUZZ_CHECK(learn_find(s, p) && (learn_find(s, p)->access & acc) == acc,
				   "'%s' not found after learn_add", p);
			free(p);
		}
	}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	struct learn_set s = { 0 };
	struct profile existing = { 0 }, r = { 0 };
	char *input = malloc(size + 1), *header = NULL, *ex, *text, err[512] = "";
	bool have = false;
	size_t nrules = 0;
	int rc;

	if (!init) {
		policy_set_cwd(CWD);	/* and the XDG directories of env, the others default */
		policy_set_var(PATH_VAR_RUNTIME, env.runtime_dir);
		policy_set_var(PATH_VAR_CONFIG, env.config_home);
		init = true;
	}
	if (!input)
		abort();
	memcpy(input, data, size);
	input[size] = '\0';
	ex = feed(&s, input, &header);
	if (ex)
		have = policy_parse(ex, "existing", HOME, &existing, err, sizeof(err)) == 0;
	cur = &s;
	text = learn_render(&s, have ? &existing : NULL, &env, fake_stat, header, &nrules);
	rc = policy_parse(text, "learned", HOME, &r, err, sizeof(err));
	FUZZ_CHECK(rc == 0, "the learned profile does not parse: %s\n%s", err, text);
	FUZZ_CHECK(nrules == rule_lines(text), "%zu rules said, %zu written:\n%s", nrules,
		   rule_lines(text), text);
	for (size_t i = 0; i < s.n; i++)
		replays(&s.v[i], &r, have ? &existing : NULL, text);
	cur = NULL;
	free(text);
	policy_free(&r);
	policy_free(&existing);
	learn_free(&s);
	free(header);
	free(input);
	return 0;
}
