/* landlock.c - Landlock in the jail: TCP port rules, filesystem rules, IPC scopes (landlock.h). */
#include "landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"

#define LL_BIND (1ULL << 0)	/* LANDLOCK_ACCESS_NET_BIND_TCP */
#define LL_CONNECT (1ULL << 1)	/* LANDLOCK_ACCESS_NET_CONNECT_TCP */
#define MAX_PORTS 1024

/* _ports - how many ports the tcp rules of OP span (0: none; > MAX_PORTS: too many to list). */
static unsigned long _ports(const struct netrule *v, size_t n, enum netrule_op op)
{
	unsigned long total = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i].proto == NETRULE_TCP && v[i].op == op)
			total += (unsigned long)v[i].port_hi - v[i].port_lo + 1;
	return total;
}

/* _allow - add a rule for every port the tcp rules of OP name, with ACCESS. 0 or -errno. */
static int _allow(int fd, const struct netrule *v, size_t n, enum netrule_op op, uint64_t access)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].proto != NETRULE_TCP || v[i].op != op)
			continue;
		for (unsigned p = v[i].port_lo; p <= v[i].port_hi; p++) {
			int r = sys_landlock_allow_port(fd, access, (uint16_t)p);

			if (r < 0)
				return r;
		}
	}
	return 0;
}

int landlock_tcp_ports(const struct netrule *v, size_t n)
{
	unsigned long nc = _ports(v, n, NETRULE_CONNECT), nb = _ports(v, n, NETRULE_BIND);
	uint64_t handled = 0;
	_cleanup_close_ int fd = -1;
	int r;

	if (nc > 0 && nc <= MAX_PORTS)
		handled |= LL_CONNECT;
	if (nb > 0 && nb <= MAX_PORTS)
		handled |= LL_BIND;
	if (!handled || sys_landlock_abi() < 4)
		return 1;
	fd = sys_landlock_tcp_ruleset(handled);
	if (fd < 0)
		return fd;
	r = (handled & LL_CONNECT) ? _allow(fd, v, n, NETRULE_CONNECT, LL_CONNECT) : 0;
	if (r == 0 && (handled & LL_BIND))
		r = _allow(fd, v, n, NETRULE_BIND, LL_BIND);
	if (r == 0 && (handled & LL_BIND))
		r = sys_landlock_allow_port(fd, LL_BIND, 0);
	return r < 0 ? r : sys_landlock_restrict(fd);
}

#define FS_R (LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_IOCTL_DEV)
#define FS_W (LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE | LL_FS_MAKE_DIR | \
	      LL_FS_MAKE_REG | LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO | LL_FS_MAKE_SYM | LL_FS_REFER)
#define FS_FILE (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

static const struct { uint64_t bit; const char *name; } _fs_names[] = {
	{ LL_FS_EXECUTE, "execute" }, { LL_FS_WRITE_FILE, "write_file" }, { LL_FS_READ_FILE, "read_file" },
	{ LL_FS_READ_DIR, "read_dir" }, { LL_FS_REMOVE_DIR, "remove_dir" },
	{ LL_FS_REMOVE_FILE, "remove_file" }, { LL_FS_MAKE_CHAR, "make_char" },
	{ LL_FS_MAKE_DIR, "make_dir" }, { LL_FS_MAKE_REG, "make_reg" }, { LL_FS_MAKE_SOCK, "make_sock" },
	{ LL_FS_MAKE_FIFO, "make_fifo" }, { LL_FS_MAKE_BLOCK, "make_block" },
	{ LL_FS_MAKE_SYM, "make_sym" }, { LL_FS_REFER, "refer" }, { LL_FS_TRUNCATE, "truncate" },
	{ LL_FS_IOCTL_DEV, "ioctl_dev" },
};

unsigned landlock_layers(enum opts_landlock mode, bool live_grants)
{
	if (mode == LANDLOCK_FS)
		return LANDLOCK_LAYER_FS | LANDLOCK_LAYER_SCOPE | LANDLOCK_LAYER_REQUIRED;
	if (mode == LANDLOCK_OFF)
		return 0;
	return LANDLOCK_LAYER_SCOPE | (live_grants ? 0 : LANDLOCK_LAYER_FS);
}


