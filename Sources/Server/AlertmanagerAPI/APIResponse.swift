import Foundation
import Hummingbird

/// JSON responses and request bodies of the Alertmanager v2 API.
enum APIResponse {
    /// Bodies above this size are refused (413) before decoding.
    static let maxBodySize = 16 * 1024 * 1024

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Response(status: status, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
        } catch {
            return self.error("cannot encode response: \(error)", status: .internalServerError)
        }
    }

    /// An error as Alertmanager sends it: the message as a JSON string.
    static func error(_ message: String, status: HTTPResponse.Status = .badRequest) -> Response {
        let body = (try? JSONEncoder().encode(message)) ?? Data("\"\"".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The request body decoded as `type`, or the 400 response explaining why it is not.
    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request, what: String) async throws -> Result<Value, ResponseError> {
        var request = request
        let body = try await request.collectBody(upTo: maxBodySize)
        do {
            return .success(try JSONDecoder().decode(type, from: Data(body.readableBytesView)))
        } catch let error as DecodingError {
            return .failure(ResponseError(response: self.error("cannot parse \(what): \(describe(error))")))
        } catch {
            return .failure(ResponseError(response: self.error("cannot parse \(what): \(error)")))
        }
    }

    /// A response standing for a failure, so handlers can return it early.
    struct ResponseError: Error {
        let response: Response
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let components = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return components.isEmpty ? "" : " at " + (components.hasPrefix(".") ? String(components.dropFirst()) : components)
        }
        switch error {
        case .dataCorrupted(let context): return "invalid JSON\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\"\(path(context))"
        case .typeMismatch(let type, let context): return "expected \(describe(type))\(path(context))"
        case .valueNotFound(let type, let context): return "expected \(describe(type))\(path(context)), found null"
        @unknown default: return "\(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is [String: Any].Type: "an object"
        case is [Any].Type: "an array"
        default: "\(type)"
        }
    }
}
