# The supplementary file of alt.s: a partial unit with struct T { int x; }
# at offset 0x14 of .debug_info, where alt.s refers.  Its build-id is given
# when it is linked (ld --build-id=0x...).
	.include "dwarf.inc"

	partial 0
	int_type .Lint
.LT:
	.uleb128 3
	.asciz "T"
	.byte 4
	.uleb128 4
	.asciz "x"
	.long .Lint - .Lunit0
	.byte 0
	.byte 0
	unit_end 0
	.if .LT - .Ldebug_info - 0x14
	.error "struct T moved: change alt.s"
	.endif

