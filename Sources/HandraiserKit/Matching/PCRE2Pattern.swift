internal import CPCRE2
import HandraiserModel

import class Foundation.NSLock

/// A compiled PCRE2 pattern (UTF + UCP, JIT-compiled when the platform allows).
///
/// This file is the only place that imports `CPCRE2`; the rest of Handraiser sees Swift values.
/// All offsets are UTF-8 byte offsets, which is what PCRE2 works in.
///
/// PCRE2 documents compiled patterns as safe to share between threads; match data is per call
/// or per `MatchScratch`. The changes after `init` (JIT compilation, the ASCII form below)
/// happen once under a lock, so this is `Sendable`. JIT is deferred: a form's first
/// `interpretedBytes` of subject are matched by PCRE2's interpreter, because JIT-compiling a
/// pattern costs about what interpreting that much text does (measured: some 600 k instructions
/// against 190 more per byte); a one-comment pipe never pays it and a long run pays it once, at
/// most twice the least it could have spent.
///
/// Once a pattern has matched `interpretedBytes`, an all-ASCII subject is matched by a second
/// form compiled without UCP. On ASCII text the two agree by PCRE2's definitions (`\w`, `\d`,
/// `\s`, `\b` and the POSIX classes pick the same ASCII characters either way; caseless matching
/// and `\p{…}` come from UTF, which both forms have), and without UCP each `\b`, `\w` and `\s`
/// test skips a Unicode property lookup: a fifth of the rules' cost on the dev corpus, half of
/// whose comments are ASCII. The one difference PCRE2 has there, `[:upper:]` and `[:lower:]`
/// under caseless matching, keeps such a pattern to one form.
public final class PCRE2Pattern: @unchecked Sendable {
    /// The pattern text, without delimiters or flags.
    public let pattern: String
    public let options: PatternOptions
    private let unicode: Form
    /// Capture groups of the pattern: match data must have room for them.
    fileprivate let captureCount: UInt32
    private let asciiLock = NSLock()
    /// nil: not compiled yet; .some(nil): the ASCII form did not compile, the Unicode one serves.
    private var asciiForm: Form??

    /// Bytes of subject one form matches in the interpreter before it is JIT-compiled.
    public static let interpretedBytes = 4096

    /// Whether JIT compilation succeeded (it is absent on some platforms); compiles both forms'
    /// JIT code if not yet done.
    public var isJITCompiled: Bool {
        let compiled = unicode.jitReady(afterInterpreting: nil)
        _ = ascii?.jitReady(afterInterpreting: nil)
        return compiled
    }

    /// Whether JIT code is ready in either form, without compiling it.
    var hasJITCode: Bool {
        unicode.hasJITCode || (ascii?.hasJITCode ?? false)
    }

