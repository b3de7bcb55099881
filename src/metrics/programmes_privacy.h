/* programmes_privacy.h - the privacy decisions of the Secondments and
 * Interns tables (programmes_privacy.c), called by secondments_compute and
 * interns_compute. Internal to src/metrics. */
#ifndef WR_PROGRAMMES_PRIVACY_H
#define WR_PROGRAMMES_PRIVACY_H

#include "metrics/privacy.h"
#include "metrics/programmes.h"

/* prev: the same analysis at the previous quarter's as-of date, or NULL. */
void secondments_protect(const struct privacy *pv, struct secondment_result *r,
			 const struct secondment_result *prev);
void interns_protect(const struct privacy *pv, struct intern_result *r);

#endif
