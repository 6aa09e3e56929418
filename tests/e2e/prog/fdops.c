/* fdops DIR: record locks, OFD locks, flock, copy_file_range, sendfile,
 * splice, fallocate, SEEK_DATA/SEEK_HOLE, ioctl and the other fd calls on
 * files in DIR (inside a virtual mount, or a real directory for the
 * transcript to compare with), between processes.  Prints one line per
 * check, with no pids or times, so that runs on a real directory and on a
 * mount give the same transcript.  Waits only for events (a child blocked
 * in a call, a pipe), never for a time. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dir;
static char path[4096], path2[4096];

static void say(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", what, strerrorname_np(errno));
	else
		printf("%s: %ld\n", what, r);
	fflush(stdout);
}

static int lk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

static int xopen(const char *p, int flags)
{
	int fd = open(p, flags, 0644);

	if (fd < 0) {
		printf("FAIL: open %s: %s\n", p, strerror(errno));
		exit(1);
	}
	return fd;
}

/* Wait until pid sits in system call nr (blocked in it). */
/* The state letter of /proc/PID/stat ('S' asleep, 't' at a ptrace
 * stop, ...). */
static char task_state(pid_t pid)
{
	char p[64], buf[512], *r;
	FILE *f;

	snprintf(p, sizeof(p), "/proc/%d/stat", pid);
	f = fopen(p, "r");
	if (!f)
		return '?';
	r = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return r && r[1] == ' ' ? r[2] : '?';
}

/* Until pid sleeps in call nr.  At a ptrace stop ('t') it is not yet
 * waiting: inside umview its call is still being looked at there. */
static void wait_blocked(pid_t pid, long nr)
{
	char p[64], buf[128];
	long got;

	snprintf(p, sizeof(p), "/proc/%d/syscall", pid);
	for (;;) {
		FILE *f = fopen(p, "r");

		if (!f) {
			printf("FAIL: %s: %s\n", p, strerror(errno));
			exit(1);
		}
		got = -2;
		if (fgets(buf, sizeof(buf), f))
			sscanf(buf, "%ld", &got);
		fclose(f);
		/* inside umview a call that waits at a ptrace stop is
		 * relayed to the listener, as the view's own call number
		 * (0x2000001): blocked all the same */
		if ((got == nr || got == 0x2000001) && task_state(pid) == 'S')
			return;
		usleep(1000); /* pacing only: nothing depends on the time */
	}
}

static int child_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* --- record locks between processes --- */

/* Locks on one file say nothing about another (were the calls to reach
 * the placeholders instead, every virtual file would share one lock). */
static void distinct(void)
{
	int fd = xopen(path, O_RDWR | O_CREAT), st;
	pid_t pid;

	say("distinct: write lock on the first file",
	    lk(fd, F_SETLK, F_WRLCK, 0, 0));
	say("distinct: flock on the first file", flock(fd, LOCK_EX));
	pid = fork();
	if (pid == 0) {
		int c = xopen(path2, O_RDWR | O_CREAT);

		say("distinct child: write lock on another file",
		    lk(c, F_SETLK, F_WRLCK, 0, 0));
		say("distinct child: flock on another file",
		    flock(c, LOCK_EX | LOCK_NB));
		_exit(0);
	}
	st = child_status(pid);
	close(fd);
	(void)st;
}