    /// Compiles `pattern`; a syntax error throws `PatternError` with the offset PCRE2 reports.
    public init(_ pattern: String, options: PatternOptions = PatternOptions()) throws(PatternError) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        guard let compiled = Self.compile(pattern, options, unicodeProperties: true, &errorCode, &errorOffset) else {
            throw PatternError(pattern: pattern, message: Self.message(for: errorCode), offset: errorOffset)
        }
        self.unicode = Form(compiled)
        self.pattern = pattern
        self.options = options
        var captures: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &captures)
        self.captureCount = captures
    }

    private static func compile(
        _ pattern: String, _ options: PatternOptions, unicodeProperties: Bool, _ errorCode: inout Int32,
        _ errorOffset: inout Int
    ) -> OpaquePointer? {
        var flags = UInt32(PCRE2_UTF)
        if unicodeProperties { flags |= UInt32(PCRE2_UCP) }
        if options.caseInsensitive { flags |= UInt32(PCRE2_CASELESS) }
        if options.multiline { flags |= UInt32(PCRE2_MULTILINE) }
        if options.dotMatchesNewlines { flags |= UInt32(PCRE2_DOTALL) }
        if options.extended { flags |= UInt32(PCRE2_EXTENDED) }
        return pattern.withCString { cPattern in
            cPattern.withMemoryRebound(to: UInt8.self, capacity: pattern.utf8.count + 1) { bytes in
                pcre2_compile_8(bytes, pattern.utf8.count, flags, &errorCode, &errorOffset, nil)
            }
        }
    }

    /// The form without UCP, compiled on first use (start-up compiles only what it matches with).
    private var ascii: Form? {
        asciiLock.lock()
        defer { asciiLock.unlock() }
        if let asciiForm { return asciiForm }
        // Under UCP these are \p{Lu} and \p{Ll}, which caseless matching leaves alone; the POSIX
        // classes match either case then. Such a pattern keeps its one form.
        if options.caseInsensitive && (pattern.contains("upper:]") || pattern.contains("lower:]")) {
            asciiForm = .some(nil)
            return nil
        }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let form = Self.compile(pattern, options, unicodeProperties: false, &errorCode, &errorOffset).map(Form.init)
        asciiForm = .some(form)
        return form
    }

    /// Compiles a Perl-style `/pattern/flags` literal (flags `i`, `m`, `s`, `x`; `m{…}` and
    /// other delimiters as Perl allows after `m`).
    public convenience init(perlStyle literal: String) throws(PatternError) {
        let parsed = try PerlPatternLiteral.parse(literal)
        try self.init(parsed.pattern, options: parsed.options)
    }

    /// The first match in `text` at or after byte `start`, as a UTF-8 byte range.
    public func firstMatch(
        in text: String, from start: Int = 0, limits: MatchLimits = .standard
    ) throws(MatchError)
        -> Range<Int>?
    {
        let scratch = MatchScratch(limits: limits)
        return try firstMatch(in: text, from: start, scratch: scratch)
    }

    /// Whether the pattern matches anywhere in `text`.
    public func matches(_ text: String, limits: MatchLimits = .standard) throws(MatchError) -> Bool {
        try firstMatch(in: text, limits: limits) != nil
    }

    /// The first match, reusing `scratch` (one per thread) so the hot path does not allocate.
    public func firstMatch(
        in text: String, from start: Int = 0, scratch: MatchScratch
    ) throws(MatchError) -> Range<Int>? {
        var text = text
        // withUTF8 is rethrows, not typed; carry the typed error out in a Result.
        return try text.withUTF8 { buffer in
            Result { () throws(MatchError) in try firstMatch(in: buffer, from: start, scratch: scratch) }
        }.get()
    }

    /// The first match in raw UTF-8 bytes (which must be valid UTF-8) at or after `start`.
    public func firstMatch(
        in buffer: UnsafeBufferPointer<UInt8>, from start: Int = 0, scratch: MatchScratch
    )
        throws(MatchError) -> Range<Int>?
    {
        try firstMatch(in: buffer, from: start, scratch: scratch, asciiForm: nil)
    }

    /// `asciiForm`: nil picks the form by the subject; tests force one to compare them.
    func firstMatch(
        in buffer: UnsafeBufferPointer<UInt8>, from start: Int, scratch: MatchScratch, asciiForm: Bool?
    )
        throws(MatchError) -> Range<Int>?
    {
        precondition(start >= 0 && start <= buffer.count, "match start outside the subject")
        // The ASCII form is compiled once the pattern has matched as much subject as JIT waits
        // for: before that a second compilation would cost more than it saves.
        let useASCII = asciiForm ?? (unicode.isWarm && UTF8Scan.isASCII(buffer))
        let form = useASCII ? (ascii ?? unicode) : unicode
        let code = form.code
        let jit = form.jitReady(afterInterpreting: buffer.count - start)
        let matchData = scratch.matchData(for: self)
        // Swift strings are valid UTF-8, so PCRE2's per-call UTF check would only cost time.
        let noCheck = UInt32(PCRE2_NO_UTF_CHECK)
        let empty: [UInt8] = [0]
        var result = empty.withUnsafeBufferPointer { emptyBuffer in
            pcre2_match_8(
                code, buffer.baseAddress ?? emptyBuffer.baseAddress, buffer.count, start,
                jit ? noCheck : noCheck | UInt32(PCRE2_NO_JIT), matchData, scratch.context)
        }
        if result == PCRE2_ERROR_JIT_STACKLIMIT {
            // The JIT stack ran out; the interpreter keeps its backtracking on the heap under our limits.
            result = empty.withUnsafeBufferPointer { emptyBuffer in
                pcre2_match_8(
                    code, buffer.baseAddress ?? emptyBuffer.baseAddress, buffer.count, start,
                    noCheck | UInt32(PCRE2_NO_JIT), matchData, scratch.context)
            }
        }
        if result == PCRE2_ERROR_NOMATCH { return nil }
        if result < 0 { throw MatchError(code: result, pattern: pattern, message: Self.message(for: result)) }
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        let lower = ovector[0]
        let upper = ovector[1]
        // \K in a lookbehind can put the end before the start; report it as empty.
        return lower <= upper ? lower..<upper : lower..<lower
    }

    /// Every non-overlapping match in `text`, as UTF-8 byte ranges.
    public func allMatches(
        in text: String, limits: MatchLimits = .standard, maximum: Int = .max
    ) throws(MatchError)
        -> [Range<Int>]
    {
        let scratch = MatchScratch(limits: limits)
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(MatchError) -> [Range<Int>] in
                var found: [Range<Int>] = []
                var start = 0
                while start <= buffer.count, found.count < maximum,
                    let range = try firstMatch(in: buffer, from: start, scratch: scratch)
                {
                    found.append(range)
                    if range.upperBound > range.lowerBound {
                        start = range.upperBound
                    } else {
                        // An empty match: step over one whole UTF-8 character, never into the middle of one.
                        start = range.upperBound + 1
                        while start < buffer.count, buffer[start] & 0xC0 == 0x80 { start += 1 }
                    }
                }
                return found
            }
        }.get()
    }

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }
}

