/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BTF wire format, as Documentation/bpf/btf.rst describes it.
 *
 * A BTF blob is a header, a type section and a string section.  Type IDs
 * start at 1 (0 is void); string offset 0 is the empty string.  Every record
 * is a struct btf_type followed by kind-specific data (see btf_rec_size()).
 * These declarations are ours, so nothing depends on the installed kernel
 * headers' age; all inline helpers here read native-endian records.
 */
#ifndef BTFENC_BTF_FORMAT_H
#define BTFENC_BTF_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BTF_MAGIC	0xeB9F
#define BTF_VERSION	1
#define BTF_MAX_VLEN	0xffff
#define BTF_MAX_TYPE	0x000fffff
#define BTF_MAX_NAME_OFFSET 0x00ffffff

enum btf_kind_nr {
	BTF_KIND_UNKN = 0,
	BTF_KIND_INT = 1,
	BTF_KIND_PTR = 2,
	BTF_KIND_ARRAY = 3,
	BTF_KIND_STRUCT = 4,
	BTF_KIND_UNION = 5,
	BTF_KIND_ENUM = 6,
	BTF_KIND_FWD = 7,
	BTF_KIND_TYPEDEF = 8,
	BTF_KIND_VOLATILE = 9,
	BTF_KIND_CONST = 10,
	BTF_KIND_RESTRICT = 11,
	BTF_KIND_FUNC = 12,
	BTF_KIND_FUNC_PROTO = 13,
	BTF_KIND_VAR = 14,
	BTF_KIND_DATASEC = 15,
	BTF_KIND_FLOAT = 16,
	BTF_KIND_DECL_TAG = 17,
	BTF_KIND_TYPE_TAG = 18,
	BTF_KIND_ENUM64 = 19,
	BTF_KIND_NR,
};

/* INT encoding bits (the top byte of the u32 after the type) */
#define BTF_INT_SIGNED	(1 << 0)
#define BTF_INT_CHAR	(1 << 1)
#define BTF_INT_BOOL	(1 << 2)

enum btf_linkage {
	BTF_LINKAGE_STATIC = 0,
	BTF_LINKAGE_GLOBAL = 1,
	BTF_LINKAGE_EXTERN = 2,
};

struct btf_header {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t type_off;
	uint32_t type_len;
	uint32_t str_off;
	uint32_t str_len;
};

struct btf_type {
	uint32_t name_off;
	/* bits 0-15 vlen, 24-28 kind, 31 kind_flag */
	uint32_t info;
	union {
		uint32_t size;
		uint32_t type;
	};
};

struct btf_enum {
	uint32_t name_off;
	int32_t val;
};

struct btf_enum64 {
	uint32_t name_off;
	uint32_t val_lo32;
	uint32_t val_hi32;
};

struct btf_array {
	uint32_t type;
	uint32_t index_type;
	uint32_t nelems;
};

struct btf_member {
	uint32_t name_off;
	uint32_t type;
	/* bit offset; with kind_flag: bitfield size << 24 | bit offset */
	uint32_t offset;
};

struct btf_param {
	uint32_t name_off;
	uint32_t type;
};

struct btf_var {
	uint32_t linkage;
};

struct btf_var_secinfo {
	uint32_t type;
	uint32_t offset;
	uint32_t size;
};

struct btf_decl_tag {
	int32_t component_idx;
};

static inline unsigned int btf_kind(const struct btf_type *t)
{
	return (t->info >> 24) & 0x1f;
}

static inline unsigned int btf_vlen(const struct btf_type *t)
{
	return t->info & 0xffff;
}

static inline bool btf_kflag(const struct btf_type *t)
{
	return t->info >> 31;
}

static inline uint32_t btf_info(unsigned int kind, unsigned int vlen, bool kflag)
{
	return (kflag ? 1u << 31 : 0) | (kind & 0x1f) << 24 | (vlen & 0xffff);
}

static inline bool btf_is_composite(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_STRUCT || btf_kind(t) == BTF_KIND_UNION;
}

static inline bool btf_is_any_enum(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_ENUM || btf_kind(t) == BTF_KIND_ENUM64;
}

/* The u32 that follows an INT record */
static inline uint32_t btf_int_data(const struct btf_type *t)
{
	return *(const uint32_t *)(t + 1);
}

static inline unsigned int btf_int_encoding(const struct btf_type *t)
{
	return (btf_int_data(t) >> 24) & 0x0f;
}

static inline unsigned int btf_int_offset(const struct btf_type *t)
{
	return (btf_int_data(t) >> 16) & 0xff;
}

static inline unsigned int btf_int_bits(const struct btf_type *t)
{
	return btf_int_data(t) & 0xff;
}

static inline struct btf_array *btf_array(const struct btf_type *t)
{
	return (struct btf_array *)(t + 1);
}

static inline struct btf_member *btf_members(const struct btf_type *t)
{
	return (struct btf_member *)(t + 1);
}

static inline struct btf_enum *btf_enums(const struct btf_type *t)
{
	return (struct btf_enum *)(t + 1);
}

static inline struct btf_enum64 *btf_enums64(const struct btf_type *t)
{
	return (struct btf_enum64 *)(t + 1);
}

static inline struct btf_param *btf_params(const struct btf_type *t)
{
	return (struct btf_param *)(t + 1);
}

static inline struct btf_var *btf_var(const struct btf_type *t)
{
	return (struct btf_var *)(t + 1);
}

static inline struct btf_var_secinfo *btf_secinfos(const struct btf_type *t)
{
	return (struct btf_var_secinfo *)(t + 1);
}

static inline struct btf_decl_tag *btf_decl_tag(const struct btf_type *t)
{
	return (struct btf_decl_tag *)(t + 1);
}

static inline uint32_t btf_member_bit_offset(const struct btf_type *t, unsigned int i)
{
	uint32_t off = btf_members(t)[i].offset;

	return btf_kflag(t) ? off & 0xffffff : off;
}

static inline uint32_t btf_member_bitfield_size(const struct btf_type *t, unsigned int i)
{
	return btf_kflag(t) ? btf_members(t)[i].offset >> 24 : 0;
}

static inline uint64_t btf_enum64_value(const struct btf_enum64 *e)
{
	return (uint64_t)e->val_hi32 << 32 | e->val_lo32;
}

/*
 * Size in bytes of the data that follows the struct btf_type of a record of
 * this kind and vlen, or -1 for an unknown kind.
 */
static inline long btf_kind_data_size(unsigned int kind, unsigned int vlen)
{
	switch (kind) {
	case BTF_KIND_FWD: case BTF_KIND_PTR: case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC: case BTF_KIND_FLOAT: case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_INT:
		return sizeof(uint32_t);
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return (long)vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return sizeof(struct btf_decl_tag);
	default:
		return -1;
	}
}

/* Whole record size in bytes */
static inline size_t btf_rec_size(const struct btf_type *t)
{
	return sizeof(*t) + btf_kind_data_size(btf_kind(t), btf_vlen(t));
}

/* "STRUCT", "INT", ...: bpftool's spelling; "UNKN" past the known kinds */
const char *btf_kind_name(unsigned int kind);

#endif
