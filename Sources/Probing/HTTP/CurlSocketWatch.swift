import CCurl
import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// The sockets and the timeout libcurl asks its event loop to watch, kept in an epoll set.
///
/// libcurl reports them through its socket and timer callbacks while the loop thread calls
/// `curl_multi_socket_action`, so this object is only ever touched on that thread.
final class CurlSocketWatch {
    let epoll: Int32
    private var watched: Set<Int32> = []
    /// When libcurl wants `CURL_SOCKET_TIMEOUT` handled next; nil when it wants no timeout.
    private var deadline: MonotonicTime?

    init(epoll: Int32) {
        self.epoll = epoll
    }

    /// Installs the callbacks on `multi`; `self` must outlive their use (see `detach`).
    func attach(to multi: UnsafeMutableRawPointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        outpost_curl_multi_set_socket_callback(multi, curlSocketChanged, context)
        outpost_curl_multi_set_timer_callback(multi, curlTimerChanged, context)
    }

    func detach(from multi: UnsafeMutableRawPointer) {
        outpost_curl_multi_set_socket_callback(multi, nil, nil)
        outpost_curl_multi_set_timer_callback(multi, nil, nil)
    }

    /// How long `epoll_wait` may block: until libcurl's timeout, or at most `cap` milliseconds.
    func waitMilliseconds(cap: Int32) -> Int32 {
        guard let deadline else { return cap }
        let nanoseconds = deadline.nanoseconds - MonotonicTime.now().nanoseconds
        if nanoseconds <= 0 { return 0 }
        // Rounded up, so the loop does not spin through the last partial millisecond.
        return Int32(min(Int64(cap), (nanoseconds + 999_999) / 1_000_000))
    }

    /// Whether libcurl's timeout has passed; clears it, as libcurl sets a new one when it needs one.
    func takeExpiredTimeout() -> Bool {
        guard let deadline, deadline <= MonotonicTime.now() else { return false }
        self.deadline = nil
        return true
    }

    fileprivate func setTimeout(milliseconds: Int) {
        deadline = milliseconds < 0 ? nil : MonotonicTime.now().adding(.milliseconds(milliseconds))
    }

    fileprivate func watch(_ socket: Int32, _ what: Int32) {
        if what == CURL_POLL_REMOVE {
            // The socket may already be closed, which removed it from the set; that error is fine.
            if watched.remove(socket) != nil { outpost_epoll_watch(epoll, EPOLL_CTL_DEL, socket, 0) }
            return
        }
        var flags: UInt32 = 0
        if what & CURL_POLL_IN != 0 { flags |= EPOLLIN.rawValue }
        if what & CURL_POLL_OUT != 0 { flags |= EPOLLOUT.rawValue }
        // A closed-and-reused descriptor number can be stale in either direction, so each
        // operation falls back to the other.
        if watched.insert(socket).inserted {
            if outpost_epoll_watch(epoll, EPOLL_CTL_ADD, socket, flags) != 0, errno == EEXIST {
                outpost_epoll_watch(epoll, EPOLL_CTL_MOD, socket, flags)
            }
        } else if outpost_epoll_watch(epoll, EPOLL_CTL_MOD, socket, flags) != 0, errno == ENOENT {
            outpost_epoll_watch(epoll, EPOLL_CTL_ADD, socket, flags)
        }
    }
}

private func curlSocketChanged(_ easy: UnsafeMutableRawPointer?, _ socket: curl_socket_t, _ what: Int32,
                               _ context: UnsafeMutableRawPointer?, _ socketContext: UnsafeMutableRawPointer?) -> Int32 {
    guard let context else { return 0 }
    Unmanaged<CurlSocketWatch>.fromOpaque(context).takeUnretainedValue().watch(socket, what)
    return 0
}

private func curlTimerChanged(_ multi: UnsafeMutableRawPointer?, _ milliseconds: Int, _ context: UnsafeMutableRawPointer?) -> Int32 {
    guard let context else { return 0 }
    Unmanaged<CurlSocketWatch>.fromOpaque(context).takeUnretainedValue().setTimeout(milliseconds: milliseconds)
    return 0
}
