/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * User messages.  Only the layer that knows the file and place prints, and
 * names them: "btfenc: FILE: PLACE: problem".  Verbosity is set once by the
 * command line; -q silences warnings, -v enables info.
 */
#ifndef BTFENC_MSG_H
#define BTFENC_MSG_H

enum msg_level {
	MSG_QUIET = 0,	/* errors only */
	MSG_NORMAL = 1,	/* errors and warnings */
	MSG_VERBOSE = 2,	/* and info */
	MSG_DEBUG = 3,
};

void msg__set_level(enum msg_level level);
enum msg_level msg__level(void);
void msg__error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg__warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg__info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