static void posix_locks(void)
{
	int fd = xopen(path, O_RDWR | O_CREAT | O_TRUNC), fd2, st;
	pid_t me = getpid(), pid;
	struct flock fl;

	if (write(fd, "0123456789abcdefghijklmnopqrstuvwxyz", 36) != 36)
		puts("FAIL: write");
	say("posix: lock [0,10) write", lk(fd, F_SETLK, F_WRLCK, 0, 10));
	say("posix: relock [5,15) read, same process",
	    lk(fd, F_SETLK, F_RDLCK, 5, 10));
	pid = fork();
	if (pid == 0) {
		int c = xopen(path, O_RDWR);

		say("posix child: write lock [0,5)",
		    lk(c, F_SETLK, F_WRLCK, 0, 5));
		say("posix child: read lock [5,15) (shared)",
		    lk(c, F_SETLK, F_RDLCK, 5, 10));
		say("posix child: write lock [12,13) (reader there)",
		    lk(c, F_SETLK, F_WRLCK, 12, 1));
		say("posix child: write lock [20,30)",
		    lk(c, F_SETLK, F_WRLCK, 20, 10));
		fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
				     .l_start = 0, .l_len = 0 };
		say("posix child: F_GETLK", fcntl(c, F_GETLK, &fl));
		printf("posix child: F_GETLK type=%s start=%ld len=%ld "
		       "pid=%s\n",
		       fl.l_type == F_WRLCK ? "W" : fl.l_type == F_RDLCK ? "R"
									: "U",
		       (long)fl.l_start, (long)fl.l_len,
		       fl.l_pid == me ? "parent" : "other");
		fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET,
				     .l_start = 40, .l_len = 5 };
		fcntl(c, F_GETLK, &fl);
		printf("posix child: F_GETLK beyond: %s\n",
		       fl.l_type == F_UNLCK ? "unlocked" : "locked");
		fl.l_type = 99;
		say("posix child: F_SETLK bad type", fcntl(c, F_SETLK, &fl));
		fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET,
				     .l_start = -5, .l_len = 2 };
		say("posix child: F_SETLK negative start",
		    fcntl(c, F_SETLK, &fl));
		_exit(0);
	}
	child_status(pid);
	/* the child's locks went with it: [20,30) is free again */
	say("posix: lock [20,30) after the child exited",
	    lk(fd, F_SETLK, F_WRLCK, 20, 10));
	/* any close of the file drops the process's locks */
	fd2 = xopen(path, O_RDONLY);
	close(fd2);
	pid = fork();
	if (pid == 0) {
		int c = xopen(path, O_RDWR);

		say("posix child: write lock [0,36) after the parent closed "
		    "another fd", lk(c, F_SETLK, F_WRLCK, 0, 36));
		_exit(0);
	}
	child_status(pid);
	/* F_SETLKW waits and is woken */
	say("posix: lock [0,1) again", lk(fd, F_SETLK, F_WRLCK, 0, 1));
	pid = fork();
	if (pid == 0) {
		int c = xopen(path, O_RDWR);

		_exit(lk(c, F_SETLKW, F_WRLCK, 0, 1) == 0 ? 0 : 10 + errno);
	}
	wait_blocked(pid, SYS_fcntl);
	say("posix: unlock [0,1) with a waiter", lk(fd, F_SETLK, F_UNLCK, 0, 1));
	st = child_status(pid);
	printf("posix: waiting child got the lock: %s\n",
	       st == 0 ? "yes" : "no");
	close(fd);
}

static volatile sig_atomic_t caught;
static int caught_fd = -1;
static void on_usr1(int sig)
{
	(void)sig;
	caught++;
	if (caught_fd >= 0 && write(caught_fd, "s", 1) < 0)
		caught = 100;
}

/* A blocked F_SETLKW and a signal: EINTR without SA_RESTART, a restart
 * (the wait goes on) with it. */
static void interrupted(void)
{
	int fd = xopen(path, O_RDWR), st, sync[2];
	pid_t pid;
	char c;

	say("eintr: parent write lock", lk(fd, F_SETLK, F_WRLCK, 0, 0));
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		int c2 = xopen(path, O_RDWR), r;

		sigaction(SIGUSR1, &sa, NULL);
		r = lk(c2, F_SETLKW, F_WRLCK, 0, 0);
		_exit(r == -1 && errno == EINTR && caught == 1 ? 0 : 1);
	}
	wait_blocked(pid, SYS_fcntl);
	kill(pid, SIGUSR1);
	st = child_status(pid);
	printf("eintr: F_SETLKW interrupted by a signal (no SA_RESTART): %s\n",
	       st == 0 ? "EINTR" : "no");
	if (pipe(sync) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1,
					.sa_flags = SA_RESTART };
		int c2 = xopen(path, O_RDWR), r;

		close(sync[0]);
		caught_fd = sync[1];
		sigaction(SIGUSR1, &sa, NULL);
		r = lk(c2, F_SETLKW, F_WRLCK, 0, 0);
		_exit(r == 0 && caught == 1 ? 0 : 1);
	}
	close(sync[1]);
	wait_blocked(pid, SYS_fcntl);
	kill(pid, SIGUSR1);
	/* the handler ran and the call went back to waiting */
	if (read(sync[0], &c, 1) != 1)
		puts("FAIL: the handler did not run");
	wait_blocked(pid, SYS_fcntl);
	say("eintr: unlock under SA_RESTART", lk(fd, F_SETLK, F_UNLCK, 0, 0));
	st = child_status(pid);
	printf("eintr: F_SETLKW restarted under SA_RESTART, then granted: %s\n",
	       st == 0 ? "yes" : "no");
	close(sync[0]);
	close(fd);
}

