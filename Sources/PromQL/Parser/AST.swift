import OutpostCore
import TSDB

/// The type an expression evaluates to.
public enum ValueType: String, Sendable {
    case scalar, string, vector = "instant vector", matrix = "range vector"
}

/// A parsed PromQL expression.
public indirect enum Expr: Sendable {
    case number(Double, PositionRange)
    case string(String, PositionRange)
    case vectorSelector(VectorSelector)
    case matrixSelector(MatrixSelector)
    case subquery(Subquery)
    case call(Call)
    case aggregate(Aggregate)
    case binary(Binary)
    case unary(UnaryOperator, Expr, PositionRange)
    case paren(Expr, PositionRange)

    public var type: ValueType {
        switch self {
        case .number: .scalar
        case .string: .string
        case .vectorSelector: .vector
        case .matrixSelector, .subquery: .matrix
        case .call(let call): call.function.returnType
        case .aggregate: .vector
        case .binary(let binary): binary.lhs.type == .scalar && binary.rhs.type == .scalar ? .scalar : .vector
        case .unary(_, let operand, _): operand.type
        case .paren(let inner, _): inner.type
        }
    }

    public var position: PositionRange {
        switch self {
        case .number(_, let p), .string(_, let p), .unary(_, _, let p), .paren(_, let p): p
        case .vectorSelector(let s): s.position
        case .matrixSelector(let m): m.position
        case .subquery(let s): s.position
        case .call(let c): c.position
        case .aggregate(let a): a.position
        case .binary(let b): b.position
        }
    }
}

/// `@` modifier: a fixed time in milliseconds, or the query's start or end.
public enum AtModifier: Sendable, Equatable {
    case timestamp(Int64)
    case start
    case end
}

public struct VectorSelector: Sendable {
    /// Unique within one parsed query, so the engine can cache fetched series per selector.
    public var id: Int
    public var name: String?
    public var matchers: [LabelMatcher]
    public var offset: Int64 = 0
    public var at: AtModifier?
    public var position: PositionRange
}

public struct MatrixSelector: Sendable {
    public var selector: VectorSelector
    public var range: Int64
    public var position: PositionRange
}

public struct Subquery: Sendable {
    public var expr: Expr
    public var range: Int64
    /// Zero means the engine's default evaluation interval.
    public var step: Int64
    public var offset: Int64 = 0
    public var at: AtModifier?
    public var position: PositionRange
}

public struct Call: Sendable {
    public var function: FunctionSignature
    public var args: [Expr]
    public var position: PositionRange
}

public enum AggregateOperator: String, Sendable, CaseIterable {
    case sum, min, max, avg, count, stddev, stdvar, group, topk, bottomk, quantile
    case countValues = "count_values", limitk, limitRatio = "limit_ratio"

    var hasParameter: Bool {
        switch self {
        case .topk, .bottomk, .quantile, .countValues, .limitk, .limitRatio: true
        default: false
        }
    }
}

public struct Aggregate: Sendable {
    public var op: AggregateOperator
    public var expr: Expr
    public var parameter: Expr?
    public var grouping: [String]
    public var without: Bool
    public var position: PositionRange
}

public enum UnaryOperator: String, Sendable {
    case plus = "+", minus = "-"
}

public enum BinaryOperator: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^", atan2
    case eql = "==", neq = "!=", gtr = ">", lss = "<", gte = ">=", lte = "<="
    case and, or, unless

    var isComparison: Bool {
        switch self {
        case .eql, .neq, .gtr, .lss, .gte, .lte: true
        default: false
        }
    }

    var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// Higher binds tighter.
    var precedence: Int {
        switch self {
        case .or: 1
        case .and, .unless: 2
        case .eql, .neq, .gtr, .lss, .gte, .lte: 3
        case .add, .sub: 4
        case .mul, .div, .mod, .atan2: 5
        case .pow: 6
        }
    }

    var isRightAssociative: Bool { self == .pow }
}

public enum VectorMatchCardinality: Sendable, Equatable {
    case oneToOne, manyToOne, oneToMany, manyToMany
}

/// `on`/`ignoring` and `group_left`/`group_right` of a binary operation between vectors.
public struct VectorMatching: Sendable {
    public var cardinality: VectorMatchCardinality = .oneToOne
    public var labels: [String] = []
    /// True for `on(...)`, false for `ignoring(...)` or no clause.
    public var on = false
    public var include: [String] = []
}

public struct Binary: Sendable {
    public var op: BinaryOperator
    public var lhs: Expr
    public var rhs: Expr
    public var returnBool: Bool
    public var matching: VectorMatching?
    public var position: PositionRange
}
