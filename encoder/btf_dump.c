// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The text dump: one line per type, indented lines for members, values,
 * parameters and section entries, in the exact format `bpftool btf dump
 * file F` prints, so the two can be diffed.  Observed conventions:
 * a name offset of 0 prints as (anon), any other as the string, even "";
 * out-of-range enumerations (linkage, INT encoding) print as placeholders.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "btf_io.h"
#include "msg.h"

static const char *dump_str(const struct btf_table *tab, uint32_t off)
{
	const char *s;

	if (!off)
		return "(anon)";
	s = btf_table__str(tab, off);
	return s ? s : "(invalid)";
}

/* Only where a type is named from elsewhere is void spelled out */
static const char *dump_kind(unsigned int kind)
{
	return kind == BTF_KIND_UNKN ? "UNKNOWN" : btf_kind_name(kind);
}

static const char *dump_linkage(unsigned int linkage)
{
	switch (linkage) {
	case BTF_LINKAGE_STATIC:
		return "static";
	case BTF_LINKAGE_GLOBAL:
		return "global";
	case BTF_LINKAGE_EXTERN:
		return "extern";
	default:
		return "(unknown)";
	}
}

static const char *dump_int_encoding(unsigned int enc)
{
	switch (enc) {
	case 0:
		return "(none)";
	case BTF_INT_SIGNED:
		return "SIGNED";
	case BTF_INT_CHAR:
		return "CHAR";
	case BTF_INT_BOOL:
		return "BOOL";
	default:
		return "UNKN";
	}
}

static void dump_members(const struct btf_table *tab,
			 const struct btf_type *t, FILE *out)
{
	const struct btf_member *m = btf_members(t);
	unsigned int i;

	fprintf(out, " size=%u vlen=%u", t->size, btf_vlen(t));
	for (i = 0; i < btf_vlen(t); i++) {
		fprintf(out, "\n\t'%s' type_id=%u bits_offset=%u",
			dump_str(tab, m[i].name_off), m[i].type,
			btf_member_bit_offset(t, i));
		if (btf_member_bitfield_size(t, i))
			fprintf(out, " bitfield_size=%u",
				btf_member_bitfield_size(t, i));
	}
}

static void dump_enum(const struct btf_table *tab, const struct btf_type *t,
		      FILE *out)
{
	const struct btf_enum *e = btf_enums(t);
	unsigned int i;

	fprintf(out, " encoding=%s size=%u vlen=%u",
		btf_kflag(t) ? "SIGNED" : "UNSIGNED", t->size, btf_vlen(t));
	for (i = 0; i < btf_vlen(t); i++) {
		fprintf(out, "\n\t'%s' val=", dump_str(tab, e[i].name_off));
		if (btf_kflag(t))
			fprintf(out, "%" PRId32, e[i].val);
		else
			fprintf(out, "%" PRIu32, (uint32_t)e[i].val);
	}
}

static void dump_enum64(const struct btf_table *tab, const struct btf_type *t,
			FILE *out)
{
	const struct btf_enum64 *e = btf_enums64(t);
	unsigned int i;

	fprintf(out, " encoding=%s size=%u vlen=%u",
		btf_kflag(t) ? "SIGNED" : "UNSIGNED", t->size, btf_vlen(t));
	for (i = 0; i < btf_vlen(t); i++) {
		fprintf(out, "\n\t'%s' val=", dump_str(tab, e[i].name_off));
		if (btf_kflag(t))
			fprintf(out, "%" PRId64 "LL",
				(int64_t)btf_enum64_value(&e[i]));
		else
			fprintf(out, "%" PRIu64 "ULL", btf_enum64_value(&e[i]));
	}
}

static void dump_params(const struct btf_table *tab, const struct btf_type *t,
			FILE *out)
{
	const struct btf_param *p = btf_params(t);
	unsigned int i;

	fprintf(out, " ret_type_id=%u vlen=%u", t->type, btf_vlen(t));
	for (i = 0; i < btf_vlen(t); i++)
		fprintf(out, "\n\t'%s' type_id=%u", dump_str(tab, p[i].name_off),
			p[i].type);
}

static void dump_datasec(const struct btf_table *tab,
			 const struct btf_type *t, FILE *out)
{
	const struct btf_var_secinfo *v = btf_secinfos(t);
	const struct btf_type *vt;
	unsigned int i;

	fprintf(out, " size=%u vlen=%u", t->size, btf_vlen(t));
	for (i = 0; i < btf_vlen(t); i++) {
		vt = btf_table__type(tab, v[i].type);
		fprintf(out, "\n\ttype_id=%u offset=%u size=%u (%s '%s')",
			v[i].type, v[i].offset, v[i].size,
			vt ? dump_kind(btf_kind(vt)) : "UNKNOWN",
			vt ? dump_str(tab, vt->name_off) : "(invalid)");
	}
}

static void dump_int(const struct btf_type *t, FILE *out)
{
	fprintf(out, " size=%u bits_offset=%u nr_bits=%u encoding=%s",
		t->size, btf_int_offset(t), btf_int_bits(t),
		dump_int_encoding(btf_int_encoding(t)));
}

static void dump_type(const struct btf_table *tab, uint32_t id, FILE *out)
{
	const struct btf_type *t = btf_table__type(tab, id);
	unsigned int kind = btf_kind(t);

	fprintf(out, "[%u] %s '%s'", id, btf_kind_name(kind),
		dump_str(tab, t->name_off));
	switch (kind) {
	case BTF_KIND_INT:
		dump_int(t, out);
		break;
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		fprintf(out, " type_id=%u", t->type);
		break;
	case BTF_KIND_ARRAY:
		fprintf(out, " type_id=%u index_type_id=%u nr_elems=%u",
			btf_array(t)->type, btf_array(t)->index_type,
			btf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		dump_members(tab, t, out);
		break;
	case BTF_KIND_ENUM:
		dump_enum(tab, t, out);
		break;
	case BTF_KIND_ENUM64:
		dump_enum64(tab, t, out);
		break;
	case BTF_KIND_FWD:
		fprintf(out, " fwd_kind=%s", btf_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		fprintf(out, " type_id=%u linkage=%s", t->type,
			dump_linkage(btf_vlen(t)));
		break;
	case BTF_KIND_FUNC_PROTO:
		dump_params(tab, t, out);
		break;
	case BTF_KIND_VAR:
		fprintf(out, " type_id=%u, linkage=%s", t->type,
			dump_linkage(btf_var(t)->linkage));
		break;
	case BTF_KIND_DATASEC:
		dump_datasec(tab, t, out);
		break;
	case BTF_KIND_FLOAT:
		fprintf(out, " size=%u", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		fprintf(out, " type_id=%u component_idx=%d", t->type,
			btf_decl_tag(t)->component_idx);
		break;
	default:
		break;
	}
	fputc('\n', out);
}

int btf_io__dump(const struct btf_table *tab, FILE *out)
{
	uint32_t id;
	int err = 0;

	for (id = btf_table__start_id(tab); id < btf_table__type_cnt(tab); id++)
		dump_type(tab, id, out);
	if (fflush(out))
		err = -errno;
	else if (ferror(out))
		err = -EIO;
	if (err)
		msg__error("%s: cannot write: %s",
			   out == stdout ? "standard output" : "the dump",
			   strerror(-err));
	return err;
}
