/// Bounds how many queries evaluate at once (`query.max_concurrency`); later callers wait in
/// arrival order and stop waiting when their task is cancelled.
actor QueryLimiter {
    private var limit: Int
    private var running = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Waits for a free slot; every successful call must be paired with `release()`.
    func acquire() async throws(CancellationError) {
        if running < limit {
            running += 1
            return
        }
        let id = nextID
        nextID += 1
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    waiters.append((id, continuation))
                }
            } onCancel: {
                Task { await self.cancelWaiter(id) }
            }
        } catch {
            throw CancellationError()
        }
    }

    /// Changes the bound; a higher one lets waiting queries start at once.
    func setLimit(_ newLimit: Int) {
        limit = max(1, newLimit)
        while running < limit, !waiters.isEmpty {
            running += 1
            waiters.removeFirst().continuation.resume()
        }
    }

    /// Frees a slot, handing it straight to the longest waiter if there is one.
    func release() {
        if waiters.isEmpty || running > limit {
            running -= 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
