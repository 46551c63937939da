# A partial unit (as dwz makes) imported by two compile units, and with
# --defsym TWICE imported twice by the first.  The same as the C
#	struct S { int x; };
#	struct U1 { struct S s; };
#	struct U2 { struct S *p; };
# however often the partial unit is imported.
	.include "dwarf.inc"

	partial 0
	int_type .Lint
.LS:
	.uleb128 3
	.asciz "S"
	.byte 4
	.uleb128 4
	.asciz "x"
	.long .Lint - .Lunit0
	.byte 0
	.byte 0
	unit_end 0

	unit 1, "u1.c"
	.uleb128 11
	ref_addr .Lunit0+11
.ifdef TWICE
	.uleb128 11
	ref_addr .Lunit0+11
.endif
	.uleb128 3
	.asciz "U1"
	.byte 4
	.uleb128 5
	.asciz "s"
	ref_addr .LS
	.byte 0
	.byte 0
	unit_end 1

	unit 2, "u2.c"
	.uleb128 11
	ref_addr .Lunit0+11
	.uleb128 3
	.asciz "U2"
	.byte 8
	.uleb128 4
	.asciz "p"
	.long .LpS - .Lunit2
	.byte 0
	.byte 0
.LpS:
	.uleb128 6
	.byte 8
	ref_addr .LS
	unit_end 2
