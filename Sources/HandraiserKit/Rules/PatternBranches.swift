import HandraiserMatching
import HandraiserModel

/// A body or rawbody pattern matched one alternative at a time, each only on text that holds
/// one of its own required literals.
///
/// A rule such as "any of these twenty phrases" passes the prefilter when one phrase's literal
/// is in the text, and PCRE2 then tries all twenty phrases at every place of the text (on the
/// dev corpus such rules were three quarters of the matching time). Matched one by one, only
/// the phrases whose literals are there run, and each starts with its own word, which PCRE2
/// finds without trying the others.
///
/// The result is the whole pattern's: the leftmost match of any alternative, and among the
/// alternatives matching there the first in order, which is the one PCRE2 takes (it tries them
/// in order at each place). Only patterns where that holds are split (`split`).
final class PatternBranches: Sendable {
    /// One alternative, compiled when a text first needs it.
    struct Branch: Sendable {
        let pattern: String
        /// nil: none worth testing, so the branch runs whenever the rule does.
        let literals: [[UInt8]]?
        let compiled: LockedValue<Result<PCRE2Pattern, PatternError>?>
    }

    let branches: [Branch]
    private let options: PatternOptions

    /// A pattern splits into at most this many branches: each is one more PCRE2 call on a text
    /// that holds its literals.
    static let maximumBranches = 48

    /// The branches of `pattern`, or nil when it does not split safely or when fewer than
    /// `branchesWithLiterals` branches would have literals of their own (with fewer than two,
    /// nothing is gained; tests ask for none).
    convenience init?(_ pattern: String, options: PatternOptions, branchesWithLiterals: Int = 2) {
        guard let parts = Self.parts(of: pattern, options: options, branchesWithLiterals: branchesWithLiterals)
        else { return nil }
        self.init(parts: parts, options: options)
    }

    /// Branches already split (`parts`), e.g. from the embedded table.
    init(parts: [(pattern: String, literals: [[UInt8]]?)], options: PatternOptions) {
        self.branches = parts.map { Branch(pattern: $0.pattern, literals: $0.literals, compiled: LockedValue(nil)) }
        self.options = options
    }

    /// The branches of `pattern` with their literals, as `init?` takes them.
    static func parts(
        of pattern: String, options: PatternOptions, branchesWithLiterals: Int = 2
    )
        -> [(pattern: String, literals: [[UInt8]]?)]?
    {
        guard !options.extended, let split = split(pattern) else { return nil }
        let parts = split.map { (pattern: $0, literals: RequiredLiterals.of($0, extended: false)) }
        guard parts.count(where: { $0.literals != nil }) >= branchesWithLiterals else { return nil }
        return parts
    }

    /// The branches of a body or rawbody rule: from the embedded table when it holds this very
    /// pattern, so start-up does not split the default rules.
    static func of(_ rule: Rule) -> PatternBranches? {
        if let known = RequiredLiterals.defaultTable[rule.name], known.pattern == rule.pattern,
            known.extended == rule.options.extended
        {
            return known.branches.map { PatternBranches(parts: $0, options: rule.options) }
        }
        return PatternBranches(rule.pattern, options: rule.options)
    }

    /// The whole pattern's first match in `text`. `marks[k]` tells where branch k's literals
    /// were seen (nil: run every branch); a branch with literals runs only when they were seen
    /// in one of `fields`. Throws when a branch hits a PCRE2 limit.
    func firstMatch(
        in text: String, marks: ArraySlice<UInt8>?, fields: UInt8, scratch: MatchScratch
    )
        throws(MatchError) -> Match
    {
        var best: Range<Int>?
        let base = marks?.startIndex ?? 0
        for index in branches.indices {
            if let marks, branches[index].literals != nil, marks[base + index] & fields == 0 { continue }
            guard let pattern = pattern(index) else { return .wholePatternNeeded }
            guard let range = try pattern.firstMatch(in: text, scratch: scratch) else { continue }
            // Only a strictly earlier start replaces: at a tie the earlier branch is PCRE2's choice.
            if best == nil || range.lowerBound < best!.lowerBound { best = range }
            if range.lowerBound == 0 { break }
        }
        return .matched(best)
    }

    /// What matching the branches found.
    enum Match {
        /// The whole pattern's first match, nil for none.
        case matched(Range<Int>?)
        /// A branch did not compile on its own; the whole pattern must be matched instead.
        case wholePatternNeeded
    }

    /// The branch's compiled pattern, nil when it does not compile.
    private func pattern(_ index: Int) -> PCRE2Pattern? {
        let branch = branches[index]
        let options = self.options
        let result = branch.compiled.withLock { slot in
            if let slot { return slot }
            let compiled = Result { () throws(PatternError) in try PCRE2Pattern(branch.pattern, options: options) }
            slot = compiled
            return compiled
        }
        return try? result.get()
    }