/// Compile-time options of a pattern.
public struct PatternOptions: Sendable, Hashable {
    public var caseInsensitive = false
    public var multiline = false
    public var dotMatchesNewlines = false
    public var extended = false

    public init(
        caseInsensitive: Bool = false, multiline: Bool = false, dotMatchesNewlines: Bool = false, extended: Bool = false
    ) {
        self.caseInsensitive = caseInsensitive
        self.multiline = multiline
        self.dotMatchesNewlines = dotMatchesNewlines
        self.extended = extended
    }
}

/// Bounds on the work one match may do, so a catastrophic pattern ends with an error.
public struct MatchLimits: Sendable, Hashable {
    /// PCRE2's match limit: calls of its internal match function (also enforced by JIT).
    public var matchLimit: UInt32
    /// PCRE2's depth limit: backtracking depth for the interpreter.
    public var depthLimit: UInt32
    /// Heap the interpreter may use for backtracking, in KiB.
    public var heapLimitKiB: UInt32

    public init(matchLimit: UInt32, depthLimit: UInt32, heapLimitKiB: UInt32) {
        self.matchLimit = matchLimit
        self.depthLimit = depthLimit
        self.heapLimitKiB = heapLimitKiB
    }

    /// Generous for any sane rule on a long comment, and still stops `(a+)+$` within milliseconds.
    public static let standard = MatchLimits(matchLimit: 1_000_000, depthLimit: 10_000, heapLimitKiB: 20_480)
}

/// Per-thread match state: PCRE2 match data and a match context holding the limits.
///
/// Not `Sendable`: give each worker its own.
public final class MatchScratch {
    public let limits: MatchLimits
    fileprivate let context: OpaquePointer
    private var data: OpaquePointer
    private var capacityPairs: UInt32

