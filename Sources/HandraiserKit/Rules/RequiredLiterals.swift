/// The literal strings at least one of which every match of a pattern must contain, so the
/// engine can skip a pattern on text that holds none of them (SpamAssassin's `sa-compile` and
/// Rspamd's Hyperscan prefilter work the same way).
///
/// Literals are ASCII and lowercased: the text they are looked for in is folded the same way
/// (`LiteralAutomaton`), which keeps the test valid for case-insensitive patterns. Anything the
/// reader does not fully understand (subroutine calls, conditionals, inline `x`, verbs, a `{`
/// that is not a quantifier) gives no literals, and the rule then always runs: being unsure
/// costs speed, never a match.
enum RequiredLiterals {
    /// Shorter literals are in most texts and would filter nothing, except a pair that holds
    /// punctuation (`r=` of a referral link), which prose seldom has (`isSelective`).
    static let minimumLength = 3
    /// A node's set of whole strings is kept up to this many (`colou?r` → color, colour).
    static let maximumExact = 32
    /// A rule is prefiltered with at most this many alternatives.
    static let maximumRequired = 64

    /// The literals of `pattern`, or nil when the pattern gives none that are worth testing.
    static func of(_ pattern: String, extended: Bool) -> [[UInt8]]? {
        var parser = Parser(bytes: Array(pattern.utf8), extended: extended)
        let info = parser.alternation()
        guard !parser.failed, parser.position == parser.bytes.count else { return nil }
        guard let literals = best(info) else { return nil }
        guard literals.count <= maximumRequired, literals.allSatisfy(isSelective) else { return nil }
        // A literal that holds another one adds nothing: the shorter is found wherever it is.
        let sorted = literals.sorted { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
        var minimal: [[UInt8]] = []
        for literal in sorted where !minimal.contains(where: { contains(literal, $0) }) { minimal.append(literal) }
        return minimal.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The literals of a disallowed key's pattern (`RuleSet.literalPattern`): the folded key
    /// itself when it is printable ASCII, as `of` finds, without parsing the escaped pattern
    /// (a list of thousands of keys is read on every run); `of` for any other key.
    static func ofDisallowedKey(_ key: String) -> [[UInt8]]? {
        guard key.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            return of(RuleSet.literalPattern(key), extended: false)
        }
        let folded = key.utf8.map(LiteralAutomaton.fold)
        return isSelective(folded) ? [folded] : nil
    }

    /// Whether a literal is rare enough in text to be worth testing for.
    static func isSelective(_ literal: [UInt8]) -> Bool {
        if literal.count >= minimumLength { return true }
        guard literal.count == 2 else { return false }
        return literal.contains { byte in
            let letterOrDigit = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            let common = byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "'")
            return byte > 0x20 && byte < 0x7F && !letterOrDigit && !common
        }
    }

