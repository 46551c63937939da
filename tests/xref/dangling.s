# A DW_FORM_ref_addr that leads to no DIE: struct S in unit 1 has a member
# whose type is in unit 2, at an offset chosen by --defsym:
#	MID_DIE		one byte into the DIE of int (default)
#	IN_HEADER	inside unit 2's header
#	AT_END		the end of .debug_info
#	PAST_END	far past the end of .debug_info
	.include "dwarf.inc"

	unit 1, "dangling.c"
	.uleb128 3
	.asciz "S"
	.byte 4
	.uleb128 5
	.asciz "m"
.ifdef IN_HEADER
	ref_addr .Lunit2+4
.else
.ifdef AT_END
	ref_addr .Lunit2_end
.else
.ifdef PAST_END
	.long 0x100000
.else
	ref_addr .Lint+1
.endif
.endif
.endif
	.byte 0
	.byte 0
	unit_end 1

	unit 2, "other.c"
	int_type .Lint
	unit_end 2
