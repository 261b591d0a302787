#ifndef OUTPOST_MALLOC_COUNTER_H
#define OUTPOST_MALLOC_COUNTER_H
#include <stdint.h>

/// Totals since the process started, counted by the malloc family wrappers in this library.
uint64_t outpost_malloc_count(void);
uint64_t outpost_malloc_bytes(void);

#endif