/* _rights - the rights for a mount of MA_* attributes ATTRS: read (and device ioctls) always,
 * write unless read-only, execute unless noexec. */
static uint64_t _rights(unsigned attrs)
{
	return FS_R | ((attrs & MA_RDONLY) ? 0 : FS_W) | ((attrs & MA_NOEXEC) ? 0 : LL_FS_EXECUTE);
}

/* _add - add a rule for PATH with RIGHTS (masked to LJ's handled rights, and to a file's rights
 * when PATH is no directory) to LJ's ruleset. A PATH that cannot be opened (missing, no search
 * permission, a dangling link) is skipped: the view cannot show it either. 0 or -errno + ERR. */
static int _add(struct landlock_jail *lj, const char *path, uint64_t rights, char *err,
		size_t errlen)
{
	_cleanup_close_ int fd = open(path, O_PATH | O_CLOEXEC);
	struct stat st;
	int r;

	if (fd < 0 && (errno == ENOENT || errno == EACCES || errno == ENOTDIR || errno == ELOOP))
		return 0;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "Landlock: open %s: %s", path, strerror(errno));
		return -errno;
	}
	rights &= lj->fs & (S_ISDIR(st.st_mode) ? ~0ULL : FS_FILE);
	r = sys_landlock_allow_path(lj->fd, rights, fd);
	if (r < 0) {
		snprintf(err, errlen, "Landlock: a rule for %s: %s", path, strerror(-r));
		return r;
	}
	lj->nrules++;
	return 0;
}

/* _host_op - whether plan operation M names a host path (its rule is added on the host), and
 * which: a bind's and a grant's path, "home persist"'s source. */
static const char *_host_op(const struct mop *m)
{
	if (m->kind == MOP_BIND || m->kind == MOP_GRANT)
		return m->path;
	return m->kind == MOP_BIND_FROM ? m->src : NULL;
}

/* _ruleset - create LJ's ruleset for ABI, LAYERS and NET. 0 or -errno + ERR. */
static int _ruleset(struct landlock_jail *lj, enum net_mode net, char *err, size_t errlen)
{
	if (lj->abi >= 6 && (lj->layers & LANDLOCK_LAYER_SCOPE))
		lj->scoped = LL_SCOPE_SIGNAL | (net == NET_HOST ? 0 : LL_SCOPE_ABSTRACT_UNIX);
	if (lj->layers & LANDLOCK_LAYER_FS)
		lj->fs = sys_landlock_fs_handled(lj->abi);
	if (!lj->fs && !lj->scoped)
		return 0;
	lj->fd = sys_landlock_ruleset_scoped(lj->fs, 0, lj->scoped);
	if (lj->fd < 0) {
		snprintf(err, errlen, "Landlock: create the ruleset (ABI %d): %s", lj->abi,
			 strerror(-lj->fd));
		return lj->fd;
	}
	return 0;
}

int landlock_jail_prepare(struct landlock_jail *lj, const struct plan *pl, unsigned layers,
			  enum net_mode net, char *err, size_t errlen)
{
	int r;

	*lj = (struct landlock_jail){ .fd = -1, .layers = layers };
	if (!(layers & (LANDLOCK_LAYER_FS | LANDLOCK_LAYER_SCOPE)))
		return 0;
	r = sys_landlock_abi();
	if (r < 0 && (layers & LANDLOCK_LAYER_REQUIRED)) {
		snprintf(err, errlen, "\"landlock fs\": the kernel has no Landlock: %s (Hint: needs "
			 "Linux 5.13 with lsm=...,landlock; or remove the line)", strerror(-r));
		return -EOPNOTSUPP;
	}
	lj->abi = r < 0 ? 0 : r;
	if (!lj->abi)
		return 0;
	r = _ruleset(lj, net, err, errlen);
	for (size_t i = 0; r == 0 && lj->fs && i < pl->n; i++) {
		const char *host = _host_op(&pl->v[i]);

		if (host)
			r = _add(lj, host, _rights(pl->v[i].attrs), err, errlen);
	}
	return r;
}

