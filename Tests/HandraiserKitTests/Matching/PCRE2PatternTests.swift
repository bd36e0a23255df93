import Testing

@testable import HandraiserMatching

@Suite struct PCRE2PatternTests {
    @Test func spansAreUTF8ByteOffsetsAfterMultibyteText() throws {
        let pattern = try PCRE2Pattern(perlStyle: "/lawyer/i")
        let text = "😀 日本語 Lawyer"
        let range = try #require(try pattern.firstMatch(in: text))
        // 😀 is 4 bytes, the space 1, each CJK character 3, the space 1.
        #expect(range == 15..<21)
        #expect(String(decoding: Array(text.utf8)[range], as: UTF8.self) == "Lawyer")
    }

    @Test func flagsAreHonoured() throws {
        #expect(try PCRE2Pattern(perlStyle: "/abc/i").matches("xABCx"))
        #expect(try !PCRE2Pattern(perlStyle: "/abc/").matches("xABCx"))
        #expect(try PCRE2Pattern(perlStyle: "/^b/m").matches("a\nb"))
        #expect(try !PCRE2Pattern(perlStyle: "/^b/").matches("a\nb"))
        #expect(try PCRE2Pattern(perlStyle: "/a.b/s").matches("a\nb"))
        #expect(try PCRE2Pattern(perlStyle: "/a b c # comment\n/x").matches("abc"))
        #expect(try PCRE2Pattern(perlStyle: "m{a/b}").matches("a/b"))
    }