/* Two processes each waiting for the other: EDEADLK. */
static void deadlock(void)
{
	int fd = xopen(path, O_RDWR), st, p[2];
	pid_t pid;
	char c;

	if (pipe(p) < 0)
		return;
	say("deadlock: parent locks [0,1)", lk(fd, F_SETLK, F_WRLCK, 0, 1));
	pid = fork();
	if (pid == 0) {
		int c2 = xopen(path, O_RDWR);

		close(p[0]);
		lk(c2, F_SETLK, F_WRLCK, 1, 1);
		if (write(p[1], "x", 1) != 1)
			_exit(2);
		_exit(lk(c2, F_SETLKW, F_WRLCK, 0, 1) == 0 ? 0 : 1);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		puts("FAIL: sync");
	wait_blocked(pid, SYS_fcntl);
	say("deadlock: parent waits for the child's [1,2)",
	    lk(fd, F_SETLKW, F_WRLCK, 1, 1));
	lk(fd, F_SETLK, F_UNLCK, 0, 1);
	st = child_status(pid);
	printf("deadlock: child granted after the unlock: %s\n",
	       st == 0 ? "yes" : "no");
	close(p[0]);
	close(fd);
}

/* OFD locks: owned by the open file description. */
static void ofd_locks(void)
{
	int a = xopen(path, O_RDWR), b = xopen(path, O_RDWR), d;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = 0, .l_len = 10 };
	pid_t pid;

	say("ofd: lock [0,10) on a", fcntl(a, F_OFD_SETLK, &fl));
	say("ofd: same range on b (another description)",
	    fcntl(b, F_OFD_SETLK, &fl));
	fl.l_type = F_RDLCK;
	say("ofd: F_OFD_GETLK on b", fcntl(b, F_OFD_GETLK, &fl));
	printf("ofd: F_OFD_GETLK type=%s pid=%d\n",
	       fl.l_type == F_WRLCK ? "W" : "other", fl.l_pid);
	say("ofd: posix lock by the same process conflicts",
	    lk(b, F_SETLK, F_RDLCK, 0, 1));
	fl = (struct flock){ .l_type = F_RDLCK, .l_pid = 1 };
	say("ofd: l_pid not 0", fcntl(b, F_OFD_SETLK, &fl));
	/* closing b does not drop a's lock (POSIX locks would go) */
	close(b);
	d = dup(a);
	close(a);
	pid = fork();
	if (pid == 0) {
		int c = xopen(path, O_RDWR);
		struct flock f2 = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				    .l_len = 1 };

		say("ofd child: lock while a dup holds it",
		    fcntl(c, F_OFD_SETLK, &f2));
		_exit(0);
	}
	child_status(pid);
	close(d);
	pid = fork();
	if (pid == 0) {
		int c = xopen(path, O_RDWR);
		struct flock f2 = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				    .l_len = 1 };

		say("ofd child: lock after the last close",
		    fcntl(c, F_OFD_SETLK, &f2));
		_exit(0);
	}
	child_status(pid);
}

