/* purelibc: realpath through the wrappers (glibc's walks the path with
 * internal calls). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Drop the last component of the canonical path out. */
static void up(char *out)
{
	char *slash = strrchr(out, '/');

	if (slash == out)
		out[1] = '\0';
	else if (slash)
		*slash = '\0';
}

static int resolve(const char *path, char *out)
{
	char todo[PATH_MAX], link[PATH_MAX], tmp[PATH_MAX];
	const char *p;
	int links = 0;

	if (!path) {
		errno = EINVAL;
		return -1;
	}
	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	if (strlen(path) >= sizeof(todo)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(todo, path);
	if (path[0] == '/')
		strcpy(out, "/");
	else if (!getcwd(out, PATH_MAX))
		return -1;
	for (p = todo; *p;) {
		size_t n, len;
		struct stat st;
		ssize_t ln;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			up(out);
			p += n;
			continue;
		}
		len = strlen(out);
		if (len + 1 + n >= PATH_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (out[len - 1] != '/')
			out[len++] = '/';
		memcpy(out + len, p, n);
		out[len + n] = '\0';
		p += n;
		if (lstat(out, &st) < 0)
			return -1;
		if (S_ISLNK(st.st_mode)) {
			if (++links > 40) {
				errno = ELOOP;
				return -1;
			}
			ln = readlink(out, link, sizeof(link) - 1);
			if (ln < 0)
				return -1;
			link[ln] = '\0';
			if (snprintf(tmp, sizeof(tmp), "%s/%s", link, p) >=
			    (int)sizeof(tmp)) {
				errno = ENAMETOOLONG;
				return -1;
			}
			strcpy(todo, tmp);
			p = todo;
			if (link[0] == '/')
				strcpy(out, "/");
			else
				up(out);
		} else if (!S_ISDIR(st.st_mode) && strchr(p, '/') &&
			   p[strspn(p, "/")]) {
			errno = ENOTDIR;
			return -1;
		}
	}
	return 0;
}

PC_EXPORT char *realpath(const char *path, char *resolved)
{
	char out[PATH_MAX];

	if (resolve(path, out) < 0)
		return NULL;
	if (resolved)
		return strcpy(resolved, out);
	return strdup(out);
}

PC_EXPORT char *canonicalize_file_name(const char *path)
{
	return realpath(path, NULL);
}

char *__realpath_chk(const char *path, char *resolved, size_t len);

PC_EXPORT char *__realpath_chk(const char *path, char *resolved, size_t len)
{
	if (len < PATH_MAX)
		abort();
	return realpath(path, resolved);
}