    // MARK: Splitting

    /// The alternatives of `pattern` as patterns of their own, when matching them one by one and
    /// taking the leftmost (the earlier at a tie) is exactly matching the whole: nil otherwise.
    ///
    /// A top-level `A|B|C` splits into its branches. A branch `P(?:X|Y)S` splits into `P(?:X)S`
    /// and `P(?:Y)S` when the prefix `P` can match in only one way (no quantifier, only single
    /// characters and assertions): PCRE2 then explores `X` with every way of `S` before `Y`, as
    /// the split branches do in order. A quantified group, backreferences, named or reset groups,
    /// conditionals, recursion, verbs, `\Q…\E`, comments and option settings that reach past
    /// their group leave the pattern whole.
    static func split(_ pattern: String) -> [String]? {
        let bytes = Array(pattern.utf8)
        guard let top = Skeleton.parse(bytes, 0..<bytes.count) else { return nil }
        var branches: [[UInt8]] = []
        for range in top.branches {
            guard expand(bytes, range, depth: 0, into: &branches) else { return nil }
            if branches.count > maximumBranches { return nil }
        }
        guard branches.count >= 2 else { return nil }
        return branches.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends the branches `bytes[range]` (one branch of its parent) splits into.
    private static func expand(_ bytes: [UInt8], _ range: Range<Int>, depth: Int, into out: inout [[UInt8]]) -> Bool {
        guard depth < 3, let pieces = Skeleton.parse(bytes, range), pieces.branches.count == 1 else {
            out.append(Array(bytes[range]))
            return true
        }
        // The first group that is not a lookaround; everything before it must be one-way.
        // A capturing group splits too: only the whole match is used, and no pattern that
        // splits refers back to a group.
        guard let groupIndex = pieces.pieces.firstIndex(where: { !$0.isOneWay }),
            case .group(let open, let close, let kind, quantified: false) = pieces.pieces[groupIndex].kind,
            kind == .nonCapturing || kind == .capturing,
            let inner = Skeleton.parse(bytes, (open + (kind == .capturing ? 1 : 3))..<close), inner.branches.count >= 2
        else {
            out.append(Array(bytes[range]))
            return true
        }
        let prefix = bytes[range.lowerBound..<open]
        let suffix = bytes[(close + 1)..<range.upperBound]
        let prefixEndsOpen = groupIndex > 0 && Skeleton.isOpenEnded(bytes, pieces.pieces[groupIndex - 1].range)
        for alternative in inner.branches {
            // `P(?:X)S` is `PXS`, X holding no top-level bar, unless an escape such as `\x4`
            // would take the next digit as its own; without the group, X's own group is looked into next.
            let last = Skeleton.parse(bytes, alternative)?.pieces.last
            let bare = !prefixEndsOpen && !(last.map { Skeleton.isOpenEnded(bytes, $0.range) } ?? false)
            var branch = Array(prefix)
            if !bare { branch += Array("(?:".utf8) }
            branch += bytes[alternative]
            if !bare { branch.append(UInt8(ascii: ")")) }
            branch += suffix
            var nested: [[UInt8]] = []
            guard expand(branch, 0..<branch.count, depth: depth + 1, into: &nested) else { return false }
            out += nested
            if out.count > maximumBranches { return false }
        }
        return true
    }
}

/// The top level of a PCRE2 pattern (or of a group's inside): its `|` branches and, for a
/// single branch, its atoms and groups in order. Only as much of the syntax as splitting needs;
/// anything it is unsure of fails the parse.
struct Skeleton {
    enum GroupKind: Equatable { case nonCapturing, capturing, lookaround, atomic, scopedOptions }

    struct Piece {
        enum Kind: Equatable {
            /// A single character, class, escape or assertion.
            case atom(oneWay: Bool)
            case group(open: Int, close: Int, GroupKind, quantified: Bool)
        }

        var kind: Kind
        /// Its bytes, a quantifier included.
        var range: Range<Int>

        /// Whether the piece can match in at most one way, so backtracking never revisits it.
        var isOneWay: Bool {
            switch kind {
            case .atom(let oneWay): oneWay
            // A lookaround is atomic in PCRE2: once it holds, nothing backtracks into it.
            case .group(_, _, .lookaround, let quantified): !quantified
            case .group: false
            }
        }
    }

    /// The byte ranges of the branches.
    var branches: [Range<Int>] = []
    /// The pieces of the whole range, `|` not among them.
    var pieces: [Piece] = []

