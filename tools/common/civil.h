/*
 * civil.h — dates on the proleptic Gregorian calendar as day counts, for the tools (never
 * installed): no libc time-zone state, so reentrant and the same on every machine. Days are
 * counted from 1970-01-01 (day 0); earlier dates are negative.
 */
#ifndef CXSENT_TOOLS_CIVIL_H
#define CXSENT_TOOLS_CIVIL_H

#include <stdint.h>

/* The day number of year y, month m (1..12), day d (1..31). */
int64_t civil_days(int64_t y, unsigned m, unsigned d);

/* The date of day number z (the inverse of civil_days). */
void civil_date(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
