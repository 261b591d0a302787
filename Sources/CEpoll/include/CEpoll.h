/* epoll and eventfd, which Swift's Glibc module does not export. */
#ifndef OUTPOST_CEPOLL_H
#define OUTPOST_CEPOLL_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <stdint.h>

/* For loops that only need descriptors back, with the packed struct epoll_event kept on the
   C side: watches `fd` for `events`, or waits and reports ready descriptors and
   their events in two plain arrays. */
static inline int outpost_epoll_watch(int epoll, int operation, int fd, uint32_t events) {
    struct epoll_event event = { .events = events, .data = { .fd = fd } };
    return epoll_ctl(epoll, operation, fd, &event);
}

static inline int outpost_epoll_wait(int epoll, int *fds, uint32_t *events, int capacity, int timeout) {
    struct epoll_event ready[256];
    int count = epoll_wait(epoll, ready, capacity < 256 ? capacity : 256, timeout);
    for (int index = 0; index < count; index++) {
        fds[index] = ready[index].data.fd;
        events[index] = ready[index].events;
    }
    return count;
}

#endif
