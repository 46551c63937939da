# Types that refer to each other across units, legitimately: struct A in
# unit 1 points to struct B in unit 2, which points back to A and holds an
# A by value.  The same as the C
#	struct B;
#	struct A { struct B *b; };
#	struct B { struct A *a; struct A inner; };
	.include "dwarf.inc"

	unit 1, "a.c"
.LA:
	.uleb128 3
	.asciz "A"
	.byte 8
	.uleb128 4
	.asciz "b"
	.long .LpB - .Lunit1
	.byte 0
	.byte 0
.LpB:
	.uleb128 6
	.byte 8
	ref_addr .LB
	unit_end 1

	unit 2, "b.c"
.LB:
	.uleb128 3
	.asciz "B"
	.byte 16
	.uleb128 4
	.asciz "a"
	.long .LpA - .Lunit2
	.byte 0
	.uleb128 5
	.asciz "inner"
	ref_addr .LA
	.byte 8
	.byte 0
.LpA:
	.uleb128 6
	.byte 8
	ref_addr .LA
	unit_end 2
