/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 (FIPS 180-4), for the batch manifest's checksums. */
#ifndef BTFENC_SHA256_H
#define BTFENC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN]);
/* Lower-case hex into @hex (65 bytes with the NUL) */
void sha256_hex(const unsigned char digest[SHA256_LEN], char hex[2 * SHA256_LEN + 1]);

#endif
