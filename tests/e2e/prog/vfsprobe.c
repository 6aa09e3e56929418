/* File-system odds and ends, for vfs_misc.sh: what a program sees of
 * O_TMPFILE, poll/select/epoll, SCM_RIGHTS and chroot.
 *   vfsprobe tmpfile DIR NAME   O_TMPFILE in DIR, named DIR/NAME by linkat
 *   vfsprobe poll FILE          poll, select, epoll on a pipe and FILE
 *   vfsprobe scm FILE           pass an fd of FILE to a child over a socket
 *   vfsprobe getfd FILE         copy a child's fd of FILE with pidfd_getfd
 *   vfsprobe chroot DIR         chroot(DIR), then look around "/" */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *err(int r)
{
	return r < 0 ? strerror(errno) : "ok";
}

static int tmpfile_probe(const char *dir, const char *name)
{
	char path[4096], proc[64], buf[4096] = { 0 }, *hash;
	struct stat st;
	int fd, r;

	fd = open(dir, O_TMPFILE | O_RDWR, 0640);
	if (fd < 0) {
		printf("open O_TMPFILE: %s\n", strerror(errno));
		return 1;
	}
	printf("write: %zd\n", write(fd, "temporary\n", 10));
	fstat(fd, &st);
	printf("fstat: regular %d, links %ju, mode %o\n", S_ISREG(st.st_mode),
	       (uintmax_t)st.st_nlink, st.st_mode & 07777);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	r = readlink(proc, buf, sizeof(buf) - 1);
	buf[r < 0 ? 0 : r] = '\0';
	/* DIR/#INODE (deleted): the inode number differs from run to run */
	hash = strchr(buf, '#');
	if (hash)
		printf("readlink: %s/#INODE%s\n",
		       strncmp(buf, dir, strlen(dir)) == 0 ? "DIR" : "elsewhere",
		       hash + 1 + strspn(hash + 1, "0123456789"));
	else
		printf("readlink: %s\n", buf);
	r = linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH);
	printf("linkat AT_EMPTY_PATH: %s\n", err(r));
	if (r < 0) {
		r = linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
		printf("linkat /proc/self/fd: %s\n", err(r));
	}
	r = linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
	printf("the name again: %s\n", err(r));
	close(fd);
	memset(buf, 0, sizeof(buf));
	fd = open(path, O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0)
		printf("named: %s", buf);
	else
		printf("named: %s\n", strerror(errno));
	return 0;
}

static int poll_probe(const char *file)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[4];
	int p[2], fd = open(file, O_RDONLY), ep, n;
	struct pollfd pf[2];
	struct timeval tv = { 0, 0 };
	fd_set rd, wr;

	if (fd < 0 || pipe(p) < 0) {
		printf("open: %s\n", strerror(errno));
		return 1;
	}
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = fd, .events = POLLIN | POLLOUT };
	n = poll(pf, 2, 0);
	printf("poll, empty pipe: %d: pipe %#x file %#x\n", n, pf[0].revents,
	       pf[1].revents);
	if (write(p[1], "x", 1) != 1)
		return 1;
	n = poll(pf, 2, -1);
	printf("poll, pipe written: %d: pipe %#x file %#x\n", n,
	       pf[0].revents, pf[1].revents);
	n = ppoll(pf, 2, NULL, NULL);
	printf("ppoll: %d\n", n);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(p[0], &rd);
	FD_SET(fd, &rd);
	FD_SET(fd, &wr);
	n = select((fd > p[0] ? fd : p[0]) + 1, &rd, &wr, NULL, &tv);
	printf("select: %d: pipe %d file r%d w%d\n", n, FD_ISSET(p[0], &rd),
	       FD_ISSET(fd, &rd), FD_ISSET(fd, &wr));
	FD_ZERO(&rd);
	FD_SET(fd, &rd);
	n = pselect(fd + 1, &rd, NULL, NULL, NULL, NULL);
	printf("pselect, the file alone: %d\n", n);
	ep = epoll_create1(0);
	ev.data.fd = p[0];
	printf("epoll_ctl pipe: %s\n",
	       err(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev)));
	ev.data.fd = fd;
	printf("epoll_ctl file: %s\n",
	       err(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)));
	n = epoll_wait(ep, out, 4, -1);
	printf("epoll_wait: %d, fd is the pipe: %d\n", n,
	       n == 1 && out[0].data.fd == p[0]);
	return 0;
}

