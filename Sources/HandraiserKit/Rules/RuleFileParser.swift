import HandraiserMatching
import HandraiserModel

/// Reads the SpamAssassin-style rule-file syntax, one directive per line:
///
/// ```
/// body     NAME /re/flags
/// rawbody  NAME /re/flags
/// header   NAME field =~ /re/flags        (or !~; fields author, email, url, ip, post_title)
/// uri      NAME /re/flags
/// meta     NAME (A && !B) || (C + D + E) >= 2
/// score    NAME 2.5
/// describe NAME text
/// required_score 5.0
/// hold_score 3.0
/// test     NAME hit|miss "text" [field="value" …]
/// ```
/// `#` after white space (or at the start of a line) begins a comment, except inside a pattern
/// or a quoted example; `\#` is a literal `#` in descriptions. Patterns are compiled here, so a
/// bad one is reported with its file, line and the column PCRE2 points at.
struct RuleFileParser {
    let file: String
    /// Whether each pattern is compiled while parsing, to point at its column when it is bad.
    /// The embedded defaults skip it: their patterns are compiled by the engine anyway, and a
    /// second compilation of every one was a seventh of a one-comment run's start-up.
    let checksPatterns: Bool
    private var set = RuleSet()
    private var firstDefinition: [String: SourceLocation] = [:]

    init(file: String, checksPatterns: Bool = true) {
        self.file = file
        self.checksPatterns = checksPatterns
    }

    mutating func parse(_ text: String) throws(RuleFileError) -> RuleSet {
        var lineNumber = 0
        // Split on bytes: "\r\n" is a single Character, so a Character split would miss it. The
        // bytes are copied out once: splitting the string's UTF-8 view itself was slow.
        let all = Array(text.utf8)
        for rawLine in all.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var bytes = Array(rawLine)
            if bytes.last == 0x0D { bytes.removeLast() }
            if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            var cursor = LineCursor(bytes: bytes, file: file, line: lineNumber, checksPatterns: checksPatterns)
            try parseLine(&cursor)
        }
        return set
    }

    private mutating func parseLine(_ cursor: inout LineCursor) throws(RuleFileError) {
        cursor.skipSpaces()
        if cursor.atEndOrComment { return }
        let (directive, directiveColumn) = cursor.word()
        switch directive {
        case "body", "rawbody", "uri":
            let (name, location) = try cursor.ruleName(after: directive)
            let (pattern, options, source) = try cursor.patternLiteral()
            let kind: Rule.Kind = directive == "body" ? .body : directive == "rawbody" ? .rawbody : .uri
            define(Rule(name: name, kind: kind, pattern: pattern, options: options, source: source, location: location))
        case "header":
            let (name, location) = try cursor.ruleName(after: directive)
            cursor.skipSpaces()
            let (fieldName, fieldColumn) = cursor.word(stoppingAt: [0x3D, 0x21])
            guard !fieldName.isEmpty else {
                throw cursor.error("header rule \(name) needs a field, e.g. author =~ /re/")
            }
            guard let field = HeaderField(ruleFileName: fieldName) else {
                let known = HeaderField.allCases.map(\.rawValue).joined(separator: ", ")
                throw cursor.error("unknown header field '\(fieldName)' (use \(known))", column: fieldColumn)
            }
            cursor.skipSpaces()
            let negated: Bool
            if cursor.consume("=~") {
                negated = false
            } else if cursor.consume("!~") {
                negated = true
            } else {
                throw cursor.error("expected =~ or !~ after the field name in header rule \(name)")
            }
            let (pattern, options, source) = try cursor.patternLiteral()
            define(
                Rule(
                    name: name, kind: .header(field, negated: negated), pattern: pattern, options: options,
                    source: "\(field.rawValue) \(negated ? "!~" : "=~") \(source)", location: location))
        case "meta":
            let (name, location) = try cursor.ruleName(after: directive)
            cursor.skipSpaces()
            let expressionColumn = cursor.column
            let text = cursor.restOfLine(decodingEscapes: false)
            let expression: MetaExpression
            do {
                expression = try MetaExpressionParser.parse(text)
            } catch {
                throw cursor.error(error.message, column: expressionColumn + error.offset)
            }
            define(Rule(name: name, kind: .meta(expression), source: text, location: location))
        case "score":
            let (name, location) = try cursor.ruleName(after: directive)
            let value = try cursor.number(for: "score \(name)")
            set.setScore(value, for: name, location: location)
        case "describe":
            let (name, location) = try cursor.ruleName(after: directive)
            cursor.skipSpaces()
            let text = cursor.restOfLine(decodingEscapes: true)
            guard !text.isEmpty else { throw cursor.error("describe \(name) needs a description") }
            set.setDescription(text, for: name, location: location)
        case "required_score":
            set.requiredScore = try cursor.number(for: directive)
        case "hold_score":
            set.holdScore = try cursor.number(for: directive)
        case "test":
            set.tests.append(try cursor.example())
        default:
            throw cursor.error("unknown directive '\(directive)'", column: directiveColumn)
        }
    }

    private mutating func define(_ rule: Rule) {
        if let first = firstDefinition[rule.name] {
            set.redefinitions.append((rule.name, rule.location, first))
            set.add(rule)
        } else {
            // A name not seen before in this file is not in `set`: append without searching it
            // (a search per rule made 100 000 rules take minutes).
            firstDefinition[rule.name] = rule.location
            set.rules.append(rule)
        }
    }
}