    /// Whether `needle` occurs in `haystack` (both short: a plain scan).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        guard !needle.isEmpty else { return true }
        outer: for start in 0...(haystack.count - needle.count) {
            for k in 0..<needle.count where haystack[start + k] != needle[k] { continue outer }
            return true
        }
        return false
    }

    /// What is known of the strings a part of a pattern matches.
    struct Info {
        /// Every string the part can match, when there are few (nil: too many or unknown).
        var exact: LiteralSet?
        /// One of these occurs in every match (nil: nothing known).
        var required: LiteralSet?

        static let unknown = Info(exact: nil, required: nil)
        static let empty = Info(exact: [[]], required: nil)
    }

    /// The more selective of what is required and the exact strings: the one whose shortest
    /// literal is longest, then the one with fewer literals. A set holding "" requires nothing.
    static func best(_ info: Info) -> LiteralSet? {
        better(info.required, info.exact)
    }

    static func better(_ a: LiteralSet?, _ b: LiteralSet?) -> LiteralSet? {
        func quality(_ set: LiteralSet?) -> (Int, Int)? {
            guard let set, !set.isEmpty else { return nil }
            var shortest = Int.max
            for literal in set where literal.count < shortest { shortest = literal.count }
            return shortest > 0 ? (shortest, -set.count) : nil
        }
        switch (quality(a), quality(b)) {
        case (nil, nil): return nil
        case (_, nil): return a
        case (nil, _): return b
        case (let qa?, let qb?): return qa >= qb ? a : b
        }
    }

    /// Reads a sequence of atoms: the current run of exactly known atoms grows into longer
    /// literals (`b`,`u`,`y` → buy); an unknown atom closes the run, which then counts as one
    /// requirement among the others, and a new run starts after it.
    struct SequenceBuilder {
        private var required: LiteralSet?
        /// The current run's strings; most runs are one literal growing a byte at a time, in place.
        private var run: [[UInt8]] = [[]]
        /// Whether an atom ever closed a run: then the sequence as a whole has no exact strings.
        private var broken = false

        mutating func append(_ atom: Info) {
            // The atom's own exact strings join the run; its requirement counts on its own.
            required = better(required, atom.required)
            guard let exact = atom.exact else {
                close()
                run = [[]]
                return
            }
            if exact.count == 1, run.count == 1, let only = exact.first {
                run[0].append(contentsOf: only)
            } else if run.count * exact.count <= maximumExact {
                var product: [[UInt8]] = []
                product.reserveCapacity(run.count * exact.count)
                for x in run {
                    for y in exact { product.append(x + y) }
                }
                run = product
            } else {
                close()
                run = exact.strings
            }
        }

        /// The same as appending a one-letter atom, without building its set. (A letter requires
        /// nothing of its own, and `required` is always what `better` returns, which `better`
        /// with nothing leaves as it is.)
        mutating func append(byte: UInt8) {
            if run.count <= maximumExact {
                for index in run.indices { run[index].append(byte) }
            } else {
                close()
                run = [[byte]]
            }
        }

        private mutating func close() {
            required = better(required, LiteralSet(run))
            broken = true
        }

        var info: Info {
            let strings = LiteralSet(run)
            return Info(exact: broken ? nil : strings, required: better(required, strings))
        }
    }

    static func alternate(_ a: Info, _ b: Info) -> Info {
        var exact: LiteralSet?
        if let left = a.exact, let right = b.exact, left.count + right.count <= maximumExact {
            exact = left.union(right)
        }
        var required: LiteralSet?
        if let left = best(a), let right = best(b), left.count + right.count <= maximumRequired {
            required = left.union(right)
        }
        return Info(exact: exact, required: required)
    }

    /// A recursive-descent reader of PCRE2 syntax, just far enough to know what is literal.
    struct Parser {
        let bytes: [UInt8]
        var extended: Bool
        var position = 0
        var failed = false

        init(bytes: [UInt8], extended: Bool) {
            self.bytes = bytes
            self.extended = extended
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }
        var next: UInt8? { position + 1 < bytes.count ? bytes[position + 1] : nil }

        /// An ASCII byte that stands for itself where an atom starts.
        static func isPlainLiteral(_ byte: UInt8) -> Bool {
            guard byte < 0x80 else { return false }
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "."), UInt8(ascii: "|"),
                UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                return false
            default:
                return true
            }
        }

        static func isQuantifier(_ byte: UInt8?) -> Bool {
            byte == UInt8(ascii: "?") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "{")
        }

        mutating func alternation() -> Info {
            var result = sequence()
            while !failed, current == UInt8(ascii: "|") {
                position += 1
                result = alternate(result, sequence())
            }
            return result
        }

        mutating func sequence() -> Info {
            var builder = SequenceBuilder()
            while !failed, let byte = current, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
                if extended && skipExtendedSpace() { continue }
                // Most of a pattern is plain letters: grown in place, without a set per letter
                // (those sets were most of the start-up's literal extraction).
                if !extended, Self.isPlainLiteral(byte), !Self.isQuantifier(next) {
                    position += 1
                    builder.append(byte: LiteralAutomaton.fold(byte))
                    continue
                }
                let atom = self.atom()
                if failed { break }
                builder.append(quantified(atom))
            }
            return builder.info
        }

        /// In `x` mode white space and `#` comments between atoms are not part of the pattern.
        mutating func skipExtendedSpace() -> Bool {
            guard let byte = current else { return false }
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                position += 1
                return true
            }
            if byte == UInt8(ascii: "#") {
                while let next = current, next != 0x0A { position += 1 }
                return true
            }
            return false
        }

        mutating func quantified(_ atom: Info) -> Info {
            if extended { while skipExtendedSpace() {} }
            guard let byte = current else { return atom }
            enum Repeat { case optional, any, atLeastOnce }
            let repeats: Repeat
            switch byte {
            case UInt8(ascii: "?"):
                repeats = .optional
                position += 1
            case UInt8(ascii: "*"):
                repeats = .any
                position += 1
            case UInt8(ascii: "+"):
                repeats = .atLeastOnce
                position += 1
            case UInt8(ascii: "{"):
                guard let (low, high) = braceQuantifier() else {
                    failed = true
                    return .unknown
                }
                repeats = low > 0 ? .atLeastOnce : high == 1 ? .optional : .any
            default:
                return atom
            }
            // Lazy and possessive forms match the same strings.
            if let next = current, next == UInt8(ascii: "?") || next == UInt8(ascii: "+") { position += 1 }
            switch repeats {
            case .optional:
                guard var exact = atom.exact else { return .unknown }
                exact.insert([])
                return Info(exact: exact, required: nil)
            case .any:
                return .unknown
            case .atLeastOnce:
                return Info(exact: nil, required: best(atom))
            }
        }

        /// `{n}`, `{n,}` or `{n,m}` at the cursor, read up to and past its `}`.
        mutating func braceQuantifier() -> (Int, Int?)? {
            var index = position + 1
            func number() -> Int? {
                var value = 0
                var digits = 0
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, digits < 6 {
                    value = value * 10 + Int(bytes[index] - 0x30)
                    index += 1
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            guard let low = number() else { return nil }
            var high: Int? = low
            if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                index += 1
                high = number()
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "}") else { return nil }
            position = index + 1
            return (low, high)
        }

        mutating func atom() -> Info {
            guard let byte = current else { return .empty }
            switch byte {
            case UInt8(ascii: "("):
                return group()
            case UInt8(ascii: "["):
                return characterClass()
            case UInt8(ascii: "\\"):
                return escape()
            case UInt8(ascii: "."):
                position += 1
                return .unknown
            case UInt8(ascii: "^"), UInt8(ascii: "$"):
                position += 1
                return .empty
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
                // A quantifier with nothing to repeat, or a literal brace: not worth the doubt.
                failed = true
                return .unknown
            default:
                if byte >= 0x80 {
                    // A non-ASCII character: one atom, unknown (the literals are ASCII only).
                    position += 1
                    while let next = current, next & 0xC0 == 0x80 { position += 1 }
                    return .unknown
                }
                position += 1
                return literal(byte)
            }
        }

        func literal(_ byte: UInt8) -> Info {
            Info(exact: [[LiteralAutomaton.fold(byte)]], required: nil)
        }

        mutating func group() -> Info {
            position += 1
            var lookaround = false
            if current == UInt8(ascii: "*") {
                failed = true  // (*VERB)
                return .unknown
            }
            if current == UInt8(ascii: "?") {
                position += 1
                guard let kind = current else {
                    failed = true
                    return .unknown
                }
                switch kind {
                case UInt8(ascii: "#"):
                    while let next = current, next != UInt8(ascii: ")") { position += 1 }
                    guard current != nil else {
                        failed = true
                        return .unknown
                    }
                    position += 1
                    return .empty
                case UInt8(ascii: ":"), UInt8(ascii: "|"), UInt8(ascii: ">"):
                    position += 1
                case UInt8(ascii: "="), UInt8(ascii: "!"):
                    position += 1
                    lookaround = true
                case UInt8(ascii: "<"):
                    position += 1
                    if current == UInt8(ascii: "=") || current == UInt8(ascii: "!") {
                        position += 1
                        lookaround = true
                    } else if !skipName(until: UInt8(ascii: ">")) {
                        return .unknown
                    }
                case UInt8(ascii: "P"):
                    position += 1
                    guard current == UInt8(ascii: "<") else {
                        failed = true  // (?P>name) or (?P=name): a call or back-reference
                        return .unknown
                    }
                    position += 1
                    if !skipName(until: UInt8(ascii: ">")) { return .unknown }
                case UInt8(ascii: "'"):
                    position += 1
                    if !skipName(until: UInt8(ascii: "'")) { return .unknown }
                default:
                    // Option letters: (?i) (?-s) (?i:…); anything else is beyond this reader.
                    var sawColon = false
                    while let next = current {
                        if next == UInt8(ascii: ")") { break }
                        if next == UInt8(ascii: ":") {
                            sawColon = true
                            break
                        }
                        guard "imsnU-J".utf8.contains(next) else {
                            failed = true  // x changes how the rest reads; digits, R, &, ( are calls or conditions
                            return .unknown
                        }
                        position += 1
                    }
                    guard current != nil else {
                        failed = true
                        return .unknown
                    }
                    position += 1
                    if !sawColon { return .empty }
                }
            }
            let inner = alternation()
            guard !failed, current == UInt8(ascii: ")") else {
                failed = true
                return .unknown
            }
            position += 1
            return lookaround ? .empty : inner
        }

        mutating func skipName(until terminator: UInt8) -> Bool {
            while let next = current, next != terminator {
                guard
                    next == UInt8(ascii: "_") || (next | 0x20 >= 0x61 && next | 0x20 <= 0x7A)
                        || (next >= 0x30 && next <= 0x39)
                else {
                    failed = true
                    return false
                }
                position += 1
            }
            guard current == terminator else {
                failed = true
                return false
            }
            position += 1
            return true
        }

        /// A bracketed class: a few plain ASCII characters become alternatives, anything else is unknown.
        mutating func characterClass() -> Info {
            position += 1
            var negated = false
            if current == UInt8(ascii: "^") {
                negated = true
                position += 1
            }
            var members = Set<UInt8>()
            var understood = true
            var first = true
            while let byte = current {
                if byte == UInt8(ascii: "]") && !first { break }
                first = false
                if byte == UInt8(ascii: "[") && position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: ":") {
                    // [:alpha:]
                    understood = false
                    position += 2
                    while let next = current, next != UInt8(ascii: "]") { position += 1 }
                    position += 1
                    continue
                }
                if byte == UInt8(ascii: "\\") {
                    position += 1
                    guard let escaped = current else { break }
                    position += 1
                    if escaped < 0x80 && !(escaped | 0x20 >= 0x61 && escaped | 0x20 <= 0x7A)
                        && !(escaped >= 0x30 && escaped <= 0x39)
                    {
                        members.insert(LiteralAutomaton.fold(escaped))
                    } else {
                        understood = false
                        if escaped == UInt8(ascii: "p") || escaped == UInt8(ascii: "P") || escaped == UInt8(ascii: "x")
                        {
                            skipBracedArgument()
                        }
                    }
                    continue
                }
                if byte >= 0x80 {
                    understood = false
                    position += 1
                    continue
                }
                if byte == UInt8(ascii: "-") && !members.isEmpty && position + 1 < bytes.count
                    && bytes[position + 1] != UInt8(ascii: "]")
                {
                    understood = false  // a range: a-z is too many to list
                    position += 1
                    continue
                }
                members.insert(LiteralAutomaton.fold(byte))
                position += 1
            }
            guard current == UInt8(ascii: "]") else {
                failed = true
                return .unknown
            }
            position += 1
            guard understood, !negated, !members.isEmpty, members.count <= 4 else { return .unknown }
            return Info(exact: LiteralSet(members.map { [$0] }), required: nil)
        }

        /// After `\p`, `\P` or `\x`: `{…}` or one character.
        mutating func skipBracedArgument() {
            if current == UInt8(ascii: "{") {
                while let next = current, next != UInt8(ascii: "}") { position += 1 }
                position += 1
            } else if current != nil {
                position += 1
            }
        }

        mutating func escape() -> Info {
            position += 1
            guard let byte = current else {
                failed = true
                return .unknown
            }
            position += 1
            switch byte {
            case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "A"), UInt8(ascii: "Z"), UInt8(ascii: "z"),
                UInt8(ascii: "G"), UInt8(ascii: "K"):
                return .empty
            case UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "w"), UInt8(ascii: "W"), UInt8(ascii: "s"),
                UInt8(ascii: "S"), UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "v"), UInt8(ascii: "V"),
                UInt8(ascii: "R"), UInt8(ascii: "N"), UInt8(ascii: "X"), UInt8(ascii: "C"):
                return .unknown
            case UInt8(ascii: "p"), UInt8(ascii: "P"):
                skipBracedArgument()
                return .unknown
            case UInt8(ascii: "n"): return literal(0x0A)
            case UInt8(ascii: "t"): return literal(0x09)
            case UInt8(ascii: "r"): return literal(0x0D)
            case UInt8(ascii: "f"): return literal(0x0C)
            case UInt8(ascii: "e"): return literal(0x1B)
            case UInt8(ascii: "a"): return literal(0x07)
            case UInt8(ascii: "x"):
                var value = 0
                var digits = 0
                if current == UInt8(ascii: "{") {
                    position += 1
                    while let next = current, next != UInt8(ascii: "}"), let digit = Self.hexDigit(next) {
                        value = value * 16 + digit
                        digits += 1
                        position += 1
                        if digits > 8 { break }
                    }
                    guard current == UInt8(ascii: "}") else {
                        failed = true
                        return .unknown
                    }
                    position += 1
                } else {
                    while digits < 2, let next = current, let digit = Self.hexDigit(next) {
                        value = value * 16 + digit
                        digits += 1
                        position += 1
                    }
                }
                return value < 0x80 && value > 0 ? literal(UInt8(value)) : .unknown
            case UInt8(ascii: "Q"):
                var builder = SequenceBuilder()
                while position < bytes.count {
                    if bytes[position] == UInt8(ascii: "\\") && position + 1 < bytes.count
                        && bytes[position + 1] == UInt8(ascii: "E")
                    {
                        position += 2
                        break
                    }
                    let next = bytes[position]
                    position += 1
                    if next >= 0x80 {
                        while let more = current, more & 0xC0 == 0x80 { position += 1 }
                        builder.append(.unknown)
                    } else {
                        builder.append(literal(next))
                    }
                }
                return builder.info
            case UInt8(ascii: "E"):
                return .empty
            default:
                if byte < 0x80 && !(byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) && !(byte >= 0x30 && byte <= 0x39) {
                    return literal(byte)  // an escaped punctuation character stands for itself
                }
                // Back-references, \g and \k calls, octal, \c, \o, \u…: not worth reading.
                failed = true
                return .unknown
            }
        }

        static func hexDigit(_ byte: UInt8) -> Int? {
            switch byte {
            case 0x30...0x39: Int(byte - 0x30)
            case 0x41...0x46: Int(byte - 0x41 + 10)
            case 0x61...0x66: Int(byte - 0x61 + 10)
            default: nil
            }
        }
    }
}

/// A small set of literals (at most `RequiredLiterals.maximumRequired`), kept as an array: a
/// `Set` hashed every byte of every literal on each insert and union, which was most of the
/// extraction's cost at start-up, and these sets are too small for hashing to pay.
struct LiteralSet: Sequence, ExpressibleByArrayLiteral {
    private(set) var strings: [[UInt8]] = []

    init(arrayLiteral elements: [UInt8]...) {
        self.init(elements)
    }

    init(_ elements: some Sequence<[UInt8]>) {
        for element in elements { insert(element) }
    }

    var count: Int { strings.count }
    var isEmpty: Bool { strings.isEmpty }
    var first: [UInt8]? { strings.first }

    func contains(_ literal: [UInt8]) -> Bool { strings.contains(literal) }

    mutating func insert(_ literal: [UInt8]) {
        if !strings.contains(literal) { strings.append(literal) }
    }

    func union(_ other: LiteralSet) -> LiteralSet {
        var result = self
        for literal in other.strings { result.insert(literal) }
        return result
    }

    func makeIterator() -> IndexingIterator<[[UInt8]]> { strings.makeIterator() }
}
