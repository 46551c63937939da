# A file whose struct S { struct T m; } takes T from a supplementary file
# (DW_FORM_GNU_ref_alt), named in .gnu_debugaltlink as xref-supp.debug
# (relative: beside this file) with build-id 5e1f0a17000102...0f.
	.include "dwarf.inc"

	unit 1, "alt.c"
	.uleb128 3
	.asciz "S"
	.byte 4
	.uleb128 12
	.asciz "m"
	.long 0x14		# struct T in alt-supp.s
	.byte 0
	.byte 0
	unit_end 1

	.section .gnu_debugaltlink,"",@progbits
	.asciz "xref-supp.debug"
	.byte 0x5e, 0x1f, 0x0a, 0x17, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