    public init(limits: MatchLimits = .standard) {
        self.limits = limits
        guard let context = pcre2_match_context_create_8(nil) else {
            preconditionFailure("PCRE2 could not allocate a match context")
        }
        pcre2_set_match_limit_8(context, limits.matchLimit)
        pcre2_set_depth_limit_8(context, limits.depthLimit)
        pcre2_set_heap_limit_8(context, limits.heapLimitKiB)
        self.context = context
        // Rules only need the whole-match pair; grow if a pattern asks for more.
        self.capacityPairs = 16
        guard let data = pcre2_match_data_create_8(16, nil) else {
            preconditionFailure("PCRE2 could not allocate match data")
        }
        self.data = data
    }

    deinit {
        pcre2_match_data_free_8(data)
        pcre2_match_context_free_8(context)
    }

    fileprivate func matchData(for pattern: PCRE2Pattern) -> OpaquePointer {
        let captures = pattern.captureCount
        if captures + 1 > capacityPairs {
            pcre2_match_data_free_8(data)
            capacityPairs = captures + 1
            guard let grown = pcre2_match_data_create_8(capacityPairs, nil) else {
                preconditionFailure("PCRE2 could not allocate match data")
            }
            data = grown
        }
        return data
    }
}

/// A pattern that does not compile, with PCRE2's message and the UTF-8 offset it points at.
public struct PatternError: Error, Equatable, Sendable, CustomStringConvertible {
    public var pattern: String
    public var message: String
    /// UTF-8 byte offset into `pattern` where PCRE2 found the fault.
    public var offset: Int

    public init(pattern: String, message: String, offset: Int) {
        self.pattern = pattern
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) at offset \(offset) of /\(pattern)/" }
}

/// A match that could not complete: a limit was hit or PCRE2 failed.
public struct MatchError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case matchLimit, depthLimit, heapLimit, jitStackLimit, other }
    public var kind: Kind
    public var code: Int32
    public var pattern: String
    public var message: String

    init(code: Int32, pattern: String, message: String) {
        self.code = code
        self.pattern = pattern
        self.message = message
        switch code {
        case PCRE2_ERROR_MATCHLIMIT: kind = .matchLimit
        case PCRE2_ERROR_DEPTHLIMIT: kind = .depthLimit
        case PCRE2_ERROR_HEAPLIMIT: kind = .heapLimit
        case PCRE2_ERROR_JIT_STACKLIMIT: kind = .jitStackLimit
        default: kind = .other
        }
    }

    /// A pattern compiled only when first needed that did not compile.
    public init(notCompiled error: PatternError) {
        self.init(
            code: 0, pattern: error.pattern,
            message: "pattern does not compile: \(error.message) at offset \(error.offset)")
    }

    /// True when the pattern gave up because of a resource limit (catastrophic backtracking).
    public var isLimit: Bool { kind != .other }

    public var description: String { "\(message) in /\(pattern)/" }
}

/// One compiled form of a pattern and its deferred JIT code.
private final class Form: @unchecked Sendable {
    let code: OpaquePointer
    private let lock = NSLock()
    private var jitState: Bool?
    private var interpreted = 0

    init(_ code: OpaquePointer) { self.code = code }

    deinit { pcre2_code_free_8(code) }

    var hasJITCode: Bool {
        lock.lock()
        defer { lock.unlock() }
        return jitState == true
    }

    /// Whether this form has matched `PCRE2Pattern.interpretedBytes` of subject (or was JIT-compiled).
    var isWarm: Bool {
        lock.lock()
        defer { lock.unlock() }
        return jitState != nil || interpreted >= PCRE2Pattern.interpretedBytes
    }

    /// Whether JIT code runs the next match. A match on `length` bytes is interpreted while fewer
    /// than `PCRE2Pattern.interpretedBytes` were; then (or at once, for nil) the form is JIT-compiled.
    func jitReady(afterInterpreting length: Int?) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if let jitState { return jitState }
        if let length, interpreted < PCRE2Pattern.interpretedBytes {
            interpreted += length
            return false
        }
        let compiled = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) == 0
        jitState = compiled
        return compiled
    }
}
