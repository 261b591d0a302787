#ifndef OUTPOST_PROBE_FLOOR_H
#define OUTPOST_PROBE_FLOOR_H

/// The least work a probe can do, for comparison with the probers' benchmarks: `total`
/// fresh connections to 127.0.0.1:`port`, `concurrency` in flight on one epoll loop.
/// Each returns the number of exchanges that failed.

/// Non-blocking connect, then close: what the tcp prober's connect-only probe must do.
int outpost_floor_tcp_connect(int port, int total, int concurrency);

/// Connect, one `GET /` written in one send, read to the server's close.
int outpost_floor_http_sockets(int port, int total, int concurrency);

/// The same request through bare libcurl: easy handles on a multi handle driven by
/// `curl_multi_socket_action` on epoll, a fresh connection each, nothing read from the result.
int outpost_floor_http_libcurl(int port, int total, int concurrency);

#endif