/// A position in one line of a rule file, read as UTF-8 bytes.
struct LineCursor {
    let bytes: [UInt8]
    let file: String
    let line: Int
    let checksPatterns: Bool
    private(set) var index = 0

    init(bytes: [UInt8], file: String, line: Int, checksPatterns: Bool = true) {
        self.bytes = bytes
        self.file = file
        self.line = line
        self.checksPatterns = checksPatterns
    }

    /// The 1-based byte column of the cursor.
    var column: Int { index + 1 }

    var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    func error(_ message: String, column: Int? = nil) -> RuleFileError {
        RuleFileError(file: file, line: line, column: column ?? self.column, message: message)
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    mutating func skipSpaces() {
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
    }

    /// At the end of the line, or at a `#` that starts a comment.
    var atEndOrComment: Bool {
        index >= bytes.count || (bytes[index] == 0x23 && (index == 0 || Self.isSpace(bytes[index - 1])))
    }

    /// The next run of non-space bytes (stopping early at any of `stops`), and its column.
    mutating func word(stoppingAt stops: Set<UInt8> = []) -> (String, Int) {
        let start = index
        while index < bytes.count, !Self.isSpace(bytes[index]), !stops.contains(bytes[index]) { index += 1 }
        return (String(decoding: bytes[start..<index], as: UTF8.self), start + 1)
    }

    mutating func consume(_ literal: String) -> Bool {
        let expected = Array(literal.utf8)
        guard bytes[index...].starts(with: expected) else { return false }
        index += expected.count
        return true
    }

    /// A rule name: letters, digits and `_`.
    mutating func ruleName(after directive: String) throws(RuleFileError) -> (String, SourceLocation) {
        skipSpaces()
        let location = SourceLocation(file: file, line: line, column: column)
        let (name, nameColumn) = word()
        guard !name.isEmpty else { throw error("\(directive) needs a rule name") }
        guard name.utf8.allSatisfy(Self.isNameByte) else {
            throw error("'\(name)' is not a rule name (use letters, digits and _)", column: nameColumn)
        }
        return (name, SourceLocation(file: file, line: line, column: location.column))
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }

    /// One number and nothing else on the line.
    mutating func number(for what: String) throws(RuleFileError) -> Double {
        skipSpaces()
        let valueColumn = column
        let text = restOfLine(decodingEscapes: false)
        guard !text.isEmpty else { throw error("\(what) needs a number", column: valueColumn) }
        guard let value = Double(text), value.isFinite else {
            throw error("\(what) expects one number, not '\(text)'", column: valueColumn)
        }
        return value
    }

    /// The rest of the line without its comment, trimmed.
    mutating func restOfLine(decodingEscapes: Bool) -> String {
        var out: [UInt8] = []
        while index < bytes.count, !atEndOrComment {
            if decodingEscapes, bytes[index] == 0x5C, index + 1 < bytes.count, bytes[index + 1] == 0x23 {
                out.append(0x23)
                index += 2
                continue
            }
            out.append(bytes[index])
            index += 1
        }
        while let last = out.last, Self.isSpace(last) { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// Nothing but white space or a comment may follow.
    func expectEnd(after what: String) throws(RuleFileError) {
        var probe = self
        probe.skipSpaces()
        guard probe.atEndOrComment else {
            throw probe.error("unexpected text after \(what) (a comment needs a space before #)")
        }
    }

    /// A Perl-style pattern literal, `/re/flags` or `m{re}flags`, compiled to check it.
    mutating func patternLiteral() throws(RuleFileError) -> (String, PatternOptions, String) {
        skipSpaces()
        let literalStart = index
        guard index < bytes.count else { throw error("expected a pattern written /like this/flags") }
        var open = bytes[index]
        if open == 0x6D, index + 1 < bytes.count, !Self.isNameByte(bytes[index + 1]), !Self.isSpace(bytes[index + 1]) {
            index += 1
            open = bytes[index]
        }
        guard !Self.isNameByte(open), !Self.isSpace(open), open != 0x5C, open < 0x80 else {
            throw error("expected a pattern written /like this/flags")
        }
        let close: UInt8 =
            switch open {
            case 0x7B: 0x7D  // { }
            case 0x28: 0x29  // ( )
            case 0x5B: 0x5D  // [ ]
            case 0x3C: 0x3E  // < >
            default: open
            }
        let openColumn = column
        index += 1
        let bodyStart = index
        while index < bytes.count, bytes[index] != close {
            index += bytes[index] == 0x5C ? 2 : 1
        }
        guard index < bytes.count else {
            throw error("the pattern opened here has no closing \(UnicodeScalar(close))", column: openColumn)
        }
        var body = Array(bytes[bodyStart..<index])
        index += 1
        var options = PatternOptions()
        while index < bytes.count, !Self.isSpace(bytes[index]) {
            switch bytes[index] {
            case 0x69: options.caseInsensitive = true
            case 0x6D: options.multiline = true
            case 0x73: options.dotMatchesNewlines = true
            case 0x78: options.extended = true
            default:
                let flag = String(decoding: bytes[index..<min(index + 1, bytes.count)], as: UTF8.self)
                throw error("unknown pattern flag '\(flag)' (use i, m, s or x)")
            }
            index += 1
        }
        let source = String(decoding: bytes[literalStart..<index], as: UTF8.self)
        try expectEnd(after: "the pattern")
        if close != 0x2F {
            // Perl lets the delimiter appear escaped inside; PCRE2 must see it bare.
            var unescaped: [UInt8] = []
            var i = 0
            while i < body.count {
                if body[i] == 0x5C, i + 1 < body.count, body[i + 1] == close || body[i + 1] == open {
                    i += 1
                }
                unescaped.append(body[i])
                i += 1
            }
            body = unescaped
        }
        let pattern = String(decoding: body, as: UTF8.self)
        guard checksPatterns else { return (pattern, options, source) }
        do {
            _ = try PCRE2Pattern(pattern, options: options)
        } catch {
            throw self.error(
                "pattern does not compile: \(error.message) at offset \(error.offset)",
                column: bodyStart + 1 + error.offset)
        }
        return (pattern, options, source)
    }

    /// `NAME hit|miss "text"` with optional `field="value"` pairs.
    mutating func example() throws(RuleFileError) -> RuleExample {
        let (name, location) = try ruleName(after: "test")
        skipSpaces()
        let (word, wordColumn) = word()
        guard let expectation = RuleExample.Expectation(rawValue: word) else {
            throw error("test \(name) needs 'hit' or 'miss', not '\(word)'", column: wordColumn)
        }
        skipSpaces()
        let text = try quoted()
        var example = RuleExample(ruleID: name, expectation: expectation, text: text, location: location)
        while true {
            skipSpaces()
            if atEndOrComment { break }
            let (key, keyColumn) = self.word(stoppingAt: [0x3D])
            guard consume("=") else { throw error("expected key=\"value\" after the example text", column: keyColumn) }
            let value = try quoted()
            if let field = HeaderField(ruleFileName: key) {
                example.fields[field] = value
            } else if key == "uri" {
                example.uris.append(value)
            } else if key == "facts" {
                example.facts.formUnion(value.split(separator: " ").map(String.init))
            } else {
                let known = HeaderField.allCases.map(\.rawValue).joined(separator: ", ")
                throw error("unknown example field '\(key)' (use \(known), uri or facts)", column: keyColumn)
            }
        }
        return example
    }

    /// A double-quoted string with `\"`, `\\` and `\n` escapes; other backslashes stay as written.
    private mutating func quoted() throws(RuleFileError) -> String {
        guard index < bytes.count, bytes[index] == 0x22 else { throw error("expected a \"quoted\" text") }
        let openColumn = column
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x22 {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == 0x5C, index + 1 < bytes.count {
                let next = bytes[index + 1]
                switch next {
                case 0x22, 0x5C: out.append(next)
                case 0x6E: out.append(0x0A)
                default: out += [b, next]
                }
                index += 2
                continue
            }
            out.append(b)
            index += 1
        }
        throw error("the quoted text opened here has no closing \"", column: openColumn)
    }
}