/* flock: per open file description, whole file, apart from fcntl locks. */
static void flocks(void)
{
	int a = xopen(path, O_RDONLY), b = xopen(path, O_RDONLY), d;
	pid_t pid;

	say("flock: a LOCK_EX", flock(a, LOCK_EX));
	say("flock: b LOCK_EX|LOCK_NB", flock(b, LOCK_EX | LOCK_NB));
	say("flock: b LOCK_SH|LOCK_NB", flock(b, LOCK_SH | LOCK_NB));
	say("flock: a LOCK_SH (convert)", flock(a, LOCK_SH));
	say("flock: b LOCK_SH|LOCK_NB now", flock(b, LOCK_SH | LOCK_NB));
	say("flock: b LOCK_EX|LOCK_NB (a shares)", flock(b, LOCK_EX | LOCK_NB));
	say("flock: bad operation", flock(b, 0));
	say("flock: fcntl lock beside a flock", lk(b, F_SETLK, F_RDLCK, 0, 0));
	say("flock: b LOCK_UN", flock(b, LOCK_UN));
	say("flock: a LOCK_EX again", flock(a, LOCK_EX));
	pid = fork();
	if (pid == 0) {
		/* the inherited a is the same description: its lock */
		say("flock child: inherited fd LOCK_EX|LOCK_NB",
		    flock(a, LOCK_EX | LOCK_NB));
		_exit(0);
	}
	child_status(pid);
	d = dup(a);
	close(a);
	say("flock: b while a dup holds it", flock(b, LOCK_EX | LOCK_NB));
	pid = fork();
	if (pid == 0) {
		int c = xopen(path, O_RDONLY);

		close(d); /* only the parent's copy keeps it */
		_exit(flock(c, LOCK_EX) == 0 ? 0 : 1);
	}
	wait_blocked(pid, SYS_flock);
	close(d); /* the last close lets go */
	printf("flock: blocked child woken by the last close: %s\n",
	       child_status(pid) == 0 ? "yes" : "no");
	close(b);
}

/* --- copies --- */

static void fill(const char *p, size_t n, unsigned seed)
{
	int fd = xopen(p, O_WRONLY | O_CREAT | O_TRUNC);
	char *buf = malloc(n);
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = (char)(seed * 31 + i * 7 + i / 251);
	if (write(fd, buf, n) != (ssize_t)n)
		puts("FAIL: fill");
	free(buf);
	close(fd);
}

/* Compare a file with the generated pattern window [from, from+n) at
 * file offset at; everything else must be what was there (zeros beyond
 * the old size). */
static const char *same(const char *a, off_t aoff, const char *b, off_t boff,
			size_t n)
{
	int fa = xopen(a, O_RDONLY), fb = xopen(b, O_RDONLY);
	char *x = malloc(n), *y = malloc(n);
	const char *r;

	r = pread(fa, x, n, aoff) == (ssize_t)n &&
			    pread(fb, y, n, boff) == (ssize_t)n &&
			    memcmp(x, y, n) == 0
		    ? "same"
		    : "DIFFERENT";
	free(x);
	free(y);
	close(fa);
	close(fb);
	return r;
}

