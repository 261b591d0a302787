#include "ProbeFloor.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { max_events = 64 };

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

/// Starts one non-blocking connect watched for writability; returns -1 when socket() fails.
static int start_connect(int epoll, const struct sockaddr_in *address) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, (const struct sockaddr *)address, sizeof *address) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    struct epoll_event event = { .events = EPOLLOUT, .data.fd = fd };
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
    return fd;
}

static int connect_failed(int fd) {
    int error = 0;
    socklen_t length = sizeof error;
    return getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0;
}

/// Runs `total` exchanges; `step` advances one socket on an event and returns 1 when the
/// exchange is over (the socket is then closed by the caller), 0 to keep waiting, -1 on failure.
static int run_exchanges(int port, int total, int concurrency, int (*step)(int epoll, int fd, uint32_t events)) {
    struct sockaddr_in address = loopback(port);
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    int started = 0, finished = 0, failures = 0;
    for (; started < concurrency && started < total; started++) {
        if (start_connect(epoll, &address) < 0) { failures++; finished++; }
    }
    struct epoll_event events[max_events];
    while (finished < total) {
        int ready = epoll_wait(epoll, events, max_events, 5000);
        if (ready <= 0) { failures += total - finished; break; }
        for (int index = 0; index < ready; index++) {
            int fd = events[index].data.fd;
            int outcome = step(epoll, fd, events[index].events);
            if (outcome == 0) continue;
            if (outcome < 0) failures++;
            close(fd);
            finished++;
            if (started < total) {
                started++;
                if (start_connect(epoll, &address) < 0) { failures++; finished++; }
            }
        }
    }
    close(epoll);
    return failures;
}

static int connect_step(int epoll, int fd, uint32_t events) {
    (void)epoll; (void)events;
    return connect_failed(fd) ? -1 : 1;
}

int outpost_floor_tcp_connect(int port, int total, int concurrency) {
    return run_exchanges(port, total, concurrency, connect_step);
}

static const char request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: floor\r\nAccept: */*\r\nConnection: close\r\n\r\n";

static int http_step(int epoll, int fd, uint32_t events) {
    if (events & EPOLLOUT) {
        if (connect_failed(fd)) return -1;
        if (send(fd, request, sizeof request - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof request - 1)) return -1;
        struct epoll_event event = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = fd };
        epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event);
        return 0;
    }
    char buffer[4096];
    ssize_t count;
    while ((count = recv(fd, buffer, sizeof buffer, 0)) > 0) {}
    if (count == 0) return 1;
    return errno == EAGAIN ? 0 : -1;
}

int outpost_floor_http_sockets(int port, int total, int concurrency) {
    return run_exchanges(port, total, concurrency, http_step);
}

struct curl_loop {
    CURLM *multi;
    int epoll;
    long timeout_ms;
};

static int curl_socket_changed(CURL *easy, curl_socket_t fd, int what, void *context, void *socket_context) {
    (void)easy;
    struct curl_loop *loop = context;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(loop->epoll, EPOLL_CTL_DEL, fd, NULL);
        curl_multi_assign(loop->multi, fd, NULL);
        return 0;
    }
    struct epoll_event event = {
        .events = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0),
        .data.fd = fd,
    };
    if (socket_context) {
        epoll_ctl(loop->epoll, EPOLL_CTL_MOD, fd, &event);
    } else {
        epoll_ctl(loop->epoll, EPOLL_CTL_ADD, fd, &event);
        curl_multi_assign(loop->multi, fd, loop);
    }
    return 0;
}

static int curl_timer_changed(CURLM *multi, long timeout_ms, void *context) {
    (void)multi;
    ((struct curl_loop *)context)->timeout_ms = timeout_ms;
    return 0;
}

static size_t discard_body(char *data, size_t size, size_t count, void *context) {
    (void)data; (void)context;
    return size * count;
}

static void add_transfer(struct curl_loop *loop, const char *url) {
    CURL *easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_multi_add_handle(loop->multi, easy);
}

int outpost_floor_http_libcurl(int port, int total, int concurrency) {
    curl_global_init(CURL_GLOBAL_ALL);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    struct curl_loop loop = { .multi = curl_multi_init(), .epoll = epoll_create1(EPOLL_CLOEXEC), .timeout_ms = -1 };
    curl_multi_setopt(loop.multi, CURLMOPT_SOCKETFUNCTION, curl_socket_changed);
    curl_multi_setopt(loop.multi, CURLMOPT_SOCKETDATA, &loop);
    curl_multi_setopt(loop.multi, CURLMOPT_TIMERFUNCTION, curl_timer_changed);
    curl_multi_setopt(loop.multi, CURLMOPT_TIMERDATA, &loop);
    int started = 0, finished = 0, failures = 0, running = 0;
    for (; started < concurrency && started < total; started++) add_transfer(&loop, url);
    struct epoll_event events[max_events];
    while (finished < total) {
        int wait = loop.timeout_ms < 0 || loop.timeout_ms > 5000 ? 5000 : (int)loop.timeout_ms;
        int ready = epoll_wait(loop.epoll, events, max_events, wait);
        if (ready == 0) curl_multi_socket_action(loop.multi, CURL_SOCKET_TIMEOUT, 0, &running);
        for (int index = 0; index < ready; index++) {
            uint32_t bits = events[index].events;
            int flags = (bits & (EPOLLIN | EPOLLHUP) ? CURL_CSELECT_IN : 0) | (bits & EPOLLOUT ? CURL_CSELECT_OUT : 0)
                | (bits & EPOLLERR ? CURL_CSELECT_ERR : 0);
            curl_multi_socket_action(loop.multi, events[index].data.fd, flags, &running);
        }
        CURLMsg *message;
        int queued;
        while ((message = curl_multi_info_read(loop.multi, &queued))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            if (message->data.result != CURLE_OK) failures++;
            curl_multi_remove_handle(loop.multi, easy);
            curl_easy_cleanup(easy);
            finished++;
            if (started < total) { add_transfer(&loop, url); started++; }
        }
    }
    curl_multi_cleanup(loop.multi);
    close(loop.epoll);
    return failures;
}