    @Test func unicodeWordBoundariesUseUCP() throws {
        let pattern = try PCRE2Pattern(perlStyle: #"/\bcafé\b/i"#)
        #expect(try pattern.matches("Un CAFÉ noir"))
        #expect(try !pattern.matches("cafés"))
    }

    @Test func compileErrorsCarryTheOffset() {
        #expect(throws: PatternError.self) { try PCRE2Pattern(perlStyle: "/abc(def/") }
        do {
            _ = try PCRE2Pattern("ab[c")
            Issue.record("an unterminated class compiled")
        } catch {
            #expect(error.offset == 4)
            #expect(error.message.contains("missing terminating ]"))
        }
    }

    @Test func unknownFlagsAreRejected() {
        #expect(throws: PatternError.self) { try PCRE2Pattern(perlStyle: "/abc/g") }
        #expect(throws: PatternError.self) { try PCRE2Pattern(perlStyle: "abc") }
    }

    @Test func catastrophicBacktrackingStopsWithALimitError() throws {
        let pattern = try PCRE2Pattern(perlStyle: "/(a+)+$/")
        let subject = String(repeating: "a", count: 50_000) + "!"
        do {
            _ = try pattern.firstMatch(in: subject)
            Issue.record("a catastrophic pattern completed")
        } catch {
            #expect(error.isLimit)
        }
    }

    @Test func allMatchesStepsOverEmptyMatchesWholeCharacters() throws {
        let pattern = try PCRE2Pattern("x*")
        let ranges = try pattern.allMatches(in: "é😀x")
        // Empty matches at 0 and 2, then "x" at 6..<7, then an empty one at the end.
        #expect(ranges == [0..<0, 2..<2, 6..<7, 7..<7])
    }

    /// The first matches run in the interpreter and the rest in JIT code: the results must not
    /// tell them apart.
    @Test func interpretedAndJITMatchesAgree() throws {
        let pattern = try PCRE2Pattern(#"\b(?:buy|cheap)\s+\w+"#, options: PatternOptions(caseInsensitive: true))
        let texts = ["Buy now", "nothing here", "so CHEAP pills", "ébuy cheap pills", ""]
        // Enough rounds for the ASCII texts' form and the other one each to reach JIT code.
        let nonASCIIBytesPerRound = texts.filter { !$0.utf8.allSatisfy { $0 < 0x80 } }.reduce(0) { $0 + $1.utf8.count }
        var results: [[Range<Int>?]] = []
        for _ in 0..<(PCRE2Pattern.interpretedBytes / nonASCIIBytesPerRound + 3) {
            results.append(try texts.map { try pattern.firstMatch(in: $0) })
        }
        #expect(pattern.hasJITCode || !pattern.isJITCompiled)
        #expect(results.first == [0..<7, nil, 3..<14, 6..<17, nil])
        #expect(results.allSatisfy { $0 == results.first })
    }

    /// A one-comment run must not JIT-compile: that was most of its start-up.
    @Test func aShortRunStaysInTheInterpreter() throws {
        let pattern = try PCRE2Pattern("cheap")
        _ = try pattern.firstMatch(in: String(repeating: "word ", count: 200))
        #expect(!pattern.hasJITCode)
    }

    /// ASCII subjects go to the form compiled without UCP; on them it must match exactly as the
    /// Unicode form does, class by class.
    @Test func theASCIIFormMatchesAsTheUnicodeFormOnASCIIText() throws {
        let patterns = [
            #"\b\w+\b"#, #"\s+\S"#, #"\d{2,}"#, #"[[:alpha:]]+[[:punct:]]"#, #"[[:space:]][[:upper:]]"#,
            #"(?<!\w)cheap\W+pills"#, #"\B\w"#, #"[^\p{Han}\s]{3}"#, #"\h\v|\R"#, #"[[:graph:]]{4}[[:cntrl:]]"#,
            #"(?i)k\w*"#, #"\p{L}\p{N}"#, #"[[:word:]]+\b"#, #"\bx"#, #"[[:lower:]]{2}"#, #"[[:^upper:]]\d"#,
            #"[[:alnum:]][[:blank:]][[:xdigit:]]"#, #"[[:print:]]{3}"#, #"\p{Lu}\p{Ll}"#,
        ]
        var generator = LinearCongruential(state: 7)
        let alphabet = Array(0..<128).map { UInt8($0) }
        let scratch = MatchScratch()
        for source in patterns {
            for caseless in [false, true] {
                let pattern = try PCRE2Pattern(source, options: PatternOptions(caseInsensitive: caseless))
                for _ in 0..<300 {
                    let length = Int(generator.next() % 40)
                    let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % 128)] }
                    try bytes.withUnsafeBufferPointer { buffer in
                        let start = length == 0 ? 0 : Int(generator.next() % UInt64(length))
                        let unicode = try pattern.firstMatch(
                            in: buffer, from: start, scratch: scratch, asciiForm: false)
                        let ascii = try pattern.firstMatch(in: buffer, from: start, scratch: scratch, asciiForm: true)
                        #expect(unicode == ascii, "/\(source)/ on \(bytes)")
                    }
                }
            }
        }
    }

    @Test func matchesFromAnOffset() throws {
        let pattern = try PCRE2Pattern("ab")
        #expect(try pattern.firstMatch(in: "ab ab", from: 1) == 3..<5)
    }

    /// A repeated group with a capture needs JIT stack for every repetition; on a long subject
    /// the JIT's 32 KiB stack runs out. The match then runs again in the interpreter, which
    /// keeps its backtracking on the heap under our limits: a result or a limit error, never a
    /// JIT-stack failure and never a crash.
    @Test func exhaustingTheJITStackFallsBackToTheInterpreter() throws {
        let pattern = try PCRE2Pattern("^(?:(a)|b)*$")
        // Compiled now, so the first matches run JIT code rather than the interpreter.
        guard pattern.isJITCompiled else { return }
        let subject = String(repeating: "a", count: 200_000)
        let generous = MatchLimits(matchLimit: 10_000_000, depthLimit: 1_000_000, heapLimitKiB: 512_000)
        #expect(try pattern.firstMatch(in: subject, limits: generous) == 0..<200_000)
        do {
            _ = try pattern.firstMatch(in: subject)
        } catch {
            #expect(error.kind != .jitStackLimit)
            #expect(error.isLimit)
        }
    }
}

/// Repeatable random numbers for the tests (Knuth's MMIX constants; the high bits are the good ones).
private struct LinearCongruential {
    var state: UInt64

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}
