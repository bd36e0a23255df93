/// The expression of a `meta` rule, as SpamAssassin writes them: rule ids combined with
/// `&&`, `||`, `!` and parentheses, or counted with arithmetic, `(A + B + C) >= 2`.
///
/// A rule id is 1 when that rule (or built-in check) fired and 0 otherwise; the meta rule fires
/// when the whole expression is non-zero.
public indirect enum MetaExpression: Sendable, Hashable, CustomStringConvertible {
    public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
        case or = "||", and = "&&"
        case equal = "==", notEqual = "!="
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case plus = "+", minus = "-", times = "*", divided = "/"

        /// The value of `l op r` for the operators that look at both sides (`||` and `&&`
        /// short-circuit, so the engine's evaluator handles them).
        func apply(_ l: Double, _ r: Double) -> Double {
            switch self {
            case .equal: l == r ? 1 : 0
            case .notEqual: l != r ? 1 : 0
            case .less: l < r ? 1 : 0
            case .lessOrEqual: l <= r ? 1 : 0
            case .greater: l > r ? 1 : 0
            case .greaterOrEqual: l >= r ? 1 : 0
            case .plus: l + r
            case .minus: l - r
            case .times: l * r
            case .divided: r == 0 ? 0 : l / r
            case .or: l != 0 || r != 0 ? 1 : 0
            case .and: l != 0 && r != 0 ? 1 : 0
            }
        }

        /// Binding strength, as in Perl: `||` weakest, then `&&`, equality, comparison, sums, products.
        var precedence: Int {
            switch self {
            case .or: 1
            case .and: 2
            case .equal, .notEqual: 3
            case .less, .lessOrEqual, .greater, .greaterOrEqual: 4
            case .plus, .minus: 5
            case .times, .divided: 6
            }
        }
    }

    case reference(String)
    case number(Double)
    case not(MetaExpression)
    case negative(MetaExpression)
    case binary(BinaryOperator, MetaExpression, MetaExpression)

    /// Every rule or check id the expression mentions, in order of first mention.
    public var references: [String] {
        var seen: Set<String> = []
        var ordered: [String] = []
        func walk(_ e: MetaExpression) {
            switch e {
            case .reference(let name):
                if seen.insert(name).inserted { ordered.append(name) }
            case .number: break
            case .not(let inner), .negative(let inner): walk(inner)
            case .binary(_, let lhs, let rhs):
                walk(lhs)
                walk(rhs)
            }
        }
        walk(self)
        return ordered
    }

    public var description: String {
        switch self {
        case .reference(let name): return name
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .not(let inner): return "!" + inner.parenthesised
        case .negative(let inner): return "-" + inner.parenthesised
        case .binary(let op, let lhs, let rhs): return "\(lhs.parenthesised) \(op.rawValue) \(rhs.parenthesised)"
        }
    }

    private var parenthesised: String {
        if case .binary = self { return "(\(description))" }
        return description
    }
}

/// A syntax error in a meta expression, with the UTF-8 offset into the expression.
struct MetaSyntaxError: Error {
    var message: String
    var offset: Int
}

/// A small precedence-climbing parser for meta expressions.
struct MetaExpressionParser {
    private enum Token: Equatable {
        case identifier(String)
        case number(Double)
        case op(String)
        case open, close

        var isOperand: Bool {
            switch self {
            case .identifier, .number: true
            case .op, .open, .close: false
            }
        }
    }

    private var tokens: [(token: Token, offset: Int)] = []
    private var position = 0
    private let length: Int
    /// How deep parentheses, `!` and `-` may nest, and how many operands one expression may have.
    /// Parsing, evaluating and freeing an expression recurse through its tree, so an unbounded
    /// one from a hostile rule file would overflow the stack; real meta rules stay far below.
    static let maximumNesting = 64
    static let maximumOperands = 1000
    private var nesting = 0

    /// Parses `text`; `#` after white space starts a comment, as elsewhere in rule files.
    static func parse(_ text: String) throws(MetaSyntaxError) -> MetaExpression {
        var parser = try MetaExpressionParser(text)
        guard !parser.tokens.isEmpty else {
            throw MetaSyntaxError(message: "the meta rule has no expression", offset: 0)
        }
        let operands = parser.tokens.lazy.filter { $0.token.isOperand }
        if let past = operands.dropFirst(maximumOperands).first {
            throw MetaSyntaxError(
                message: "the meta expression has more than \(maximumOperands) operands; split it into sub-rules",
                offset: past.offset)
        }
        let expression = try parser.expression(minimumPrecedence: 1)
        if parser.position < parser.tokens.count {
            let (token, offset) = parser.tokens[parser.position]
            throw MetaSyntaxError(message: "unexpected \(Self.describe(token)) in the meta expression", offset: offset)
        }
        return expression
    }

