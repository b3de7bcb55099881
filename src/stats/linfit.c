/* linfit.c - see linfit.h. */
#include "stats/linfit.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <math.h>

void linfit_fit(const double *x, const double *y, size_t n, double conf, struct linfit *out)
{
	*out = (struct linfit){.ok = false, .n = n, .intercept = NAN, .slope = NAN,
			       .slope_se = NAN, .slope_lo = NAN, .slope_hi = NAN, .p = NAN};
	if (n < 3)
		return;
	double c0, c1, cov00, cov01, cov11, sumsq;
	if (gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) != GSL_SUCCESS)
		return;
	if (!isfinite(c0) || !isfinite(c1) || !isfinite(cov11))
		return; /* x constant */
	double df = (double)n - 2;
	double se = sqrt(cov11);
	out->intercept = c0;
	out->slope = c1;
	out->slope_se = se;
	if (se > 0) {
		double t = c1 / se;
		out->p = 2 * gsl_cdf_tdist_Q(fabs(t), df);
	} else {
		out->p = c1 != 0 ? 0.0 : 1.0; /* a perfect line */
	}
	double q = gsl_cdf_tdist_Pinv(0.5 + conf / 2, df);
	out->slope_lo = c1 - q * se;
	out->slope_hi = c1 + q * se;
	out->ok = true;
}