/* _own_rights - the rights for the jail's own mount M (0: none, or not one of them): /dev
 * read, write and device ioctls; /proc read and write of files; a tmpfs or the home tmpfs by
 * its flags. */
static uint64_t _own_rights(const struct mop *m)
{
	switch (m->kind) {
	case MOP_DEV:
		return FS_R | FS_W;
	case MOP_PROC:
		return LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_WRITE_FILE | LL_FS_TRUNCATE;
	case MOP_TMPFS:
	case MOP_HOME:
		return _rights(m->attrs);
	default:
		return 0;
	}
}

/* _say - the -v line: the ABI, the handled rights and the scopes of LJ, or why there are none. */
static void _say(const struct landlock_jail *lj)
{
	char fs[512], sc[128];
	size_t n = 0;

	if (!lj->abi) {
		fprintf(stderr, "supervise: jail: no Landlock layer (the kernel has no Landlock; "
				"Linux 5.13): the mount view alone\n");
		return;
	}
	if (lj->fs)
		n = (size_t)snprintf(fs, sizeof(fs), "rules on %u paths, handling ", lj->nrules);
	else
		snprintf(fs, sizeof(fs), "not restricted (%s)", (lj->layers & LANDLOCK_LAYER_FS) ?
			 "Linux 5.13" : "the run takes live grants; \"landlock fs\" fixes the "
			 "rights at start");
	for (size_t i = 0, k = 0; i < ARRAY_SIZE(_fs_names) && lj->fs; i++)
		if (lj->fs & _fs_names[i].bit)
			n += (size_t)snprintf(fs + n, sizeof(fs) - n, "%s%s", k++ ? "," : "",
					      _fs_names[i].name);
	snprintf(sc, sizeof(sc), "%s%s%s",
		 lj->scoped & LL_SCOPE_ABSTRACT_UNIX ? "abstract unix sockets, " : "",
		 lj->scoped & LL_SCOPE_SIGNAL ? "signals" : "",
		 lj->scoped ? "" : lj->abi < 6 && (lj->layers & LANDLOCK_LAYER_SCOPE) ?
		 "none (ABI 6, Linux 6.12)" : "none");
	fprintf(stderr, "supervise: jail: Landlock ABI %d: filesystem %s; scoped: %s\n", lj->abi,
		fs, sc);
}

int landlock_jail_apply(struct landlock_jail *lj, const struct plan *pl, bool verbose,
			char *err, size_t errlen)
{
	int r;

	if (verbose && (lj->layers & (LANDLOCK_LAYER_FS | LANDLOCK_LAYER_SCOPE)) && lj->fd < 0)
		_say(lj);
	if (lj->fd < 0)
		return 0;
	for (size_t i = 0; i < pl->n && lj->fs; i++) {
		uint64_t rights = _own_rights(&pl->v[i]);

		if (rights && (r = _add(lj, pl->v[i].path, rights, err, errlen)) < 0)
			return r;
	}
	r = sys_landlock_restrict(lj->fd);
	if (r < 0) {
		snprintf(err, errlen, "Landlock: restrict the command: %s", strerror(-r));
		return r;
	}
	close(lj->fd);
	lj->fd = -1;
	if (verbose)
		_say(lj);
	return 0;
}

const struct plan *landlock_test_mistake(const struct plan *pl, struct plan *tmp)
{
	const char *dir = getenv("SUPERVISE_TEST_VIEW_MISTAKE");
	struct stat st;

	if (!dir || dir[0] != '/' || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return pl;
	fprintf(stderr, "supervise: jail: SUPERVISE_TEST_VIEW_MISTAKE: %s bound read-write, "
			"outside the profile (a test of the Landlock layer)\n", dir);
	tmp->v = xcalloc(pl->n + 1, sizeof(*tmp->v));
	memcpy(tmp->v, pl->v, pl->n * sizeof(*tmp->v));
	tmp->v[pl->n] = (struct mop){ .kind = MOP_BIND, .path = xstrdup(dir),
				      .attrs = MA_NOSUID | MA_NODEV | MA_NOEXEC };
	tmp->n = tmp->cap = pl->n + 1;
	return tmp;
}
