/// Byte offsets [start, end) of a node in the query text.
public struct PositionRange: Sendable, Equatable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}