    private init(_ text: String) throws(MetaSyntaxError) {
        let bytes = Array(text.utf8)
        length = bytes.count
        var i = 0
        func isIdentifierByte(_ b: UInt8) -> Bool {
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 {
                i += 1
                continue
            }
            let start = i
            if b >= 0x30 && b <= 0x39 || b == 0x2E {
                while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 || bytes[i] == 0x2E { i += 1 }
                let digits = String(decoding: bytes[start..<i], as: UTF8.self)
                guard let value = Double(digits) else {
                    throw MetaSyntaxError(message: "'\(digits)' is not a number", offset: start)
                }
                tokens.append((.number(value), start))
            } else if isIdentifierByte(b) {
                while i < bytes.count, isIdentifierByte(bytes[i]) { i += 1 }
                tokens.append((.identifier(String(decoding: bytes[start..<i], as: UTF8.self)), start))
            } else if b == 0x28 {
                tokens.append((.open, start))
                i += 1
            } else if b == 0x29 {
                tokens.append((.close, start))
                i += 1
            } else {
                let two = i + 1 < bytes.count ? String(decoding: bytes[i...i + 1], as: UTF8.self) : ""
                if ["&&", "||", "<=", ">=", "==", "!="].contains(two) {
                    tokens.append((.op(two), start))
                    i += 2
                } else if "!+-*/<>".utf8.contains(b) {
                    tokens.append((.op(String(UnicodeScalar(b))), start))
                    i += 1
                } else {
                    let character =
                        String(decoding: bytes[i..<min(i + 4, bytes.count)], as: UTF8.self)
                        .unicodeScalars.first.map { String($0) } ?? "?"
                    throw MetaSyntaxError(message: "unexpected '\(character)' in the meta expression", offset: start)
                }
            }
        }
    }

    private mutating func expression(minimumPrecedence: Int) throws(MetaSyntaxError) -> MetaExpression {
        var lhs = try unary()
        while position < tokens.count, case .op(let symbol) = tokens[position].token,
            let op = MetaExpression.BinaryOperator(rawValue: symbol), op.precedence >= minimumPrecedence
        {
            position += 1
            let rhs = try expression(minimumPrecedence: op.precedence + 1)
            lhs = .binary(op, lhs, rhs)
        }
        return lhs
    }

    private mutating func unary() throws(MetaSyntaxError) -> MetaExpression {
        guard position < tokens.count else {
            throw MetaSyntaxError(message: "the meta expression ends where an operand was expected", offset: length)
        }
        let (token, offset) = tokens[position]
        position += 1
        if token == .open || token == .op("!") || token == .op("-") {
            guard nesting < Self.maximumNesting else {
                throw MetaSyntaxError(
                    message: "the meta expression nests deeper than \(Self.maximumNesting) levels", offset: offset)
            }
            nesting += 1
        }
        defer { if token == .open || token == .op("!") || token == .op("-") { nesting -= 1 } }
        switch token {
        case .identifier(let name):
            guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else {
                throw MetaSyntaxError(message: "'\(name)' is not a rule id", offset: offset)
            }
            return .reference(name)
        case .number(let value):
            return .number(value)
        case .op("!"):
            return .not(try unary())
        case .op("-"):
            return .negative(try unary())
        case .open:
            let inner = try expression(minimumPrecedence: 1)
            guard position < tokens.count, tokens[position].token == .close else {
                throw MetaSyntaxError(message: "missing ')' to close the '(' here", offset: offset)
            }
            position += 1
            return inner
        default:
            throw MetaSyntaxError(
                message: "unexpected \(Self.describe(token)) where a rule id was expected", offset: offset)
        }
    }

    private static func describe(_ token: Token) -> String {
        switch token {
        case .identifier(let name): "'\(name)'"
        case .number(let value): "number \(value)"
        case .op(let symbol): "'\(symbol)'"
        case .open: "'('"
        case .close: "')'"
        }
    }
}
