// Wraps glibc's allocator entry points to count allocations and bytes requested, so
// benchmarks can report bytes allocated per operation without an external tool.
#define _GNU_SOURCE
#include "MallocCounter.h"
#include <stddef.h>
#include <string.h>
#include <errno.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

static uint64_t allocation_count;
static uint64_t allocation_bytes;

static inline void record(size_t size) {
    __atomic_fetch_add(&allocation_count, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&allocation_bytes, size, __ATOMIC_RELAXED);
}

uint64_t outpost_malloc_count(void) { return __atomic_load_n(&allocation_count, __ATOMIC_RELAXED); }
uint64_t outpost_malloc_bytes(void) { return __atomic_load_n(&allocation_bytes, __ATOMIC_RELAXED); }

void *malloc(size_t size) {
    record(size);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    record(count * size);
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    record(size);
    return __libc_realloc(pointer, size);
}

void free(void *pointer) { __libc_free(pointer); }

int posix_memalign(void **result, size_t alignment, size_t size) {
    record(size);
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size) {
    record(size);
    return __libc_memalign(alignment, size);
}

void *memalign(size_t alignment, size_t size) {
    record(size);
    return __libc_memalign(alignment, size);
}
