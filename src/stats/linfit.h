/* linfit.h - least-squares line y = c0 + c1 x (GSL's gsl_fit_linear) with
 * the slope's standard error, two-sided p-value and confidence interval from
 * Student's t on n - 2 degrees of freedom.
 *
 * Needs n >= 3 and x not constant; otherwise ok is false and the figures NaN.
 */
#ifndef WR_LINFIT_H
#define WR_LINFIT_H

#include <stdbool.h>
#include <stddef.h>

struct linfit {
	bool ok;
	size_t n;
	double intercept, slope, slope_se, slope_lo, slope_hi, p;
};

void linfit_fit(const double *x, const double *y, size_t n, double conf, struct linfit *out);

#endif
