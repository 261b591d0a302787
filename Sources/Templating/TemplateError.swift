/// A parse or execution error, worded as Go's text/template words it.
public struct TemplateError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// What a template function reports; the executor wraps it as `error calling NAME: MESSAGE`.
public struct TemplateFunctionError: Error, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}
