/* privacy.h - complementary suppression: when one cell of a breakdown is
 * suppressed and its total is shown, one more cell is suppressed too (the
 * next smallest), so that no hidden value can be recovered by subtraction.
 * Pure function over arrays. */
#ifndef WR_PRIVACY_H
#define WR_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* hidden[i] says whether cell i is suppressed; size[i] orders the cells
 * (smallest first; ties to the lower index). When exactly one of the n cells
 * is hidden, the smallest visible one is hidden too. Returns the number of
 * cells hidden in all. */
size_t complementary_suppress(const uint64_t *size, bool *hidden, size_t n);

#endif
