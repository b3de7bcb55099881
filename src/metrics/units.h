/* units.h - the conventions every analysis shares, defined once: months of
 * days, the confidence level of every interval. */
#ifndef WR_UNITS_H
#define WR_UNITS_H

/* Days in a month on average (365.25 / 12): times are counted in days and
 * shown in months. */
#define DAYS_PER_MONTH 30.4375

static inline double days_to_months(double days)
{
	return days / DAYS_PER_MONTH;
}

/* The confidence level of every interval the workbook shows. */
#define CONF_LEVEL 0.95

#endif
