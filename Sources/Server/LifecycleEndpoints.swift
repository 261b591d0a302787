import Hummingbird

/// `/-/healthy`, `/-/ready` and `POST /-/reload`, as Prometheus serves them.
struct LifecycleEndpoints: Sendable {
    let reload: @Sendable () async -> String?
    let isReady: @Sendable () -> Bool

    func register(on router: Router<BasicRequestContext>) {
        router.get("/-/healthy") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: "Outpost is Healthy.\n")))
        }
        router.get("/-/ready") { _, _ in
            isReady()
                ? Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                           body: ResponseBody(byteBuffer: ByteBuffer(string: "Outpost is Ready.\n")))
                : Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                           body: ResponseBody(byteBuffer: ByteBuffer(string: "Service Unavailable\n")))
        }
        router.post("/-/reload") { _, _ in
            if let failure = await reload() {
                return Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: "failed to reload config: \(failure)\n")))
            }
            return Response(status: .ok)
        }
    }
}
