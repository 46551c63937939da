// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>

#include "msg.h"

/* The one process-wide setting: how much the user asked to hear. */
static enum msg_level msg_level = MSG_NORMAL;

void msg__set_level(enum msg_level level)
{
	msg_level = level;
}

enum msg_level msg__level(void)
{
	return msg_level;
}

static void msg_print(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "btfenc: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void msg__error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_print("", fmt, ap);
	va_end(ap);
}

void msg__warn(const char *fmt, ...)
{
	va_list ap;

	if (msg_level < MSG_NORMAL)
		return;
	va_start(ap, fmt);
	msg_print("warning: ", fmt, ap);
	va_end(ap);
}

void msg__info(const char *fmt, ...)
{
	va_list ap;

	if (msg_level < MSG_VERBOSE)
		return;
	va_start(ap, fmt);
	msg_print("", fmt, ap);
	va_end(ap);
}
