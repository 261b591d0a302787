import OutpostCore
import PromQL

/// Writes API responses in the exact JSON shapes of Prometheus's `/api/v1`: sample values as
/// Go-formatted strings, timestamps as seconds with millisecond fractions.
struct PrometheusJSON {
    private var writer = JSONWriter()

    var bytes: [UInt8] { writer.bytes }

    /// `{"status":"success","data":<data>}` plus `warnings`/`infos` when there are any.
    static func success(warnings: [String] = [], infos: [String] = [], data: (inout PrometheusJSON) -> Void) -> [UInt8] {
        var json = PrometheusJSON()
        json.raw("{\"status\":\"success\",\"data\":")
        data(&json)
        if !warnings.isEmpty {
            json.raw(",\"warnings\":")
            json.strings(warnings)
        }
        if !infos.isEmpty {
            json.raw(",\"infos\":")
            json.strings(infos)
        }
        json.raw("}")
        return json.bytes
    }

    /// `{"status":"error","errorType":…,"error":…}`.
    static func error(_ error: APIError) -> [UInt8] {
        var json = PrometheusJSON()
        json.raw("{\"status\":\"error\",\"errorType\":")
        json.string(error.kind.rawValue)
        json.raw(",\"error\":")
        json.string(error.message)
        json.raw("}")
        return json.bytes
    }

    /// A query's `data`: `{"resultType":…,"result":…}`.
    mutating func queryValue(_ value: QueryValue) {
        raw("{\"resultType\":")
        string(value.resultType)
        raw(",\"result\":")
        switch value {
        case .scalar(let t, let v): point(t, Self.sampleValue(v))
        case .string(let t, let s): point(t, s)
        case .vector(let samples):
            array(samples) { json, sample in
                json.raw("{\"metric\":")
                json.labels(sample.labels)
                json.raw(",\"value\":")
                json.point(sample.t, Self.sampleValue(sample.value))
                json.raw("}")
            }
        case .matrix(let series):
            array(series) { json, series in
                json.raw("{\"metric\":")
                json.labels(series.labels)
                json.raw(",\"values\":")
                json.array(series.points) { json, point in json.point(point.t, Self.sampleValue(point.value)) }
                json.raw("}")
            }
        }
        raw("}")
    }

    /// A sample value as Prometheus writes it: Go's `FormatFloat` with 'f' and shortest digits,
    /// switching to 'e' below 1e-6 and from 1e21 (`1e-07`, `1.5e+21`), and `+Inf`/`-Inf`/`NaN`.
    static func sampleValue(_ value: Double) -> String {
        let magnitude = abs(value)
        guard magnitude != 0, magnitude.isFinite, magnitude < 1e-6 || magnitude >= 1e21 else { return formatGoFloat(value) }
        // Swift prints these magnitudes in exponent form with shortest digits and a signed,
        // at least two-digit exponent, exactly as Go's 'e' with precision -1.
        return value.description
    }

    /// `[<seconds>,"<value>"]`.
    mutating func point(_ t: Int64, _ value: String) {
        raw("[")
        timestamp(t)
        raw(",")
        string(value)
        raw("]")
    }

    /// Milliseconds as seconds, the fraction written only when non-zero and always as three digits.
    mutating func timestamp(_ t: Int64) {
        if t < 0 { raw("-") }
        let magnitude = t.magnitude
        raw(String(magnitude / 1000))
        let fraction = magnitude % 1000
        if fraction != 0 {
            raw(".")
            if fraction < 100 { raw("0") }
            if fraction < 10 { raw("0") }
            raw(String(fraction))
        }
    }

    /// A label set as an object in label order.
    mutating func labels(_ labels: Labels) { writer.object(labels) }

    mutating func strings(_ values: [String]) {
        array(values) { json, value in json.string(value) }
    }

    mutating func array<Element>(_ elements: some Sequence<Element>, _ write: (inout PrometheusJSON, Element) -> Void) {
        raw("[")
        var first = true
        for element in elements {
            if !first { raw(",") }
            first = false
            write(&self, element)
        }
        raw("]")
    }

    mutating func raw(_ text: String) { writer.raw(text) }

    mutating func string(_ text: String) { writer.string(text) }
}
