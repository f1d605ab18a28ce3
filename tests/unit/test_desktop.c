/* test_desktop.c - the desktop lines (policy/desktop.c: x11, wayland, sound, command), --x11 and
 * --x11-size and launcher links (cli/cli.c), and Xauthority entries (core/xauth.c). Pure. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>

#include "../../cli/cli.h"
#include "../../core/xauth.h"
#include "../../policy/policy.h"

/* parse - TEXT into *P; returns policy_parse's result, the error in ERR. */
static int parse(const char *text, struct profile *p, char *err, size_t len)
{
	memset(p, 0, sizeof(*p));
	return policy_parse(text, "t", "/home/u", p, err, len);
}

static void test_lines(void **state)
{
	struct profile p;
	char err[256], *text;

	(void)state;
	assert_int_equal(parse("x11 nested 800x600\nwayland\nsound\ncommand /usr/bin/xterm -e top\n",
			       &p, err, sizeof(err)), 0);
	assert_int_equal(p.opts.desk.x11, X11_NESTED);
	assert_int_equal(p.opts.desk.w, 800);
	assert_int_equal(p.opts.desk.h, 600);
	assert_true(p.opts.desk.wayland && p.opts.desk.sound);
	assert_string_equal(p.opts.desk.command[0], "/usr/bin/xterm");
	assert_string_equal(p.opts.desk.command[2], "top");
	assert_null(p.opts.desk.command[3]);
	text = policy_render(&p);	/* rendered back as written */
	assert_non_null(strstr(text, "x11 nested 800x600\n"));
	assert_non_null(strstr(text, "command /usr/bin/xterm -e top\n"));
	assert_non_null(strstr(text, "wayland\n"));
	free(text);
	policy_free(&p);
	assert_int_equal(parse("x11 host\n", &p, err, sizeof(err)), 0);
	assert_int_equal(p.opts.desk.x11, X11_HOST);
	assert_false(p.opts.desk.wayland);
	policy_free(&p);
	assert_int_equal(parse("read /usr\n", &p, err, sizeof(err)), 0);	/* the default */
	assert_int_equal(p.opts.desk.x11, X11_UNSET);
	assert_null(p.opts.desk.command);
	policy_free(&p);
}

