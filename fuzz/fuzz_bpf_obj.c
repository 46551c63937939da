// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: a BPF object (.BTF and the CO-RE records of .BTF.ext, read
 * by minimize__load_obj from a memfd path), then the relocation resolver,
 * minimize__run, against a small fixed target and against the object's own
 * BTF (where every record finds a candidate, so keep and emit run deep).
 * Every table minimize__run returns must pass btf_table__check.
 */
#define _GNU_SOURCE	/* memfd_create, in fuzz_common.h */
#include <stdint.h>
#include <stdlib.h>

#include "btf_io.h"
#include "btf_table.h"
#include "minimize/minimize_int.h"
#include "fuzz_common.h"

static struct btf_table *target;

/* Types the seed objects' relocations name: task_struct and friends */
static struct btf_table *make_target(void)
{
	struct btf_table *t = btf_table__new();
	int i, l, c, ts, pts, arr, e, td;

	if (!t)
		abort();
	i = btf_table__add_int(t, "int", 4, BTF_INT_SIGNED, 32);
	l = btf_table__add_int(t, "long unsigned int", 8, 0, 64);
	c = btf_table__add_int(t, "char", 1, BTF_INT_SIGNED, 8);
	arr = btf_table__add_array(t, c, i, 16);
	e = btf_table__add_enum(t, BTF_KIND_ENUM, "pid_type", 4, false);
	if (i < 0 || l < 0 || c < 0 || arr < 0 || e < 0 ||
	    btf_table__add_enum_value(t, "PIDTYPE_PID", 0) ||
	    btf_table__add_enum_value(t, "PIDTYPE_TGID", 1))
		abort();
	ts = btf_table__add_composite(t, BTF_KIND_STRUCT, "task_struct", 64);
	pts = ts + 1;
	if (ts < 0 ||
	    btf_table__add_member(t, "pid", i, 0, 0) ||
	    btf_table__add_member(t, "tgid", i, 32, 0) ||
	    btf_table__add_member(t, "flags", l, 64, 0) ||
	    btf_table__add_member(t, "real_parent", pts, 128, 0) ||
	    btf_table__add_member(t, "comm", arr, 192, 0) ||
	    btf_table__add_member(t, "bits", i, 320, 3) ||
	    btf_table__add_ref(t, BTF_KIND_PTR, NULL, ts) != pts)
		abort();
	td = btf_table__add_ref(t, BTF_KIND_TYPEDEF, "pid_t", i);
	if (td < 0)
		abort();
	return t;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	target = make_target();
	return 0;
}

static void run_on(const struct btf_table *tgt, struct minimize_obj *obj)
{
	struct minimize_opts opts = { .standalone = true };
	struct btf_table *out = NULL;
	const char *what;
	uint32_t bad;

	if (minimize__run(tgt, &obj, 1, &opts, &out))
		return;
	if (btf_table__check(out, &bad, &what))
		abort();
	btf_table__free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct minimize_obj *obj = NULL;
	struct btf_table *own = NULL;
	void *blob;
	size_t len;

	if (minimize__load_obj(fuzz_memfd_path(data, size), &obj))
		return 0;
	run_on(target, obj);
	/* the object's own types as the target, read back as a target is */
	if (!btf_io__raw_data(obj->btf, &blob, &len)) {
		if (!btf_io__parse_raw(blob, len, "own", NULL, &own))
			run_on(own, obj);
		free(blob);
	}
	btf_table__free(own);
	minimize__free_obj(obj);
	return 0;
}
