#ifndef OUTPOST_CSTATSD_H
#define OUTPOST_CSTATSD_H

#include <stddef.h>
#include <sys/types.h>

/// Receives up to `count` datagrams. Datagram `i` fills slot `i` of `compact` (at
/// `i * compact_size`) and only what does not fit goes on into slot `i` of `overflow` (at
/// `i * overflow_size`), so a batch of ordinary datagrams lies in one small, contiguous
/// block. Blocks until at least one arrives (or the socket's receive timeout passes), then
/// takes whatever else is already queued. Lengths go to `lengths`; returns the number
/// received, or -1 with errno set. Wraps recvmmsg(2), which Swift's Glibc module does not
/// export.
int outpost_statsd_recv_batch(int fd, unsigned char *compact, size_t compact_size, unsigned char *overflow,
                              size_t overflow_size, unsigned int count, size_t *lengths);

/// Sends `count` datagrams from `buffer` (slot `i` at `i * slot_size`, `lengths[i]` bytes)
/// on a connected socket with sendmmsg(2); returns the number sent or -1 with errno set.
int outpost_statsd_send_batch(int fd, const unsigned char *buffer, size_t slot_size, unsigned int count, const size_t *lengths);

#endif
