import CompressNIO
import Hummingbird
import NIOCore
import OutpostCore
import OutpostMetrics

/// `GET /metrics`: the registry in the format the Accept header asks for, gzipped on request.
struct MetricsEndpoint: Sendable {
    let registry: MetricsRegistry

    func register(on router: Router<BasicRequestContext>) {
        router.get("/metrics") { request, _ in
            respond(accept: request.headers[.accept], acceptEncoding: request.headers[values: .acceptEncoding])
        }
    }

    func respond(accept: String?, acceptEncoding: [String]) -> Response {
        let format = ExpositionFormat.negotiate(accept: accept)
        var body = ByteBufferAllocator().buffer(capacity: 64 * 1024)
        ExpositionEncoder.write(registry, format: format) { chunk in body.writeBytes(chunk) }
        var headers: HTTPFields = [.contentType: format.contentType]
        if Self.acceptsGzip(acceptEncoding), let compressed = try? body.compress(with: .gzip()) {
            body = compressed
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    static func acceptsGzip(_ values: [String]) -> Bool {
        values.flatMap { $0.split(separator: ",") }.contains { part in
            let fields = part.split(separator: ";").map { $0.trimmedWhitespace.lowercased() }
            guard fields.first == "gzip" else { return false }
            return !fields.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" }
        }
    }
}
