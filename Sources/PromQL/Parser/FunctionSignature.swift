/// A PromQL function's name, argument types and result type.
public struct FunctionSignature: Sendable {
    public let name: String
    public let argTypes: [ValueType]
    /// How many trailing arguments may be left out (0: none); -1: the last type repeats without bound.
    public let variadic: Int
    public let returnType: ValueType

    init(_ name: String, _ argTypes: [ValueType], _ returnType: ValueType, variadic: Int = 0) {
        self.name = name
        self.argTypes = argTypes
        self.variadic = variadic
        self.returnType = returnType
    }

    /// Every function Prometheus 3.5 knows, experimental ones included.
    static let all: [String: FunctionSignature] = {
        var table: [String: FunctionSignature] = [:]
        func add(_ name: String, _ args: [ValueType], _ result: ValueType = .vector, variadic: Int = 0) {
            table[name] = FunctionSignature(name, args, result, variadic: variadic)
        }
        for name in ["abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "deg", "rad",
                     "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
                     "absent", "sort", "sort_desc", "timestamp",
                     "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar"] {
            add(name, [.vector])
        }
        for name in ["rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
                     "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
                     "last_over_time", "first_over_time", "stddev_over_time", "stdvar_over_time", "mad_over_time",
                     "present_over_time", "absent_over_time",
                     "ts_of_min_over_time", "ts_of_max_over_time", "ts_of_last_over_time", "ts_of_first_over_time"] {
            add(name, [.matrix])
        }
        for name in ["minute", "hour", "day_of_week", "day_of_month", "day_of_year", "days_in_month", "month", "year"] {
            add(name, [.vector], variadic: 1)
        }
        add("quantile_over_time", [.scalar, .matrix])
        add("predict_linear", [.matrix, .scalar])
        add("double_exponential_smoothing", [.matrix, .scalar, .scalar])
        add("clamp", [.vector, .scalar, .scalar])
        add("clamp_min", [.vector, .scalar])
        add("clamp_max", [.vector, .scalar])
        add("round", [.vector, .scalar], variadic: 1)
        add("histogram_quantile", [.scalar, .vector])
        add("histogram_fraction", [.scalar, .scalar, .vector])
        add("label_replace", [.vector, .string, .string, .string, .string])
        add("label_join", [.vector, .string, .string, .string], variadic: -1)
        add("sort_by_label", [.vector, .string], variadic: -1)
        add("sort_by_label_desc", [.vector, .string], variadic: -1)
        add("scalar", [.vector], .scalar)
        add("vector", [.scalar])
        add("time", [], .scalar)
        add("pi", [], .scalar)
        return table
    }()
}
