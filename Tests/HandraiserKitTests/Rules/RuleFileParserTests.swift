import Foundation
import HandraiserMatching
import HandraiserModel
import Testing

@testable import HandraiserRules

@Suite struct RuleFileParserTests {
    @Test func readsEveryDirective() throws {
        let set = try RuleSet.parse(
            ##"""
            # comment line, then a blank one

            body     HR_LAWYER   /\bmalpractice\s+lawyer/i   # trailing comment
            rawbody  HR_ANCHOR   m{<a\s+href}i
            header   HR_NAME     author =~ /\bcasino\b/i
            header   HR_NO_MAIL  email !~ /@/
            uri      HR_SHORT    /\bbit\.ly\//
            meta     HR_COMBO    (HR_LAWYER && !HR_NAME) || (HR_ANCHOR + HR_SHORT + HC_LINK_ONLY) >= 2
            score    HR_LAWYER   3.5
            score    HC_LINK_ONLY 1.5
            describe HR_LAWYER   Legal SEO \# keywords   # a comment
            required_score 6
            hold_score 2.5
            test     HR_LAWYER   hit  "Call a \"medical malpractice lawyer\" now \\ ok"
            test     HR_COMBO    miss "plain" author="Jo" facts="HC_A HC_B" uri="http://x.example/"
            """##, file: "rules/t.cf")
        #expect(set.rules.map(\.name) == ["HR_LAWYER", "HR_ANCHOR", "HR_NAME", "HR_NO_MAIL", "HR_SHORT", "HR_COMBO"])
        let lawyer = set.rules[0]
        #expect(lawyer.kind == .body)
        #expect(lawyer.pattern == #"\bmalpractice\s+lawyer"#)
        #expect(lawyer.options == PatternOptions(caseInsensitive: true))
        #expect(lawyer.source == #"/\bmalpractice\s+lawyer/i"#)
        #expect(lawyer.location == SourceLocation(file: "rules/t.cf", line: 3, column: 10))
        #expect(set.rules[1].kind == .rawbody)
        #expect(set.rules[1].pattern == #"<a\s+href"#)
        #expect(set.rules[2].kind == .header(.author, negated: false))
        #expect(set.rules[3].kind == .header(.email, negated: true))
        #expect(set.rules[4].kind == .uri)
        let meta = try #require(set.rules[5].metaExpression)
        #expect(meta.references == ["HR_LAWYER", "HR_NAME", "HR_ANCHOR", "HR_SHORT", "HC_LINK_ONLY"])
        #expect(meta.description == "(HR_LAWYER && !HR_NAME) || (((HR_ANCHOR + HR_SHORT) + HC_LINK_ONLY) >= 2)")
        #expect(set.score(for: "HR_LAWYER") == 3.5)
        #expect(set.score(for: "HC_LINK_ONLY") == 1.5)
        #expect(set.score(for: "HR_NAME") == nil)
        #expect(set.describe("HR_LAWYER") == "Legal SEO # keywords")
        #expect(set.requiredScore == 6)
        #expect(set.holdScore == 2.5)
        #expect(set.tests.count == 2)
        #expect(set.tests[0].text == #"Call a "medical malpractice lawyer" now \ ok"#)
        #expect(set.tests[0].expectation == .hit)
        #expect(set.tests[0].location == SourceLocation(file: "rules/t.cf", line: 14, column: 10))
        #expect(set.tests[1].fields == [.author: "Jo"])
        #expect(set.tests[1].facts == ["HC_A", "HC_B"])
        #expect(set.tests[1].uris == ["http://x.example/"])
    }

    @Test func thresholdsDefaultToSpamAssassinsAndHold() throws {
        let set = try RuleSet.parse("body A /a/\n", file: "a.cf")
        #expect(set.requiredScore == 5.0)
        #expect(set.holdScore == 3.0)
    }

    @Test func hashInsideAPatternIsNotAComment() throws {
        let set = try RuleSet.parse("body HR_HASH /#1 casino/i # real comment\n", file: "a.cf")
        #expect(set.rules.first?.pattern == "#1 casino")
    }

    @Test func crlfLineEndingsAreAccepted() throws {
        let set = try RuleSet.parse("body A /a$/\r\nscore A 2\r\n", file: "a.cf")
        #expect(set.rules.first?.pattern == "a$")
        #expect(set.score(for: "A") == 2)
    }

    struct BadLine: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: String
        var testDescription: String { text }
    }

    @Test(arguments: [
        BadLine(text: "bdy HR_X /x/", expected: "rules/x.cf:2:1: unknown directive 'bdy'"),
        BadLine(text: "body /x/", expected: "rules/x.cf:2:6: '/x/' is not a rule name (use letters, digits and _)"),
        BadLine(text: "body HR_X", expected: "rules/x.cf:2:10: expected a pattern written /like this/flags"),
        BadLine(text: "body HR_X /abc", expected: "rules/x.cf:2:11: the pattern opened here has no closing /"),
        BadLine(text: "body HR_X /abc/g", expected: "rules/x.cf:2:16: unknown pattern flag 'g' (use i, m, s or x)"),
        BadLine(
            text: "body HR_X /abc/ junk",
            expected: "rules/x.cf:2:17: unexpected text after the pattern (a comment needs a space before #)"),
        BadLine(
            text: "header HR_X from =~ /x/",
            expected: "rules/x.cf:2:13: unknown header field 'from' (use author, email, url, ip, post_title)"),
        BadLine(
            text: "header HR_X author ~ /x/",
            expected: "rules/x.cf:2:20: expected =~ or !~ after the field name in header rule HR_X"),
        BadLine(text: "meta HR_X (A && B", expected: "rules/x.cf:2:11: missing ')' to close the '(' here"),
        BadLine(text: "meta HR_X A && && B", expected: "rules/x.cf:2:16: unexpected '&&' where a rule id was expected"),
        BadLine(text: "meta HR_X A B", expected: "rules/x.cf:2:13: unexpected 'B' in the meta expression"),
        BadLine(text: "meta HR_X", expected: "rules/x.cf:2:10: the meta rule has no expression"),
        BadLine(text: "score HR_X 1 2 3 4", expected: "rules/x.cf:2:12: score HR_X expects one number, not '1 2 3 4'"),
        BadLine(text: "score HR_X", expected: "rules/x.cf:2:11: score HR_X needs a number"),
        BadLine(text: "describe HR_X", expected: "rules/x.cf:2:14: describe HR_X needs a description"),
        BadLine(
            text: "required_score lots", expected: "rules/x.cf:2:16: required_score expects one number, not 'lots'"),
        BadLine(
            text: "test HR_X fires \"x\"", expected: "rules/x.cf:2:11: test HR_X needs 'hit' or 'miss', not 'fires'"),
        BadLine(text: "test HR_X hit \"x", expected: "rules/x.cf:2:15: the quoted text opened here has no closing \""),
        BadLine(text: "test HR_X hit x", expected: "rules/x.cf:2:15: expected a \"quoted\" text"),
        BadLine(
            text: "test HR_X hit \"x\" colour=\"red\"",
            expected:
                "rules/x.cf:2:19: unknown example field 'colour' (use author, email, url, ip, post_title, uri or facts)"
        ),
    ])
    func badLinesNameFileLineAndColumn(_ bad: BadLine) {
        #expect(throws: RuleFileError.self) {
            try RuleSet.parse("# first line\n" + bad.text + "\n", file: "rules/x.cf")
        }
        do {
            _ = try RuleSet.parse("# first line\n" + bad.text + "\n", file: "rules/x.cf")
        } catch {
            #expect(error.description == bad.expected)
        }
    }

    @Test func patternCompileErrorsPointAtPCRE2sOffset() {
        // The unterminated class starts at byte 3 of the pattern; PCRE2 reports the end, offset 6.
        let line = "body HR_BAD /ab[cde/i"
        do {
            _ = try RuleSet.parse(line, file: "rules/bad.cf")
            Issue.record("an unterminated class compiled")
        } catch {
            #expect(error.file == "rules/bad.cf")
            #expect(error.line == 1)
            // The pattern body starts at column 14; offset 6 is column 20.
            #expect(error.column == 20)
            #expect(error.message.hasPrefix("pattern does not compile: missing terminating ]"))
            #expect(error.message.hasSuffix("at offset 6"))
        }
    }

    @Test func compileErrorColumnsCountUTF8Bytes() {
        // "é" is two bytes, so the stray ")" at pattern offset 3 is column 17, not 16.
        do {
            _ = try RuleSet.parse("body HR_BAD /éa)/", file: "f.cf")
            Issue.record("an unmatched parenthesis compiled")
        } catch {
            #expect(error.column == 14 + 3)
            #expect(error.message.contains("at offset 3"))
        }
    }

    @Test func laterDefinitionsReplaceEarlierOnesAndLintSaysSo() throws {
        let set = try RuleSet.parse(
            """
            body A /first/
            body A /second/
            """, file: "d.cf")
        #expect(set.rules.count == 1)
        #expect(set.rules.first?.pattern == "second")
        let duplicate = set.lint().filter { $0.message.contains("defined again") }
        #expect(
            duplicate.map(\.description) == [
                "d.cf:2:6: A is defined again (first at d.cf:1:6); the later definition wins"
            ])
    }

    @Test func loadReadsDirectoriesInNameOrderAndFilesAsGiven() throws {
        let directory = try TemporaryDirectory()
        try directory.write("b.cf", "body B /b/\nscore B 2\nrequired_score 7\n")
        try directory.write("a.cf", "body A /a/\nscore B 1\n")
        try directory.write("notes.txt", "this is not a rule file")
        let set = try RuleSet.load(paths: [directory.path])
        #expect(set.rules.map(\.name) == ["A", "B"])
        #expect(set.score(for: "B") == 2)
        #expect(set.requiredScore == 7)
        #expect(set.rules[0].location.file == directory.path + "/a.cf")

        do {
            _ = try RuleSet.load(paths: [directory.path + "/missing.cf"])
            Issue.record("a missing file loaded")
        } catch {
            #expect(
                error == RuleFileError(file: directory.path + "/missing.cf", message: "no such rule file or directory"))
        }
    }

    @Test func mergeLaysUserRulesOnTop() throws {
        var base = try RuleSet.parse(
            """
            body A /a/
            score A 1
            describe A base A
            body B /b/
            test B hit "b"
            hold_score 2
            """, file: "base.cf")
        let user = try RuleSet.parse(
            """
            body B /bee/
            test B hit "bee"
            body C /c/
            score A 4
            required_score 9
            """, file: "user.cf")
        base.merge(user)
        #expect(base.rules.map(\.name) == ["A", "B", "C"])
        #expect(base.rules[1].pattern == "bee")
        #expect(base.tests.map(\.text) == ["bee"])
        #expect(base.score(for: "A") == 4)
        #expect(base.describe("A") == "base A")
        #expect(base.requiredScore == 9)
        #expect(base.holdScore == 2)
    }
}

/// A scratch directory removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "handraiser-rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
