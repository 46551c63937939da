# A cycle no C type can make, across units: typedef T in unit 1 is a const
# in unit 2 of T again.  With --defsym SELF, typedef T is T itself.  struct
# S uses T.  There is no BTF for it: an error, not a hang.
	.include "dwarf.inc"

	unit 1, "t.c"
.LT:
	.uleb128 8
	.asciz "T"
.ifdef SELF
	ref_addr .LT
.else
	ref_addr .LC
.endif
	.uleb128 3
	.asciz "S"
	.byte 4
	.uleb128 5
	.asciz "m"
	ref_addr .LT
	.byte 0
	.byte 0
	unit_end 1

	unit 2, "c.c"
.LC:
	.uleb128 9
	ref_addr .LT
	unit_end 2
