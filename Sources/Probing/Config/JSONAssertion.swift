import Foundation

/// A check on a JSON response body, such as `$.status == "UP"` or `$.items.length() > 0`.
///
/// The left side is a path of object keys and `[n]` indexes from `$`, optionally ending in
/// `.length()`; the right side is a JSON literal (string, number, true, false, null).
public struct JSONAssertion: Decodable, Sendable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public enum Operator: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", lessOrEqual = "<=", greaterOrEqual = ">=", less = "<", greater = ">"
    }

    public let text: String
    public let path: [Step]
    public let length: Bool
    public let op: Operator
    public let literal: JSONLiteral

    public var description: String { text }

    public init(_ text: String) throws(JSONAssertionError) {
        self.text = text
        guard let found = Operator.allCases.compactMap({ op in text.range(of: " \(op.rawValue) ").map { (op, $0) } })
            .min(by: { $0.1.lowerBound < $1.1.lowerBound }) else {
            throw JSONAssertionError(message: "expected `$.path <op> value` with one of == != < <= > >=")
        }
        op = found.0
        var left = text[..<found.1.lowerBound].trimmingCharacters(in: .whitespaces)
        let right = text[found.1.upperBound...].trimmingCharacters(in: .whitespaces)
        guard left.hasPrefix("$") else { throw JSONAssertionError(message: "the path must start with $") }
        length = left.hasSuffix(".length()")
        if length { left.removeLast(".length()".count) }
        path = try Self.parsePath(left.dropFirst())
        guard let literal = JSONLiteral(right) else { throw JSONAssertionError(message: "\(right) is not a JSON literal") }
        self.literal = literal
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\": \(error.message)"))
        }
    }

    private static func parsePath(_ text: Substring) throws(JSONAssertionError) -> [Step] {
        var steps: [Step] = []
        var rest = text
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let end = rest.firstIndex(where: { $0 == "." || $0 == "[" }) ?? rest.endIndex
                guard end > rest.startIndex else { throw JSONAssertionError(message: "empty key in path") }
                steps.append(.key(String(rest[..<end])))
                rest = rest[end...]
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { throw JSONAssertionError(message: "unclosed [ in path") }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                if let index = Int(inside) {
                    steps.append(.index(index))
                } else if inside.count >= 2, inside.first == "\"" || inside.first == "'", inside.last == inside.first {
                    steps.append(.key(String(inside.dropFirst().dropLast())))
                } else {
                    throw JSONAssertionError(message: "[\(inside)] is neither an index nor a quoted key")
                }
                rest = rest[rest.index(after: close)...]
            } else {
                throw JSONAssertionError(message: "unexpected \"\(rest.first!)\" in path")
            }
        }
        return steps
    }

    /// Whether `document` (from JSONSerialization) satisfies the assertion; nil value when the path is missing.
    public func evaluate(_ document: Any) -> Bool {
        var current: Any? = document
        for step in path {
            switch step {
            case .key(let key): current = (current as? [String: Any])?[key]
            case .index(let index):
                guard let array = current as? [Any], array.indices.contains(index) else { return false }
                current = array[index]
            }
        }
        guard let value = current else { return false }
        if length {
            let count: Int
            if let array = value as? [Any] { count = array.count }
            else if let object = value as? [String: Any] { count = object.count }
            else if let string = value as? String { count = string.count }
            else { return false }
            return compare(.number(Double(count)))
        }
        return compare(JSONLiteral(json: value))
    }

    private func compare(_ actual: JSONLiteral?) -> Bool {
        guard let actual else { return false }
        switch (actual, literal) {
        case (.number(let a), .number(let b)): return holds(a, b)
        case (.string(let a), .string(let b)): return holds(a, b)
        default:
            switch op {
            case .equal: return actual == literal
            case .notEqual: return actual != literal
            default: return false
            }
        }
    }

    private func holds<Value: Comparable>(_ a: Value, _ b: Value) -> Bool {
        switch op {
        case .equal: return a == b
        case .notEqual: return a != b
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        }
    }
}

public struct JSONAssertionError: Error, Sendable {
    public var message: String
}

/// A scalar JSON value, as assertions compare them.
public enum JSONLiteral: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init?(_ text: String) {
        switch text {
        case "true": self = .bool(true)
        case "false": self = .bool(false)
        case "null": self = .null
        default:
            if let number = Double(text) {
                self = .number(number)
            } else if text.count >= 2, text.first == "\"", text.last == "\"",
                      let decoded = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? String {
                self = .string(decoded)
            } else {
                return nil
            }
        }
    }

    init?(json value: Any) {
        switch value {
        case let string as String: self = .string(string)
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumber too, with the C type of a char.
            if String(cString: number.objCType) == "c" { self = .bool(number.boolValue) } else { self = .number(number.doubleValue) }
        case is NSNull: self = .null
        default: return nil
        }
    }
}
