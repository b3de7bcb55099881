/* wilson.h - the Wilson score interval for a proportion k / n, with z from
 * GSL's inverse normal: gsl_cdf_ugaussian_Pinv(0.5 + conf / 2).
 * n = 0 gives NaN for all three figures. */
#ifndef WR_WILSON_H
#define WR_WILSON_H

#include <stdint.h>

struct proportion {
	uint64_t k, n;
	double p, lo, hi;
};

void wilson(uint64_t k, uint64_t n, double conf, struct proportion *out);

#endif
