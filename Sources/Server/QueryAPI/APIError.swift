import Hummingbird
import PromQL

/// A failed API call as Prometheus reports it: an `errorType`, a message and an HTTP status.
struct APIError: Error, Sendable {
    enum Kind: String, Sendable {
        case badData = "bad_data"
        case execution
        case timeout
        case canceled
    }

    var kind: Kind
    var message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Prometheus's `invalid parameter "name": …` wrapping of a bad request parameter.
    static func invalidParameter(_ name: String, _ message: String) -> APIError {
        APIError(.badData, "invalid parameter \"\(name)\": \(message)")
    }

    /// How an engine failure is reported; parse errors only reach here from already parsed queries.
    init(_ error: QueryError) {
        switch error {
        case .parse(let parse): self.init(.badData, parse.description)
        case .execution, .tooManySamples: self.init(.execution, error.description)
        case .timeout: self.init(.timeout, error.description)
        case .canceled: self.init(.canceled, error.description)
        }
    }

    /// 400 for bad requests, 422 for queries that could not run, 503 when they timed out or were aborted.
    var status: HTTPResponse.Status {
        switch kind {
        case .badData: .badRequest
        case .execution: .unprocessableContent
        case .timeout, .canceled: .serviceUnavailable
        }
    }
}
