/* privacy.c - see privacy.h. */
#include "metrics/privacy.h"

size_t complementary_suppress(const uint64_t *size, bool *hidden, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += hidden[i];
	if (count != 1 || n < 2)
		return count;
	size_t pick = n;
	for (size_t i = 0; i < n; i++)
		if (!hidden[i] && (pick == n || size[i] < size[pick]))
			pick = i;
	hidden[pick] = true;
	return count + 1;
}
