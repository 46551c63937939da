/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimize: keep only the types and members that given BPF objects' CO-RE
 * relocations resolve against.  (Under construction.)
 */
#ifndef BTFENC_MINIMIZE_H
#define BTFENC_MINIMIZE_H

#include "btf_table.h"

#endif
