import Foundation
import Testing

/// The built binary on inputs that must give a clear result or a clear error — never a crash or a hang.
@Suite struct CLIBehaviourTests {
    static func temporaryFile(_ name: String, bytes: [UInt8]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("handraiser-tests-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func anEmptyFileIsAClearError() throws {
        let path = try Self.temporaryFile("empty.txt", bytes: [])
        let run = try CLIRun.run(["scan", path])
        #expect(run.status == 1)
        #expect(run.stderr == "handraiser: \(path): the file is empty\n")
    }

    @Test func binaryJunkIsRefusedNamingWhatWasSeen() throws {
        var generator = SplitMix(seed: 7)
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let path = try Self.temporaryFile("junk.bin", bytes: bytes)
        let run = try CLIRun.run(["scan", path])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("handraiser: \(path): not a format Handraiser reads"))
        #expect(run.stderr.contains("binary data"))
    }

    @Test func anUnreadablePathNamesTheFile() throws {
        let run = try CLIRun.run(["scan", "no/such/file.jsonl"])
        #expect(run.status == 1)
        #expect(run.stderr == "handraiser: no/such/file.jsonl: cannot read: no such file\n")
    }

    @Test func invalidUTF8InADumpStillGivesAResult() throws {
        var bytes = Array(
            "A post about bread\n\nBody of the post about sourdough.\n\n2 Responses\n\n  1. Lovely crumb, ".utf8)
        bytes += [0xC3, 0x28, 0xFF]
        bytes += Array(" what flour did you use?\n\n  2. I bake mine at 250 degrees.\n".utf8)
        let path = try Self.temporaryFile("latin1.txt", bytes: bytes)
        let run = try CLIRun.run(["scan", "--output", "jsonl", path])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("\u{FFFD}") == true)
    }

    @Test func aFiveMegabyteCommentIsClassified() throws {
        let sentence = "I planted the seedlings out in May and watered them every evening. "
        let content = String(repeating: sentence, count: 5_000_000 / sentence.utf8.count)
        let record = #"{"id": "big", "post_id": "p", "content": ""# + content + #""}"# + "\n"
        let path = try Self.temporaryFile("big.jsonl", bytes: Array(record.utf8))
        let run = try CLIRun.run(["scan", "--output", "jsonl", path])
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: "\n").count == 1)
        #expect(run.stdout.contains(#""verdict":"#))
    }

    @Test func aCatastrophicUserRuleFailsAloneAndTheCommentStillGetsAVerdict() throws {
        let content = String(repeating: "a", count: 50_000) + "!"
        let record = #"{"id": "slow", "post_id": "p", "content": ""# + content + #""}"# + "\n"
        let path = try Self.temporaryFile("aaaa.jsonl", bytes: Array(record.utf8))
        let started = Date()
        let run = try CLIRun.run(["scan", "--output", "jsonl", "--rules", "fixtures/rules/catastrophic.cf", path])
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(run.status == 0)
        #expect(run.stdout.contains(#""verdict":"#))
        #expect(run.stdout.contains(#""id":"MY_SLOW""#))
        #expect(run.stdout.contains("not applied"))
    }

    /// `(a+)+$` on 50 kB of a's and a '!' hits PCRE2's limits. Every summary — scan's table,
    /// Markdown and HTML, standard error for JSON Lines and CSV, filter's line, the reply list in
    /// each format that has one — counts the failed rule by id, and the comment's verdict comes from
    /// the rule that did run.
    @Test func everySummaryCountsARuleThatHitAMatchLimitAndTheOtherRulesStillDecide() throws {
        let rules = """
            body     MY_SLOW      /(a+)+$/
            describe MY_SLOW      Nested quantifiers that backtrack exponentially
            score    MY_SLOW      1.0
            body     MY_SHOUT     /a!$/
            describe MY_SHOUT     Ends in a shout
            score    MY_SHOUT     6.0
            """
        let ruleFile = try Self.temporaryFile("slow-and-shout.cf", bytes: Array(rules.utf8))
        let content = String(repeating: "a", count: 50_000) + "!"
        let records =
            #"{"id": "slow", "post_id": "p", "post_title": "Letters", "content": ""# + content + #""}"# + "\n"
            + #"{"id": "ok", "post_id": "p", "author": "Ana", "content": "Where did you buy the rye flour?"}"# + "\n"
        let input = try Self.temporaryFile("slow.jsonl", bytes: Array(records.utf8))
        let counted = "rule not applied: MY_SLOW on 1 comment"

        let jsonl = try CLIRun.run(["scan", "--rules", ruleFile, "--output", "jsonl", input])
        #expect(jsonl.status == 0)
        let slow = try #require(jsonl.stdout.split(separator: "\n").first.map(String.init))
        #expect(slow.contains(#""verdict":"spam""#))
        #expect(slow.contains(#"{"id":"MY_SHOUT","score":6,"#))
        #expect(slow.contains(#"{"id":"MY_SLOW","score":0,"description":"rule not applied: "#))
        #expect(slow.contains(#""not_applied":true"#))
        #expect(jsonl.stderr == "handraiser: \(counted)\n")

        let csv = try CLIRun.run(["scan", "--rules", ruleFile, "--output", "csv", input])
        #expect(csv.stderr == "handraiser: \(counted)\n")

        let table = try CLIRun.run(["scan", "--rules", ruleFile, input])
        #expect(table.stdout.hasSuffix("2 comments in 1 post: 1 spam, 1 genuine; \(counted).\n"))
        #expect(table.stderr.isEmpty)
        for format in ["markdown", "html"] {
            let run = try CLIRun.run(["scan", "--rules", ruleFile, "--output", format, input])
            #expect(run.stdout.contains("2 comments in 1 post: 1 spam, 1 genuine; \(counted)."), "scan -o \(format)")
        }

        let filter = try CLIRun.run(["filter", "--rules", ruleFile, input])
        #expect(filter.status == 0)
        #expect(
            filter.stderr
                == "handraiser: 2 records: 1 kept, 1 rejected (not written; use --rejects FILE to keep them); \(counted)\n"
        )
        let piped = try CLIRun.run(["filter", "--rules", ruleFile, "--format", "jsonl", "-"], stdin: records)
        #expect(piped.stderr.hasSuffix("; \(counted)\n"))

        for format in ["table", "markdown", "html"] {
            let run = try CLIRun.run(["replies", "--rules", ruleFile, "--output", format, input])
            #expect(run.status == 0)
            #expect(run.stdout.contains("1 post, 1 waiting, 0 answered; \(counted)"), "replies -o \(format)")
            #expect(run.stderr.isEmpty)
        }
        let eval = try CLIRun.run(["eval", "--rules", ruleFile, input])
        #expect(eval.stderr == "handraiser: \(counted)\n")
        for format in ["jsonl", "csv"] {
            let run = try CLIRun.run(["replies", "--rules", ruleFile, "--output", format, input])
            #expect(run.stderr == "handraiser: \(counted)\n", "replies -o \(format)")
        }
    }

    @Test func aBadRuleFileIsReportedWithFileAndLine() throws {
        let run = try CLIRun.run(["scan", "--rules", "fixtures/rules/bad.cf", "fixtures/jsonl/labelled.jsonl"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("handraiser: fixtures/rules/bad.cf:5"))
        #expect(run.stdout.isEmpty)
    }

    @Test func escapeSequencesInCommentsNeverReachTheTerminalRaw() throws {
        let hostile =
            "A post\n\nSome body text here.\n\n1 Response\n\n  1. Hello \u{1B}]0;pwned\u{07}\u{1B}[2J world \u{202E}evil\n"
        let path = try Self.temporaryFile("hostile.txt", bytes: Array(hostile.utf8))
        for arguments in [["scan", "--why", path], ["replies", path]] {
            let run = try CLIRun.run(arguments)
            #expect(run.status == 0)
            #expect(!run.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" })
        }
    }

    @Test func noColourWhenNotATerminalEvenWithoutNoColor() throws {
        let run = try CLIRun.run(["scan", "seeds/001_93fc104830a6439d.txt"], environment: ["NO_COLOR": ""])
        #expect(!run.stdout.contains("\u{1B}["))
    }

    @Test func evalPrintsTheFiguresForLabelledInput() throws {
        let run = try CLIRun.run(["eval", "fixtures/jsonl/labelled.jsonl"])
        #expect(run.status == 0)
        let header = run.stdout.split(separator: "\n").first.map(String.init) ?? ""
        for column in ["spam", "ham", "recall", "prec.", "FP rate"] { #expect(header.contains(column)) }
        #expect(run.stdout.contains("fixtures/jsonl/labelled.jsonl"))
        #expect(run.stdout.contains("per rule/check"))
    }

    /// Which comments each split counts, by the pooled row's spam and ham columns: ids 1…40, odd
    /// ones spam. The parts follow from `TokenModelSplit` (pinned in its own tests).
    @Test func evalTrainFractionCountsOnlyItsTestPartAndValidateOnlyTheTrainingPart() throws {
        let lines = (1...40).map { id in
            let label = id % 2 == 1 ? "spam" : "ham"
            let text = id % 2 == 1 ? "Cheap pills at discount prices" : "The second chapter helped my garden"
            return #"{"id":"\#(id)","post_id":"p","content":"\#(text) \#(id).","label":"\#(label)"}"#
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("split-\(UUID()).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        func pooled(_ arguments: [String]) throws -> [String] {
            let run = try CLIRun.run(["eval", "--train-fraction", "0.5"] + arguments + [file.path])
            #expect(run.status == 0)
            let row = run.stdout.split(separator: "\n").first { $0.hasPrefix("pooled ") } ?? ""
            return row.split(separator: " ").dropFirst().prefix(2).map(String.init)
        }
        #expect(try pooled([]) == ["8", "11"])
        #expect(try pooled(["--validate"]) == ["3", "3"])
        #expect(try pooled(["--split-seed", "3"]) == ["13", "12"])
        let usage = try CLIRun.run(["eval", "--validate", file.path])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("add --train-fraction 0.5"))
    }

    @Test func evalRepliesMissesListsSpamOnTheListAndReadersSetAside() throws {
        let lines = [
            #"{"id":"1","post_id":"p1","post_title":"Pruning tomatoes","post_author":"Marta Lind","author":"Jo Berg","content":"Thanks, the two-stem tip worked for my cherry tomatoes this year.","label":"spam","replied":false}"#,
            #"{"id":"2","post_id":"p1","author":"Ola","content":"Hi","label":"ham","replied":false}"#,
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("replies-misses-\(UUID()).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try CLIRun.run(["eval", "--replies", "--misses", file.path])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Spam and pingbacks listed as people (1)\n"))
        #expect(run.stdout.contains("#1 genuine 0 Jo Berg: Thanks, the two-stem tip"))
        #expect(run.stdout.contains("Comments not labelled spam set aside (1)\n"))
        #expect(run.stdout.contains("though called genuine: 0 spam, 1 not spam)"))
    }

    @Test func rulesTestPassesOnTheDefaultsAndLintFindsTheBrokenRule() throws {
        let test = try CLIRun.run(["rules", "test"])
        #expect(test.status == 0)
        #expect(test.stdout.hasSuffix(" 0 failed\n"))
        let lint = try CLIRun.run(["rules", "lint", "--no-defaults", "--rules", "fixtures/rules/bad.cf"])
        #expect(lint.status == 1)
        #expect((lint.stdout + lint.stderr).contains("fixtures/rules/bad.cf:5"))
    }

    @Test func unknownOptionsAreUsageErrors() throws {
        let run = try CLIRun.run(["scan", "--output", "yaml", "seeds/000_c75ce632b9b74587.txt"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("yaml"))
    }
}

/// A small seeded generator so property tests are repeatable.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// XML built to attack the reader is refused, or read without what it asks for, on its own
/// (no --format needed): in well under a second and a few tens of megabytes.
@Suite struct CLIXMLAttackTests {
    @Test func entityExpansionIsRefusedWithTheLineAndWhy() throws {
        let run = try CLIRun.run(["scan", "fixtures/wxr/billion-laughs.xml"])
        #expect(run.status == 1)
        #expect(
            run.stderr.hasPrefix(
                "handraiser: fixtures/wxr/billion-laughs.xml:19:21: the entity &lol9; would expand to more than 1,048,576 bytes"
            ))
        #expect(run.stderr.contains("entity-expansion attack"))
    }

    @Test func externalEntitiesAreNeverResolved() throws {
        let run = try CLIRun.run(["scan", "--output", "jsonl", "fixtures/wxr/xxe.xml"])
        #expect(run.status == 0)
        #expect(run.stdout.contains(#""content":"Here: &secret; and &remote; and"#))
        #expect(!run.stdout.contains("root:"))
    }

    @Test func deepNestingIsRefusedWithTheLine() throws {
        let xml =
            #"<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>"#
            + String(repeating: "<a>", count: 100_000) + "</channel></rss>"
        let path = try CLIBehaviourTests.temporaryFile("deep.xml", bytes: Array(xml.utf8))
        let run = try CLIRun.run(["scan", path])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("handraiser: \(path):1:"))
        #expect(run.stderr.contains("elements are nested more than 256 deep"))
    }
}