    static func parse(_ bytes: [UInt8], _ range: Range<Int>) -> Skeleton? {
        var skeleton = Skeleton()
        var start = range.lowerBound
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "|"):
                skeleton.branches.append(start..<i)
                i += 1
                start = i
                continue
            case UInt8(ascii: ")"):
                return nil
            case UInt8(ascii: "("):
                guard let (close, kind) = group(bytes, i, end) else { return nil }
                let next = close + 1
                let quantified = isQuantifier(bytes, next, end)
                guard let after = quantified ? skipQuantifier(bytes, next, end) : next else { return nil }
                skeleton.pieces.append(
                    Piece(kind: .group(open: i, close: close, kind, quantified: quantified), range: i..<after))
                i = after
                continue
            default:
                guard let (next, simple) = atom(bytes, i, end) else { return nil }
                let quantified = isQuantifier(bytes, next, end)
                guard let after = quantified ? skipQuantifier(bytes, next, end) : next else { return nil }
                skeleton.pieces.append(Piece(kind: .atom(oneWay: simple && !quantified), range: i..<after))
                i = after
            }
        }
        skeleton.branches.append(start..<end)
        return skeleton
    }

    /// The `)` closing the group opened at `open`, and its kind; nil for any group kind that
    /// splitting must not touch.
    private static func group(_ bytes: [UInt8], _ open: Int, _ end: Int) -> (Int, GroupKind)? {
        var i = open + 1
        var kind = GroupKind.capturing
        if i < end, bytes[i] == UInt8(ascii: "*") { return nil }
        if i < end, bytes[i] == UInt8(ascii: "?") {
            guard i + 1 < end else { return nil }
            switch bytes[i + 1] {
            case UInt8(ascii: ":"):
                kind = .nonCapturing
                i += 2
            case UInt8(ascii: "="), UInt8(ascii: "!"):
                kind = .lookaround
                i += 2
            case UInt8(ascii: ">"):
                kind = .atomic
                i += 2
            case UInt8(ascii: "<"):
                guard i + 2 < end, bytes[i + 2] == UInt8(ascii: "=") || bytes[i + 2] == UInt8(ascii: "!") else {
                    return nil
                }
                kind = .lookaround
                i += 3
            default:
                // `(?i:…)`: options for the group only. `(?i)` would reach into later branches.
                var k = i + 1
                while k < end, isOptionLetter(bytes[k]) { k += 1 }
                guard k > i + 1, k < end, bytes[k] == UInt8(ascii: ":") else { return nil }
                kind = .scopedOptions
                i = k + 1
            }
        }
        // The inside, with nested groups, classes and escapes skipped whole.
        var depth = 0
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: ")") {
                if depth == 0 { return (i, kind) }
                depth -= 1
                i += 1
            } else if c == UInt8(ascii: "(") {
                guard let (close, _) = group(bytes, i, end) else { return nil }
                i = close + 1
            } else if c == UInt8(ascii: "|") {
                i += 1
            } else if isQuantifier(bytes, i, end) {
                guard let next = skipQuantifier(bytes, i, end) else { return nil }
                i = next
            } else {
                guard let (next, _) = atom(bytes, i, end) else { return nil }
                i = next
            }
        }
        return nil
    }

    /// Whether the piece is an escape that a following digit would extend (`\x4`, `\01`).
    static func isOpenEnded(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\\") else { return false }
        let e = bytes[range.lowerBound + 1]
        if e == UInt8(ascii: "0") { return true }
        return e == UInt8(ascii: "x") && !(range.count > 2 && bytes[range.lowerBound + 2] == UInt8(ascii: "{"))
    }

    private static func isOptionLetter(_ c: UInt8) -> Bool {
        // i, m, s and U change only how the group's own characters match; x, n and J change
        // its syntax or its names, which this reader does not follow.
        c == UInt8(ascii: "i") || c == UInt8(ascii: "m") || c == UInt8(ascii: "s") || c == UInt8(ascii: "U")
            || c == UInt8(ascii: "-")
    }

    /// The end of the atom at `i` and whether it matches in one way (a quantifier aside); nil
    /// for a construct splitting must not cross.
    private static func atom(_ bytes: [UInt8], _ i: Int, _ end: Int) -> (Int, Bool)? {
        let c = bytes[i]
        switch c {
        case UInt8(ascii: "\\"):
            guard i + 1 < end else { return nil }
            let e = bytes[i + 1]
            switch e {
            // Quoting, backreferences, \G and \K: not followed.
            case UInt8(ascii: "Q"), UInt8(ascii: "E"), UInt8(ascii: "g"), UInt8(ascii: "k"), UInt8(ascii: "G"),
                UInt8(ascii: "K"), UInt8(ascii: "1")...UInt8(ascii: "9"):
                return nil
            // \R and \X match one of several lengths.
            case UInt8(ascii: "R"), UInt8(ascii: "X"):
                return (i + 2, false)
            case UInt8(ascii: "x"), UInt8(ascii: "o"), UInt8(ascii: "p"), UInt8(ascii: "P"), UInt8(ascii: "N"):
                if i + 2 < end, bytes[i + 2] == UInt8(ascii: "{") {
                    guard let close = bytes[(i + 2)..<end].firstIndex(of: UInt8(ascii: "}")) else { return nil }
                    return (close + 1, true)
                }
                if e == UInt8(ascii: "p") || e == UInt8(ascii: "P") { return i + 2 < end ? (i + 3, true) : nil }
                if e == UInt8(ascii: "x") {
                    var k = i + 2
                    while k < end, k < i + 4, isHexDigit(bytes[k]) { k += 1 }
                    return (k, true)
                }
                return (i + 2, true)
            case UInt8(ascii: "c"):
                return i + 2 < end ? (i + 3, true) : nil
            default:
                // Octal \0nn reads as one character too: its digits are skipped with it.
                if e == UInt8(ascii: "0") {
                    var k = i + 2
                    while k < end, k < i + 4, bytes[k] >= UInt8(ascii: "0"), bytes[k] <= UInt8(ascii: "7") { k += 1 }
                    return (k, true)
                }
                guard e < 0x80 else { return (i + 1 + utf8Length(e), true) }
                return (i + 2, true)
            }
        case UInt8(ascii: "["):
            guard let close = classEnd(bytes, i, end) else { return nil }
            return (close + 1, true)
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
            // A quantifier with nothing before it (or `{` read as a literal): not followed.
            return nil
        case UInt8(ascii: "#"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            return (i + 1, true)
        default:
            return (min(end, i + utf8Length(c)), true)
        }
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        let letter = c | 0x20
        return (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
            || (letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "f"))
    }

    private static func utf8Length(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }

    /// The `]` closing the class opened at `open`.
    private static func classEnd(_ bytes: [UInt8], _ open: Int, _ end: Int) -> Int? {
        var i = open + 1
        if i < end, bytes[i] == UInt8(ascii: "^") { i += 1 }
        // A `]` first in the class is a literal.
        if i < end, bytes[i] == UInt8(ascii: "]") { i += 1 }
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "\\") {
                guard i + 1 < end else { return nil }
                let e = bytes[i + 1]
                if e == UInt8(ascii: "Q") || e == UInt8(ascii: "E") { return nil }
                i += 2
            } else if c == UInt8(ascii: "["), i + 1 < end, bytes[i + 1] == UInt8(ascii: ":") {
                // A POSIX class, `[:alpha:]`.
                var k = i + 2
                while k + 1 < end, !(bytes[k] == UInt8(ascii: ":") && bytes[k + 1] == UInt8(ascii: "]")) { k += 1 }
                guard k + 1 < end else { return nil }
                i = k + 2
            } else if c == UInt8(ascii: "]") {
                return i
            } else {
                i += 1
            }
        }
        return nil
    }

    private static func isQuantifier(_ bytes: [UInt8], _ i: Int, _ end: Int) -> Bool {
        guard i < end else { return false }
        let c = bytes[i]
        return c == UInt8(ascii: "*") || c == UInt8(ascii: "+") || c == UInt8(ascii: "?") || c == UInt8(ascii: "{")
    }

    /// Past the quantifier at `i`, with its lazy or possessive mark; nil for a `{` that is not
    /// `{n}`, `{n,}` or `{n,m}` (PCRE2 reads some of those as literal text).
    private static func skipQuantifier(_ bytes: [UInt8], _ i: Int, _ end: Int) -> Int? {
        var k = i
        if bytes[k] == UInt8(ascii: "{") {
            func digits(from start: Int) -> Int {
                var k = start
                while k < end, bytes[k] >= UInt8(ascii: "0"), bytes[k] <= UInt8(ascii: "9") { k += 1 }
                return k
            }
            k = digits(from: k + 1)
            guard k > i + 1, k < end else { return nil }
            if bytes[k] == UInt8(ascii: ",") { k = digits(from: k + 1) }
            guard k < end, bytes[k] == UInt8(ascii: "}") else { return nil }
            k += 1
        } else {
            k += 1
        }
        if k < end, bytes[k] == UInt8(ascii: "?") || bytes[k] == UInt8(ascii: "+") { k += 1 }
        return k
    }
}
