/*
 * ptyrun - run a command on a fresh pseudo-terminal and record what it
 * writes there.
 *
 * Usage: ptyrun LOG COMMAND [ARG...]
 *
 * COMMAND gets the terminal as its standard input, output and error and as
 * its controlling terminal.  Everything it writes to the terminal is copied
 * to LOG, until the last holder of the terminal has closed it; then ptyrun
 * exits with COMMAND's exit status (128 + N if signal N ended it).  Unlike
 * script(1), nothing is lost when the command exits quickly, and no shell
 * or timing sits in between.
 *
 * Exit status 2: ptyrun itself failed (the reason is on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "ptyrun: %s: %s\n", what, strerror(errno));
	return 2;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void child(int fd, char **argv)
{
	if (setsid() < 0 || ioctl(fd, TIOCSCTTY, 0) < 0)
		_exit(127);
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(127);
	if (fd > 2)
		close(fd);
	execvp(argv[0], argv);
	/* stderr is the terminal now: the log gets the reason */
	fprintf(stderr, "ptyrun: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int main(int argc, char **argv)
{
	char buf[4096];
	const char *slave_name;
	int master, slave, log, status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: ptyrun LOG COMMAND [ARG...]\n");
		return 2;
	}
	log = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (log < 0)
		return die(argv[1]);
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return die("posix_openpt");
	if (grantpt(master) || unlockpt(master))
		return die("grantpt");
	slave_name = ptsname(master);
	if (!slave_name)
		return die("ptsname");
	/* opened before the fork, so that the terminal is never without a
	 * holder until the command and its children are done with it */
	slave = open(slave_name, O_RDWR | O_NOCTTY);
	if (slave < 0)
		return die(slave_name);

	pid = fork();
	if (pid < 0)
		return die("fork");
	if (pid == 0)
		child(slave, argv + 2);
	close(slave);

	/* read until every holder of the slave side has closed it: EIO */
	for (;;) {
		ssize_t n = read(master, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (write_all(log, buf, (size_t)n))
			return die(argv[1]);
	}
	if (close(log))
		return die(argv[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return die("waitpid");
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
