import Foundation
import Testing

/// Escape sequences, C1 controls, bidi overrides and invisible characters in anything a run
/// reads — comment text, names, URLs, titles, pass-through fields, a broken line quoted in an
/// error, a rule's description or example — never reach standard output or standard error raw,
/// in any command or format.
@Suite struct CLIHostileTextTests {
    /// OSC retitle + BEL, clear screen, an 8-bit CSI, a right-to-left override, a zero-width
    /// space, a first-strong isolate and a byte-order mark.
    static let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}evil\u{200B}zw\u{2066}iso\u{FEFF}"
    static let forbidden: Set<Unicode.Scalar> = [
        "\u{1B}", "\u{07}", "\u{9B}", "\u{202E}", "\u{200B}", "\u{2066}", "\u{FEFF}",
    ]

    static func jsonString(_ text: String) -> String {
        // Controls as JSON escapes; the rest raw, as a hostile export would carry them.
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0..<0x20: out += String(format: "\\u%04x", scalar.value)
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The hostile records and rule file, in a folder of their own per `name` (tests run in parallel).
    static func inputs(_ name: String) throws -> (records: String, rules: String) {
        let bad = jsonString(hostile)
        let bare = bad.dropFirst().dropLast()
        let records =
            [
                #"{"id": "1", "post_id": "p1", "post_title": "Bread \#(bare)", "author": "Ann\#(bare)", "#
                    + #""author_url": "http://x.example/\#(bare)", "label": "ham", "extra": {"note": \#(bad)}, "#
                    + #""content": "Where did you buy the rye flour? \#(bare)"}"#,
                #"{"id": "2", "post_id": "p1", "parent_id": "1", "author": "Spammy\#(bare)", "label": "spam", "#
                    + #""content": "Nice post \#(bare)"}"#,
                // Not JSON: raw escape bytes, quoted back in the error message and the unreadable record.
                #"{"id": "3", "content": "broken "# + hostile,
            ].joined(separator: "\n") + "\n"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-hostile-\(getpid())-\(name)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let recordsPath = folder.appendingPathComponent("hostile.jsonl")
        try Data(records.utf8).write(to: recordsPath)
        let rules = """
            body     MY_FLOUR  /\\bflour\\b/
            describe MY_FLOUR  Flour talk \(hostile)
            score    MY_FLOUR  0.5
            test     MY_FLOUR  hit  "no f-word here \(hostile)"
            """
        let rulesPath = folder.appendingPathComponent("hostile.cf")
        try Data(rules.utf8).write(to: rulesPath)
        return (recordsPath.path, rulesPath.path)
    }

    static let commands: [[String]] = [
        ["scan", "--why"], ["scan", "--output", "jsonl"], ["scan", "--output", "csv"],
        ["scan", "--output", "markdown"],
        ["scan", "--output", "html"], ["replies"], ["replies", "--output", "markdown"],
        ["replies", "--output", "html"],
        ["replies", "--output", "jsonl"], ["replies", "--output", "csv"], ["filter"], ["filter", "--annotate"],
        ["eval", "--misses", "--false-positives"],
    ]

    @Test(arguments: commands)
    func hostileCharactersAreShownAsMarksOrEscapes(command: [String]) throws {
        let (records, rules) = try Self.inputs(command.joined(separator: "-"))
        let run = try CLIRun.run(command + ["--rules", rules, records])
        #expect(run.status == 1, "the broken line makes the run fail")
        #expect(run.stdout.count > 0)
        let raw = (run.stdout + run.stderr).unicodeScalars.filter { Self.forbidden.contains($0) }
        #expect(raw.isEmpty, "raw: \(raw.map { String($0.value, radix: 16) })")
        // What was there is still visible: as a mark on screens and in documents, as \u escapes in JSON.
        let shown = (run.stdout + run.stderr).contains("⟨U+202E⟩") || (run.stdout + run.stderr).contains("\\u202e")
        #expect(shown)
    }

    @Test func ruleDiagnosticsShowHostileExamplesAsMarks() throws {
        let (_, rules) = try Self.inputs("rules-test")
        let test = try CLIRun.run(["rules", "test", "--no-defaults", "--rules", rules])
        #expect(test.status == 1)
        #expect(test.stdout.contains("⟨U+202E⟩evil⟨U+200B⟩zw⟨U+2066⟩iso⟨U+FEFF⟩"))
        #expect(test.stdout.contains("␛]0;pwned␇␛[2J⟨U+009B⟩31m"))
        #expect(!(test.stdout + test.stderr).unicodeScalars.contains { Self.forbidden.contains($0) })
    }
}
