#define _GNU_SOURCE
#include "CStatsD.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

enum { MAX_BATCH = 256 };

int outpost_statsd_recv_batch(int fd, unsigned char *compact, size_t compact_size, unsigned char *overflow,
                              size_t overflow_size, unsigned int count, size_t *lengths) {
    struct mmsghdr messages[MAX_BATCH];
    struct iovec vectors[MAX_BATCH][2];
    if (count > MAX_BATCH) count = MAX_BATCH;
    memset(messages, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        vectors[i][0].iov_base = compact + (size_t)i * compact_size;
        vectors[i][0].iov_len = compact_size;
        vectors[i][1].iov_base = overflow + (size_t)i * overflow_size;
        vectors[i][1].iov_len = overflow_size;
        messages[i].msg_hdr.msg_iov = vectors[i];
        messages[i].msg_hdr.msg_iovlen = 2;
    }
    int received = recvmmsg(fd, messages, count, MSG_WAITFORONE, NULL);
    for (int i = 0; i < received; i++) lengths[i] = messages[i].msg_len;
    return received;
}

int outpost_statsd_send_batch(int fd, const unsigned char *buffer, size_t slot_size, unsigned int count, const size_t *lengths) {
    struct mmsghdr messages[MAX_BATCH];
    struct iovec vectors[MAX_BATCH];
    if (count > MAX_BATCH) count = MAX_BATCH;
    memset(messages, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = (void *)(buffer + (size_t)i * slot_size);
        vectors[i].iov_len = lengths[i];
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    return sendmmsg(fd, messages, count, 0);
}
