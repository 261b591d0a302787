#ifndef OUTPOST_CPREFETCH_H
#define OUTPOST_CPREFETCH_H

/* Swift has no prefetch intrinsic; walks over many heap objects use this to ask for the
   memory of an element a few steps ahead while the current one is processed. */
static inline void outpost_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
