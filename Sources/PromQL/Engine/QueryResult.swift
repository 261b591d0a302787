import OutpostCore

/// One point of a series: milliseconds since the epoch and a float value.
public struct Point: Sendable, Equatable {
    public var t: Int64
    public var value: Double

    public init(t: Int64, value: Double) {
        self.t = t
        self.value = value
    }
}

/// An element of an instant vector.
public struct VectorSample: Sendable {
    public var labels: Labels
    public var t: Int64
    public var value: Double

    public init(labels: Labels, t: Int64, value: Double) {
        self.labels = labels
        self.t = t
        self.value = value
    }
}

/// A series of a range vector or a range query result.
public struct MatrixSeries: Sendable {
    public var labels: Labels
    public var points: [Point]
}

/// What a query returns, as the four result types of the Prometheus HTTP API.
public enum QueryValue: Sendable {
    case scalar(t: Int64, value: Double)
    case string(t: Int64, value: String)
    case vector([VectorSample])
    case matrix([MatrixSeries])

    /// The `resultType` name used by `/api/v1/query`.
    public var resultType: String {
        switch self {
        case .scalar: "scalar"
        case .string: "string"
        case .vector: "vector"
        case .matrix: "matrix"
        }
    }
}

/// A successful result and the warnings and info notes raised while computing it.
public struct QueryResult: Sendable {
    public var value: QueryValue
    public var annotations: Annotations
}

/// Non-fatal notes about a query, as Prometheus returns in `warnings` and `infos`.
public struct Annotations: Sendable, Equatable {
    public var warnings: [String] = []
    public var infos: [String] = []

    public init() {}

    mutating func warn(_ message: String) {
        let text = "PromQL warning: " + message
        if !warnings.contains(text) { warnings.append(text) }
    }

    mutating func info(_ message: String) {
        let text = "PromQL info: " + message
        if !infos.contains(text) { infos.append(text) }
    }
}

/// Why a query failed. `errorType` maps to the Prometheus API's `errorType`.
public enum QueryError: Error, Sendable, CustomStringConvertible {
    case parse(ParseError)
    case execution(String)
    case tooManySamples
    case timeout
    case canceled

    public var errorType: String {
        switch self {
        case .parse: "bad_data"
        case .execution: "execution"
        case .tooManySamples: "execution"
        case .timeout: "timeout"
        case .canceled: "canceled"
        }
    }

    public var description: String {
        switch self {
        case .parse(let error): error.description
        case .execution(let message): message
        case .tooManySamples: "query processing would load too many samples into memory in query execution"
        case .timeout: "query timed out in query execution"
        case .canceled: "query was canceled in query execution"
        }
    }
}
