/* wilson.c - see wilson.h. */
#include "stats/wilson.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

void wilson(uint64_t k, uint64_t n, double conf, struct proportion *out)
{
	out->k = k;
	out->n = n;
	if (n == 0 || k > n) {
		out->p = out->lo = out->hi = NAN;
		return;
	}
	double z = gsl_cdf_ugaussian_Pinv(0.5 + conf / 2);
	double nn = (double)n, p = (double)k / nn, z2 = z * z;
	double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
	double half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
	out->p = p;
	out->lo = fmax(0.0, centre - half);
	out->hi = fmin(1.0, centre + half);
}
