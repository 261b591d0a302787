/// Go's fmt package as templates use it: `%v` printing of values, Sprint, Sprintln and Sprintf.
enum GoFormat {
    /// `%v`.
    static func value(_ value: TemplateValue) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return GoNumber.format(number)
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .map(let map):
            return "map[" + sortedKeys(map.keys).map { $0 + ":" + Self.value(map[$0]!) }.joined(separator: " ") + "]"
        case .stringMap(let map):
            return "map[" + sortedKeys(map.keys).map { $0 + ":" + map[$0]! }.joined(separator: " ") + "]"
        case .list(let list): return "[" + list.map(Self.value).joined(separator: " ") + "]"
        case .record(let record):
            let body = "{" + record.fields.map { Self.value($0.value) }.joined(separator: " ") + "}"
            return record.typeName.hasPrefix("*") ? "&" + body : body
        case .time(let nanoseconds): return GoTime.string(unixNanoseconds: nanoseconds)
        case .duration(let nanoseconds): return GoTime.durationString(nanoseconds: nanoseconds)
        case .null: return "<nil>"
        }
    }

    /// Go orders map keys bytewise.
    static func sortedKeys(_ keys: some Collection<String>) -> [String] {
        keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    static func isString(_ value: TemplateValue) -> Bool {
        if case .string = value { return true }
        return false
    }

    /// fmt.Sprint: spaces between operands when neither side is a string.
    static func sprint(_ values: [TemplateValue]) -> String {
        var out = ""
        for (index, item) in values.enumerated() {
            if index > 0, !isString(item), !isString(values[index - 1]) { out += " " }
            out += value(item)
        }
        return out
    }

    /// fmt.Sprintln: always spaces, then a newline.
    static func sprintln(_ values: [TemplateValue]) -> String {
        values.map(value).joined(separator: " ") + "\n"
    }

    private struct Spec {
        var minus = false, plus = false, sharp = false, space = false, zero = false
        var width: Int?
        var precision: Int?

        var cFlags: String {
            (minus ? "-" : "") + (plus ? "+" : "") + (sharp ? "#" : "") + (space ? " " : "") + (zero ? "0" : "")
        }

        var cPrefix: String {
            "%" + cFlags + (width.map(String.init) ?? "") + (precision.map { "." + String($0) } ?? "")
        }

        func pad(_ text: String, zeroAllowed: Bool = false) -> String {
            guard let width, text.unicodeScalars.count < width else { return text }
            let fill = width - text.unicodeScalars.count
            if minus { return text + String(repeating: " ", count: fill) }
            if zero && zeroAllowed {
                var body = Substring(text)
                var sign = ""
                if let first = body.first, first == "-" || first == "+" {
                    sign = String(first)
                    body = body.dropFirst()
                }
                return sign + String(repeating: "0", count: fill) + body
            }
            return String(repeating: " ", count: fill) + text
        }
    }

    /// Go's fmt refuses widths and precisions beyond a million.
    private static let maxWidth = 1_000_000

    /// fmt.Sprintf with Go's verbs and its `%!verb(type=value)` complaints.
    static func sprintf(_ format: String, _ arguments: [TemplateValue]) -> String {
        var out = ""
        let scalars = Array(format.unicodeScalars)
        var index = 0
        var argumentIndex = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "%" else {
                out.unicodeScalars.append(scalar)
                index += 1
                continue
            }
            index += 1
            var spec = Spec()
            flags: while index < scalars.count {
                switch scalars[index] {
                case "-": spec.minus = true
                case "+": spec.plus = true
                case "#": spec.sharp = true
                case " ": spec.space = true
                case "0": spec.zero = !spec.minus
                default: break flags
                }
                index += 1
            }
            if index < scalars.count, scalars[index] == "*" {
                index += 1
                if argumentIndex < arguments.count, case .int(let width) = arguments[argumentIndex], abs(width) <= maxWidth {
                    spec.width = abs(width)
                    if width < 0 { spec.minus = true }
                } else {
                    out += "%!(BADWIDTH)"
                }
                argumentIndex += 1
            } else {
                var digits = ""
                while index < scalars.count, scalars[index].properties.numericType == .decimal, scalars[index].isASCII {
                    digits.unicodeScalars.append(scalars[index])
                    index += 1
                }
                spec.width = Int(digits).map { min($0, maxWidth) }
            }
            if index < scalars.count, scalars[index] == "." {
                index += 1
                if index < scalars.count, scalars[index] == "*" {
                    index += 1
                    if argumentIndex < arguments.count, case .int(let precision) = arguments[argumentIndex], precision >= 0,
                        precision <= maxWidth
                    {
                        spec.precision = precision
                    } else {
                        out += "%!(BADPREC)"
                    }
                    argumentIndex += 1
                } else {
                    var digits = ""
                    while index < scalars.count, scalars[index].isASCII, scalars[index].properties.numericType == .decimal {
                        digits.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    spec.precision = min(Int(digits) ?? 0, maxWidth)
                }
            }
            guard index < scalars.count else {
                out += "%!(NOVERB)"
                break
            }
            let verb = scalars[index]
            index += 1
            if verb == "%" {
                out += "%"
                continue
            }
            guard argumentIndex < arguments.count else {
                out += "%!" + String(verb) + "(MISSING)"
                continue
            }
            out += formatOne(arguments[argumentIndex], verb: verb, spec: spec)
            argumentIndex += 1
        }
        if argumentIndex < arguments.count {
            out += "%!(EXTRA "
            out += arguments[argumentIndex...].map { $0.goTypeName + "=" + value($0) }.joined(separator: ", ")
            out += ")"
        }
        return out
    }

    private static func bad(_ verb: Unicode.Scalar, _ argument: TemplateValue) -> String {
        if case .null = argument { return "%!" + String(verb) + "(<nil>)" }
        return "%!" + String(verb) + "(" + argument.goTypeName + "=" + value(argument) + ")"
    }

    private static func formatOne(_ argument: TemplateValue, verb: Unicode.Scalar, spec: Spec) -> String {
        switch (verb, argument) {
        case ("v", .number(let number)) where spec.precision == nil && !spec.plus:
            return spec.pad(GoNumber.format(number), zeroAllowed: true)
        case ("v", .duration) where !spec.sharp:
            return spec.pad(value(argument))
        case ("v", .int), ("d", .int), ("d", .duration):
            return formatInteger(argument, verb: "d", spec: spec)
        case ("v", _) where spec.sharp:
            if case .string(let text) = argument { return spec.pad(GoQuote.quote(text)) }
            return spec.pad(value(argument))
        case ("v", .number), ("e", .number), ("E", .number), ("f", .number), ("F", .number), ("g", .number),
            ("G", .number):
            guard case .number(let number) = argument else { return bad(verb, argument) }
            return formatFloat(number, verb: verb == "v" ? "g" : verb, spec: spec)
        case ("v", _), ("s", .string), ("s", .map), ("s", .stringMap), ("s", .list), ("s", .record), ("s", .time),
            ("s", .duration):
            var text = value(argument)
            if let precision = spec.precision, case .string = argument {
                text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(precision)))
            }
            return spec.pad(text)
        case ("q", .string(let text)):
            return spec.pad(GoQuote.quote(text))
        case ("q", .int(let code)):
            let scalar = Unicode.Scalar(UInt32(clamping: max(code, 0))) ?? "\u{FFFD}"
            return spec.pad("'" + GoQuote.escape(scalar, quote: "'") + "'")
        case ("x", .string(let text)), ("X", .string(let text)):
            let hex = text.utf8.map { GoQuote.hex(UInt32($0), width: 2, uppercase: verb == "X") }.joined()
            return spec.pad(hex)
        case ("x", .int), ("X", .int), ("o", .int), ("b", .int), ("c", .int), ("U", .int):
            return formatInteger(argument, verb: verb, spec: spec)
        case ("t", .bool(let flag)):
            return spec.pad(flag ? "true" : "false")
        default:
            return bad(verb, argument)
        }
    }

    private static func formatInteger(_ argument: TemplateValue, verb: Unicode.Scalar, spec: Spec) -> String {
        let number: Int
        switch argument {
        case .int(let value): number = value
        case .duration(let value):
            if verb == "d" && spec.width == nil { return String(value) }
            number = Int(value)
        default: return bad(verb, argument)
        }
        switch verb {
        case "c":
            let scalar = Unicode.Scalar(UInt32(clamping: max(number, 0))) ?? "\u{FFFD}"
            return spec.pad(String(scalar))
        case "U":
            return spec.pad("U+" + GoQuote.hex(UInt32(clamping: max(number, 0)), width: 4, uppercase: true))
        case "b":
            let digits = String(number.magnitude, radix: 2)
            return spec.pad((number < 0 ? "-" : spec.plus ? "+" : "") + digits, zeroAllowed: true)
        default:
            let cVerb = verb == "d" ? "ld" : "l" + String(verb)
            var text = CFormat.format(spec.cPrefix + cVerb, number)
            if verb != "d", number < 0 {
                // C prints negative numbers in hex/octal as two's complement; Go prints a sign.
                let magnitude = String(number.magnitude, radix: verb == "o" ? 8 : 16, uppercase: verb == "X")
                text = spec.pad("-" + (spec.sharp ? (verb == "o" ? "0" : verb == "X" ? "0X" : "0x") : "") + magnitude,
                                zeroAllowed: true)
            }
            return text
        }
    }

    private static func formatFloat(_ number: Double, verb: Unicode.Scalar, spec: Spec) -> String {
        if number.isNaN || number.isInfinite {
            var text = number.isNaN ? "NaN" : number < 0 ? "-Inf" : "+Inf"
            if number.isNaN && spec.plus { text = "+NaN" }
            if number.isNaN && spec.space && !spec.plus { text = " NaN" }
            return spec.pad(text)
        }
        if verb == "g" || verb == "G", spec.precision == nil {
            var text = GoNumber.format(number)
            if verb == "G" { text = text.uppercased() }
            if spec.plus, number >= 0 { text = "+" + text } else if spec.space, number >= 0 { text = " " + text }
            return spec.pad(text, zeroAllowed: true)
        }
        let cVerb = verb == "F" ? "f" : String(verb)
        return CFormat.format(spec.cPrefix + cVerb, number)
    }
}