static int scm_probe(const char *file)
{
	char cbuf[CMSG_SPACE(sizeof(int))], data = 'f', buf[64] = { 0 };
	struct iovec iov = { &data, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int sv[2], fd, st, r;
	ssize_t n;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		if (recvmsg(sv[1], &mh, 0) <= 0) {
			printf("child: nothing received\n");
			fflush(stdout);
			_exit(0);
		}
		cm = CMSG_FIRSTHDR(&mh);
		if (!cm || cm->cmsg_type != SCM_RIGHTS) {
			printf("child: no fd received\n");
			fflush(stdout);
			_exit(0);
		}
		memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
		n = read(fd, buf, sizeof(buf) - 1);
		printf("child: read %zd: %.*s\n", n,
		       (int)strcspn(buf, "\n"), buf);
		fflush(stdout);
		_exit(0);
	}
	close(sv[1]);
	fd = open(file, O_RDONLY);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	r = sendmsg(sv[0], &mh, 0);
	close(sv[0]);
	waitpid(pid, &st, 0); /* the child speaks first */
	printf("parent: sendmsg: %s\n", err(r));
	return 0;
}

static int getfd_probe(const char *file)
{
	char buf[64] = { 0 };
	int p[2], q[2], fd, pidfd, got;
	pid_t pid;
	ssize_t n;

	if (pipe(p) < 0 || pipe(q) < 0)
		return 1;
	pid = fork();
	if (pid == 0) { /* open the file, say its number, wait */
		fd = open(file, O_RDONLY);
		if (write(p[1], &fd, sizeof(fd)) != sizeof(fd) ||
		    read(q[0], buf, 1) < 0)
			_exit(1);
		_exit(0);
	}
	if (read(p[0], &fd, sizeof(fd)) != sizeof(fd))
		return 1;
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	got = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	printf("pidfd_getfd: %s\n", err(got));
	if (got >= 0) {
		n = pread(got, buf, sizeof(buf) - 1, 0);
		printf("read %zd: %.*s\n", n, (int)strcspn(buf, "\n"), buf);
	}
	if (write(q[1], "x", 1) != 1)
		return 1;
	waitpid(pid, NULL, 0);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int chroot_probe(const char *dir)
{
	char buf[4096] = { 0 }, *names[64];
	struct stat a, b;
	struct dirent *de;
	DIR *d;
	int fd, n = 0, i;

	printf("chroot: %s\n", err(chroot(dir)));
	printf("chdir /: %s\n", err(chdir("/")));
	printf("getcwd: %s\n",
	       getcwd(buf, sizeof(buf)) ? buf : strerror(errno));
	fd = open("/../../marker", O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0)
		printf("/../../marker: %s", buf);
	else
		printf("/../../marker: %s\n", strerror(errno));
	d = opendir("/");
	while (d && (de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	qsort(names, n, sizeof(names[0]), cmp);
	printf("ls /:");
	for (i = 0; i < n; i++)
		printf(" %s", names[i]);
	printf("\n");
	printf("/.. is /: %d\n", stat("/", &a) == 0 && stat("/..", &b) == 0 &&
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	printf("chdir sub: %s\n", err(chdir("sub")));
	printf("getcwd: %s\n",
	       getcwd(buf, sizeof(buf)) ? buf : strerror(errno));
	printf("readlink up: %s\n",
	       realpath("../..", buf) ? buf : strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "tmpfile") == 0)
		return tmpfile_probe(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "poll") == 0)
		return poll_probe(argv[2]);
	if (argc == 3 && strcmp(argv[1], "scm") == 0)
		return scm_probe(argv[2]);
	if (argc == 3 && strcmp(argv[1], "getfd") == 0)
		return getfd_probe(argv[2]);
	if (argc == 3 && strcmp(argv[1], "chroot") == 0)
		return chroot_probe(argv[2]);
	fprintf(stderr, "usage: vfsprobe tmpfile DIR NAME | poll FILE | "
			"scm FILE | getfd FILE | chroot DIR\n");
	return 2;
}
