# A DW_FORM_ref_sig8 reference (a type unit's signature) with no type unit
# in the file: a reference that cannot be followed.
	.include "dwarf.inc"

	unit 1, "sig8.c"
	.uleb128 3
	.asciz "S"
	.byte 4
	.uleb128 13
	.asciz "m"
	.quad 0x0123456789abcdef
	.byte 0
	.byte 0
	unit_end 1