static void copies(const char *real)
{
	char src[4096], dst[4096], rsrc[4096], rdst[4096];
	const size_t big = 3 * 1024 * 1024 + 123;
	int in, out, p[2];
	off_t oi, oo;
	ssize_t n, total;
	char buf[64];

	snprintf(src, sizeof(src), "%s/src", dir);
	snprintf(dst, sizeof(dst), "%s/dst", dir);
	snprintf(rsrc, sizeof(rsrc), "%s/rsrc", real);
	snprintf(rdst, sizeof(rdst), "%s/rdst", real);
	fill(src, big, 1);
	fill(rsrc, big, 2);
	/* the four directions, whole file, file offsets */
	const char *pairs[4][2] = { { src, dst }, { src, rdst },
				    { rsrc, dst }, { rsrc, rdst } };
	const char *names[4] = { "here->here", "here->real", "real->here",
				 "real->real" };
	for (int i = 0; i < 4; i++) {
		in = xopen(pairs[i][0], O_RDONLY);
		out = xopen(pairs[i][1], O_WRONLY | O_CREAT | O_TRUNC);
		total = 0;
		while ((n = copy_file_range(in, NULL, out, NULL, 1 << 20, 0)) > 0)
			total += n;
		printf("copy_file_range %s: %zd bytes, last %zd, offsets %ld %ld, "
		       "%s\n", names[i], total, n, (long)lseek(in, 0, SEEK_CUR),
		       (long)lseek(out, 0, SEEK_CUR),
		       same(pairs[i][0], 0, pairs[i][1], 0, big));
		/* with offset pointers: the file offsets stay */
		oi = 1000;
		oo = 10;
		n = copy_file_range(in, &oi, out, &oo, 5000, 0);
		printf("copy_file_range %s with offsets: %zd, now %ld %ld, "
		       "file offsets %ld %ld, %s\n", names[i], n, (long)oi,
		       (long)oo, (long)lseek(in, 0, SEEK_CUR),
		       (long)lseek(out, 0, SEEK_CUR),
		       same(pairs[i][0], 1000, pairs[i][1], 10, 5000));
		close(in);
		close(out);
	}
	in = xopen(src, O_RDONLY);
	out = xopen(dst, O_WRONLY);
	say("copy_file_range flags", copy_file_range(in, NULL, out, NULL, 1, 1));
	say("copy_file_range to a read-only fd",
	    copy_file_range(out, NULL, in, NULL, 1, 0));
	close(out);
	out = xopen(dst, O_WRONLY | O_APPEND);
	say("copy_file_range to O_APPEND", copy_file_range(in, NULL, out, NULL,
							   1, 0));
	close(out);
	out = xopen(src, O_RDWR);
	oi = 0;
	oo = 100;
	say("copy_file_range overlapping in one file",
	    copy_file_range(in, &oi, out, &oo, 1000, 0));
	close(out);
	out = xopen(dir, O_RDONLY | O_DIRECTORY);
	say("copy_file_range from a directory",
	    copy_file_range(out, NULL, in, NULL, 1, 0));
	close(out);
	oi = -1;
	out = xopen(dst, O_WRONLY);
	say("copy_file_range negative offset",
	    copy_file_range(in, &oi, out, NULL, 1, 0));
	close(out);
	close(in);

	/* sendfile, both ways, with and without the offset */
	for (int i = 0; i < 4; i++) {
		in = xopen(pairs[i][0], O_RDONLY);
		out = xopen(pairs[i][1], O_WRONLY | O_CREAT | O_TRUNC);
		lseek(in, 7, SEEK_SET);
		total = 0;
		while ((n = sendfile(out, in, NULL, 1 << 20)) > 0)
			total += n;
		printf("sendfile %s: %zd bytes, in offset %ld, %s\n", names[i],
		       total, (long)lseek(in, 0, SEEK_CUR),
		       same(pairs[i][0], 7, pairs[i][1], 0, big - 7));
		oi = 20;
		lseek(out, 0, SEEK_SET);
		n = sendfile(out, in, &oi, 300);
		printf("sendfile %s with offset: %zd, now %ld, in offset %ld, "
		       "%s\n", names[i], n, (long)oi,
		       (long)lseek(in, 0, SEEK_CUR),
		       same(pairs[i][0], 20, pairs[i][1], 0, 300));
		close(in);
		close(out);
	}
	in = xopen(src, O_RDONLY);
	out = xopen(dst, O_WRONLY | O_APPEND);
	say("sendfile to O_APPEND", sendfile(out, in, NULL, 10));
	close(out);
	/* through a pipe: file -> pipe -> file with splice; sendfile into
	 * a pipe */
	if (pipe(p) < 0)
		return;
	oi = 100;
	n = splice(in, &oi, p[1], NULL, 4000, 0);
	printf("splice here->pipe: %zd, offset now %ld, file offset %ld\n", n,
	       (long)oi, (long)lseek(in, 0, SEEK_CUR));
	out = xopen(dst, O_WRONLY | O_TRUNC);
	oo = 50;
	n = splice(p[0], NULL, out, &oo, 4000, 0);
	printf("splice pipe->here: %zd, offset now %ld, %s\n", n, (long)oo,
	       same(src, 100, dst, 50, 4000));
	lseek(in, 0, SEEK_SET);
	n = splice(in, NULL, p[1], NULL, 64, 0);
	printf("splice here->pipe at the file offset: %zd, file offset %ld\n",
	       n, (long)lseek(in, 0, SEEK_CUR));
	n = splice(p[0], NULL, out, NULL, 64, 0);
	printf("splice pipe->here at the file offset: %zd, file offset %ld\n",
	       n, (long)lseek(out, 0, SEEK_CUR));
	n = sendfile(p[1], in, NULL, 10);
	printf("sendfile here->pipe: %zd, read back %zd, %s\n", n,
	       read(p[0], buf, 10), "ok");
	say("splice without a pipe", splice(in, NULL, out, NULL, 10, 0));
	oi = 0;
	say("splice with an offset on the pipe",
	    splice(p[0], &oi, out, NULL, 10, 0));
	say("splice pipe->here, empty pipe, SPLICE_F_NONBLOCK",
	    splice(p[0], NULL, out, NULL, 10, SPLICE_F_NONBLOCK));
	say("tee from a file", tee(in, p[1], 10, 0));
	close(p[0]);
	close(p[1]);
	close(in);
	close(out);
}

