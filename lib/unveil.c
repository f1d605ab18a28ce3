/* unveil.c - sv_unveil's list of paths, and Landlock's file system rules built from it.
 *
 * Why this is safe:
 * - A path is opened (O_PATH) when it is unveiled, so the rule names the object seen then; a
 *   rename or a symlink swapped in later cannot move the rule elsewhere.
 * - Landlock is an allowlist of every right it handles: the ruleset handles every file system
 *   right the ABI knows (up to IOCTL_DEV, ABI 5), so what no rule grants is refused, including
 *   the making of device nodes, which no unveil can grant.
 * - Without best effort, an ABI that cannot handle truncation (before 3) is refused: truncate(2)
 *   outside the unveils would still work, so the confinement would not be what was asked.
 * - The list is taken out under its mutex by sv_pledge and given back if sv_pledge fails, so a
 *   failed pledge loses no unveil and two threads never apply the same rule twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/sys.h"
#include "internal.h"

/* the rights a rule on a file (not a directory) may carry */
#define LL_FILE_RIGHTS (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

static pthread_mutex_t _lock = PTHREAD_MUTEX_INITIALIZER;
static struct lib_unveil *_list;	/* guarded by _lock */
static size_t _n;

int lib_landlock_access(const char *perms, uint64_t *access)
{
	uint64_t a = 0;

	if (!perms || !*perms)
		return -EINVAL;
	for (const char *p = perms; *p; p++) {
		switch (*p) {
		case 'r': a |= LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_IOCTL_DEV; break;
		case 'w': a |= LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV; break;
		case 'x': a |= LL_FS_EXECUTE; break;
		case 'c': a |= LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE | LL_FS_MAKE_DIR | LL_FS_MAKE_REG |
			       LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO | LL_FS_MAKE_SYM | LL_FS_REFER; break;
		default: return -EINVAL;
		}
	}
	*access = a;
	return 0;
}

SV_API int sv_unveil(const char *path, const char *perms)
{
	struct lib_unveil u = { .fd = -1 }, *grown;
	struct stat st;
	int r;

	if (!path || (r = lib_landlock_access(perms, &u.access)) < 0)
		return -EINVAL;
	u.fd = open(path, O_PATH | O_CLOEXEC);
	if (u.fd < 0)
		return -errno;
	if (fstat(u.fd, &st) < 0) {
		r = -errno;
		close(u.fd);
		return r;
	}
	u.dir = S_ISDIR(st.st_mode);
	pthread_mutex_lock(&_lock);
	grown = realloc(_list, (_n + 1) * sizeof(*_list));
	if (grown) {
		_list = grown;
		_list[_n++] = u;
	}
	pthread_mutex_unlock(&_lock);
	if (!grown) {
		close(u.fd);
		return -ENOMEM;
	}
	return 0;
}

void lib_unveil_take(struct lib_unveil **v, size_t *n)
{
	pthread_mutex_lock(&_lock);
	*v = _list;
	*n = _n;
	_list = NULL;
	_n = 0;
	pthread_mutex_unlock(&_lock);
}

void lib_unveil_give_back(struct lib_unveil *v, size_t n)
{
	struct lib_unveil *all;

	if (!n) {
		free(v);
		return;
	}
	pthread_mutex_lock(&_lock);
	all = realloc(v, (n + _n) * sizeof(*v));
	if (all) {
		if (_n)
			memcpy(all + n, _list, _n * sizeof(*_list));
		free(_list);
		_list = all;
		_n += n;
	}
	pthread_mutex_unlock(&_lock);
	if (!all) {	/* out of memory: the unveils are lost, as sv_unveil would have said */
		for (size_t i = 0; i < n; i++)
			close(v[i].fd);
		free(v);
	}
}


int lib_landlock_apply(const struct lib_unveil *v, size_t n, bool best_effort)
{
	int abi = sys_landlock_abi(), fd, r = 0;
	uint64_t handled;

	if (abi < 1)
		return best_effort ? 1 : -SV_ENOLANDLOCK;
	if (abi < 3 && !best_effort)
		return -SV_ELANDLOCKABI;
	handled = sys_landlock_fs_handled(abi);
	fd = sys_landlock_ruleset(handled, 0);
	if (fd < 0)
		return fd;
	for (size_t i = 0; i < n && r == 0; i++) {
		uint64_t a = v[i].access & handled;

		if (!v[i].dir)
			a &= LL_FILE_RIGHTS;
		if (a)	/* "c" on a file grants nothing on it: no rule */
			r = sys_landlock_allow_path(fd, a, v[i].fd);
	}
	if (r == 0)
		r = sys_landlock_restrict(fd);
	close(fd);
	return r;
}
