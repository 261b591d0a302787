extension Expr {
    /// Direct sub-expressions, in source order.
    public var children: [Expr] {
        switch self {
        case .number, .string, .vectorSelector: []
        case .matrixSelector(let m): [.vectorSelector(m.selector)]
        case .subquery(let s): [s.expr]
        case .call(let c): c.args
        case .aggregate(let a): (a.parameter.map { [$0] } ?? []) + [a.expr]
        case .binary(let b): [b.lhs, b.rhs]
        case .unary(_, let e, _), .paren(let e, _): [e]
        }
    }

    /// Every vector selector in the expression, those under range selectors included.
    public var selectors: [VectorSelector] {
        if case .vectorSelector(let s) = self { return [s] }
        return children.flatMap(\.selectors)
    }

    /// Names of all functions called anywhere in the expression.
    public var functionNames: Set<String> {
        var names: Set<String> = []
        if case .call(let c) = self { names.insert(c.function.name) }
        for child in children { names.formUnion(child.functionNames) }
        return names
    }

    /// The expression with `@ t` on every selector and subquery that has none, except inside a
    /// subquery that already has one — the rewrite Prometheus's test harness uses to check
    /// that pinned evaluation gives the same result.
    public func pinned(at t: Int64) -> Expr {
        switch self {
        case .number, .string: return self
        case .vectorSelector(var s):
            if s.at == nil { s.at = .timestamp(t) }
            return .vectorSelector(s)
        case .matrixSelector(var m):
            if m.selector.at == nil { m.selector.at = .timestamp(t) }
            return .matrixSelector(m)
        case .subquery(var s):
            // Selectors inside a pinned subquery keep following the subquery's steps.
            if s.at == nil { s.at = .timestamp(t) }
            return .subquery(s)
        case .call(var c):
            c.args = c.args.map { $0.pinned(at: t) }
            return .call(c)
        case .aggregate(var a):
            a.expr = a.expr.pinned(at: t)
            a.parameter = a.parameter?.pinned(at: t)
            return .aggregate(a)
        case .binary(var b):
            b.lhs = b.lhs.pinned(at: t)
            b.rhs = b.rhs.pinned(at: t)
            return .binary(b)
        case .unary(let op, let e, let p): return .unary(op, e.pinned(at: t), p)
        case .paren(let e, let p): return .paren(e.pinned(at: t), p)
        }
    }
}