/* A blocking splice from an empty pipe into a file waits for data; one
 * into a full pipe waits for room; a signal interrupts either. */
static void splice_waits(void)
{
	char f[4096], buf[8192];
	int p[2], fd, st;
	pid_t pid;
	ssize_t n;

	snprintf(f, sizeof(f), "%s/spliced", dir);
	fd = xopen(f, O_RDWR | O_CREAT | O_TRUNC);
	if (pipe(p) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		n = splice(p[0], NULL, fd, NULL, 100, 0);
		_exit(n == 5 ? 0 : 1);
	}
	wait_blocked(pid, SYS_splice);
	if (write(p[1], "hello", 5) != 5)
		puts("FAIL: write");
	st = child_status(pid);
	printf("splice waits on an empty pipe until data comes: %s\n",
	       st == 0 ? "yes" : "no");
	n = pread(fd, buf, 5, 0);
	printf("spliced data: %.*s\n", (int)(n > 0 ? n : 0), buf);
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };

		sigaction(SIGUSR1, &sa, NULL);
		close(p[1]);
		n = splice(p[0], NULL, fd, NULL, 100, 0);
		_exit(n == -1 && errno == EINTR ? 0 : 1);
	}
	wait_blocked(pid, SYS_splice);
	kill(pid, SIGUSR1);
	printf("splice on an empty pipe interrupted: %s\n",
	       child_status(pid) == 0 ? "EINTR" : "no");
	/* a full pipe, then a blocking splice of the file into it */
	fcntl(p[1], F_SETPIPE_SZ, 4096);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	memset(buf, 'z', sizeof(buf));
	while (write(p[1], buf, sizeof(buf)) > 0)
		;
	fcntl(p[1], F_SETFL, 0);
	pid = fork();
	if (pid == 0) {
		off_t o = 0;

		n = splice(fd, &o, p[1], NULL, 5, 0);
		_exit(n == 5 ? 0 : 1);
	}
	wait_blocked(pid, SYS_splice);
	while ((n = read(p[0], buf, sizeof(buf))) > 0 &&
	       memchr(buf, 'h', n) == NULL)
		;
	printf("splice waits on a full pipe until there is room: %s\n",
	       child_status(pid) == 0 ? "yes" : "no");
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* --- space, holes, ioctl, the rest --- */