static void test_errors(void **state)
{
	static const struct { const char *text, *msg; } t[] = {
		{ "x11\n", "t:1: 'x11' takes none, nested or host (nested may add a size WxH)" },
		{ "x11 maybe\n", "t:1: 'x11' takes none, nested or host (nested may add a size WxH)" },
		{ "x11 host 800x600\n", "t:1: 'x11 host' takes no size (only nested has a server of its own)" },
		{ "x11 nested 0x600\n", "t:1: x11 nested: '0x600' is not a size WxH (1 to 16384 each)" },
		{ "x11 nested 800x\n", "t:1: x11 nested: '800x' is not a size WxH (1 to 16384 each)" },
		{ "x11 nested\nx11 none\n", "t:2: 'x11' already given on line 1" },
		{ "wayland yes\n", "t:1: 'wayland' takes nothing after it" },
		{ "sound\nsound\n", "t:2: 'sound' already given on line 1" },
		{ "command\n", "t:1: 'command' needs the program to run" },
		{ "command a\ncommand b\n", "t:2: 'command' already given on line 1" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct profile p;
		char err[256];

		assert_int_equal(parse(t[i].text, &p, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, t[i].msg);
		policy_free(&p);
	}
}

static void test_merge(void **state)
{
	struct profile a, b;
	char err[256];

	(void)state;
	assert_int_equal(parse("x11 nested 640x480\nsound\ncommand xclock\n", &a, err, sizeof(err)), 0);
	assert_int_equal(parse("x11 none\n", &b, err, sizeof(err)), 0);
	policy_merge_included(&b, &a);	/* its own x11 line wins; the rest is inherited */
	assert_int_equal(b.opts.desk.x11, X11_NONE);
	assert_true(b.opts.desk.sound);
	assert_string_equal(b.opts.desk.command[0], "xclock");
	policy_free(&b);
	assert_int_equal(parse("read /usr\n", &b, err, sizeof(err)), 0);
	policy_merge_included(&b, &a);
	assert_int_equal(b.opts.desk.x11, X11_NESTED);
	assert_int_equal(b.opts.desk.w, 640);
	policy_free(&a);
	policy_free(&b);
}

static void test_sizes_and_displays(void **state)
{
	unsigned w = 0, h = 0;

	(void)state;
	assert_int_equal(desktop_size_parse("1024x768", &w, &h), 0);
	assert_int_equal(w, 1024);
	assert_int_equal(h, 768);
	assert_int_equal(desktop_size_parse("16384x1", &w, &h), 0);
	assert_int_equal(desktop_size_parse("16385x1", &w, &h), -EINVAL);
	assert_int_equal(desktop_size_parse("-1x5", &w, &h), -EINVAL);
	assert_int_equal(desktop_size_parse("10X10", &w, &h), -EINVAL);
	assert_int_equal(desktop_size_parse("10x10 ", &w, &h), -EINVAL);
	assert_int_equal(desktop_size_parse("", &w, &h), -EINVAL);
	assert_int_equal(desktop_display_number(":0"), 0);
	assert_int_equal(desktop_display_number(":12.1"), 12);
	assert_int_equal(desktop_display_number("unix:3"), 3);
	assert_int_equal(desktop_display_number("localhost:10.0"), -EINVAL);	/* TCP */
	assert_int_equal(desktop_display_number(":"), -EINVAL);
	assert_int_equal(desktop_display_number(":1x"), -EINVAL);
	assert_int_equal(desktop_display_number(NULL), -EINVAL);
	assert_string_equal(x11_mode_name(X11_UNSET), "none");
	assert_string_equal(x11_mode_name(X11_NESTED), "nested");
}

static void test_cli(void **state)
{
	char *ok[] = { "supervise", "--x11", "nested", "--x11-size", "800x600", "--enforce", "p",
		       "--", "xclock", NULL };
	char *bad[] = { "supervise", "--x11", "yes", "--enforce", "p", "xclock", NULL };
	char *badsize[] = { "/usr/bin/supervise", "--x11-size", "big", "--learn", "xclock", NULL };
	char *link[] = { "/home/u/bin/xterm-box", "-e", "--help", NULL };
	struct cli c;
	char err[256];

	(void)state;
	assert_int_equal(cli_parse(9, ok, &c, err, sizeof(err)), 0);
	assert_int_equal(c.x11, X11_NESTED);
	assert_int_equal(c.x11_w, 800);
	assert_false(c.launcher);
	assert_int_equal(cli_parse(6, bad, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--x11 is none, nested or host, not 'yes'");
	assert_int_equal(cli_parse(5, badsize, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--x11-size takes WxH (1 to 16384 each), not 'big'");
	/* a launcher link: every argument, options too, is the program's */
	assert_int_equal(cli_parse(3, link, &c, err, sizeof(err)), 0);
	assert_true(c.launcher);
	assert_int_equal(c.cmd, CLI_RUN);
	assert_int_equal(c.mode, MODE_ENFORCE);
	assert_string_equal(c.profile, "xterm-box");
	assert_int_equal(c.argc, 2);
	assert_string_equal(c.argv[1], "--help");
	assert_null(cli_launcher_name("supervise"));
	assert_null(cli_launcher_name("/usr/local/bin/supervise"));
	assert_null(cli_launcher_name("/opt/bin/supervise-0.1"));	/* a versioned copy */
	assert_null(cli_launcher_name("supervise.real"));
	assert_string_equal(cli_launcher_name("/home/a/bin/box-supervise"), "box-supervise");
	assert_string_equal(cli_launcher_name("./feh-box"), "feh-box");
}

static void test_xauth(void **state)
{
	uint8_t cookie[16], buf[128], out[XAUTH_DATA_MAX], file[256];
	size_t n, m;

	(void)state;
	for (size_t i = 0; i < sizeof(cookie); i++)
		cookie[i] = (uint8_t)(i * 17 + 1);
	n = xauth_entry(7, cookie, sizeof(cookie), buf, sizeof(buf));
	/* family, "" address, "7", the name, the data: 2 + 2 + 3 + 20 + 18 */
	assert_int_equal(n, 2 + 2 + 3 + 2 + strlen(XAUTH_MIT) + 2 + 16);
	assert_int_equal(buf[0], 0xff);
	assert_int_equal(buf[1], 0xff);
	assert_int_equal(xauth_find(buf, n, 7, "any", out), 16);
	assert_memory_equal(out, cookie, 16);
	assert_int_equal(xauth_find(buf, n, 8, "any", out), 0);	/* another display */
	assert_int_equal(xauth_find(buf, n - 1, 7, "any", out), -EINVAL);	/* truncated */
	assert_int_equal(xauth_entry(7, cookie, sizeof(cookie), buf, 10), 0);	/* too small */
	/* FamilyLocal "box" :3, then a wild entry for :3: the local one needs the host name */
	m = 0;
	file[m++] = 1, file[m++] = 0;	/* 256 */
	file[m++] = 0, file[m++] = 3, memcpy(file + m, "box", 3), m += 3;
	file[m++] = 0, file[m++] = 1, file[m++] = '3';
	file[m++] = 0, file[m++] = 18, memcpy(file + m, XAUTH_MIT, 18), m += 18;
	file[m++] = 0, file[m++] = 2, file[m++] = 0xaa, file[m++] = 0xbb;
	assert_int_equal(xauth_find(file, m, 3, "box", out), 2);
	assert_int_equal(out[0], 0xaa);
	assert_int_equal(xauth_find(file, m, 3, "other", out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_sizes_and_displays),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_xauth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