static void space(void)
{
	int fd = xopen(path2, O_RDWR | O_CREAT | O_TRUNC), r, flags;
	struct stat st;

	say("ftruncate 1 MiB", ftruncate(fd, 1 << 20));
	say("pwrite at 512 KiB", pwrite(fd, "data", 4, 512 * 1024));
	say("fallocate [0,64K)", fallocate(fd, 0, 0, 65536));
	say("SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
	say("SEEK_HOLE 0", lseek(fd, 0, SEEK_HOLE));
	say("SEEK_DATA 100K", lseek(fd, 100 * 1024, SEEK_DATA));
	say("SEEK_HOLE 512K", lseek(fd, 512 * 1024, SEEK_HOLE));
	say("SEEK_DATA past the end", lseek(fd, 2 << 20, SEEK_DATA));
	say("fallocate KEEP_SIZE beyond the end",
	    fallocate(fd, FALLOC_FL_KEEP_SIZE, 1 << 20, 65536));
	fstat(fd, &st);
	printf("size after KEEP_SIZE: %ld\n", (long)st.st_size);
	say("fallocate extends", fallocate(fd, 0, 1 << 20, 4096));
	fstat(fd, &st);
	printf("size after extending: %ld\n", (long)st.st_size);
	say("fallocate PUNCH_HOLE [0,64K)",
	    fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 65536));
	say("SEEK_DATA 0 after the punch", lseek(fd, 0, SEEK_DATA));
	say("fallocate len 0", fallocate(fd, 0, 0, 0));
	say("lseek offset now", lseek(fd, 0, SEEK_CUR));
	lseek(fd, 1000, SEEK_SET);
	say("FIONREAD at 1000", ioctl(fd, FIONREAD, &r));
	printf("FIONREAD value: %d\n", r);
	r = ioctl(fd, FS_IOC_GETFLAGS, &flags);
	say("FS_IOC_GETFLAGS", r);
	say("ioctl unknown request", ioctl(fd, _IO('x', 99), 0));
	say("FIOCLEX", ioctl(fd, FIOCLEX));
	say("F_GETFD after FIOCLEX", fcntl(fd, F_GETFD));
	say("FIONCLEX", ioctl(fd, FIONCLEX));
	r = 1;
	say("FIONBIO 1", ioctl(fd, FIONBIO, &r));
	say("O_NONBLOCK in F_GETFL", !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	r = 0;
	ioctl(fd, FIONBIO, &r);
	say("fadvise64 WILLNEED", posix_fadvise(fd, 0, 100, POSIX_FADV_WILLNEED)
					  ? -1 : 0);
	errno = posix_fadvise(fd, 0, 100, 77);
	say("fadvise64 bad advice", errno ? -1 : 0);
	say("readahead", readahead(fd, 0, 4096));
	say("sync_file_range", sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
	say("sync_file_range bad flags", sync_file_range(fd, 0, 0, 0x100));
	say("syncfs", syncfs(fd));
	say("F_GETLEASE", fcntl(fd, F_GETLEASE));
	say("F_GETPIPE_SZ", fcntl(fd, F_GETPIPE_SZ));
	say("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	close(fd);
	fd = xopen(path2, O_RDONLY);
	say("fallocate on a read-only fd", fallocate(fd, 0, 0, 10));
	close(fd);
	fd = xopen(path2, O_WRONLY);
	say("readahead on a write-only fd", readahead(fd, 0, 10));
	close(fd);
	fd = xopen(dir, O_RDONLY | O_DIRECTORY);
	say("readahead on a directory", readahead(fd, 0, 10));
	say("FIONREAD on a directory", ioctl(fd, FIONREAD, &r));
	close(fd);
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The legacy getdents(2), with a buffer that holds a few records. */
static void old_getdents(void)
{
	char p[4096], buf[128], *names[64];
	int fd, i, n = 0, calls = 0;
	long r;

	for (i = 0; i < 20; i++) {
		snprintf(p, sizeof(p), "%s/name%.*s", dir, i, "xxxxxxxxxxxxxxxxxxxx");
		close(xopen(p, O_WRONLY | O_CREAT));
	}
	fd = xopen(dir, O_RDONLY | O_DIRECTORY);
	say("getdents into 10 bytes", syscall(SYS_getdents, fd, buf, 10));
	while ((r = syscall(SYS_getdents, fd, buf, sizeof(buf))) > 0) {
		calls++;
		for (long at = 0; at < r;) {
			unsigned short reclen = *(unsigned short *)(buf + at + 16);
			char *name = buf + at + 18;

			if (name[0] != '.' && n < 64)
				names[n++] = strdup(name);
			if (buf[at + reclen - 1] != DT_REG &&
			    buf[at + reclen - 1] != DT_DIR)
				puts("FAIL: d_type");
			at += reclen;
		}
	}
	say("getdents at the end", r);
	qsort(names, n, sizeof(*names), cmpstr);
	printf("getdents: %d names over more than one call: %s;", n,
	       calls > 1 ? "yes" : "no");
	for (i = 0; i < n; i++)
		printf(" %s", names[i]);
	putchar('\n');
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fdops DIR REALDIR [part]\n");
		return 2;
	}
	dir = argv[1];
	snprintf(path, sizeof(path), "%s/lockfile", dir);
	snprintf(path2, sizeof(path2), "%s/sparse", dir);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 4 || !strcmp(argv[3], "locks")) {
		distinct();
		posix_locks();
		interrupted();
		deadlock();
		ofd_locks();
		flocks();
	}
	if (argc < 4 || !strcmp(argv[3], "copies")) {
		copies(argv[2]);
		splice_waits();
	}
	if (argc < 4 || !strcmp(argv[3], "space")) {
		space();
		old_getdents();
	}
	return 0;
}
