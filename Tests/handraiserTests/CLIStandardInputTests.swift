import Foundation
import Testing

/// Every command reads standard input through a private temporary copy (so readers that look
/// twice, a Disqus export's threads by offset, never hold a pipe's bytes): the output is the
/// file's, errors name `-`, and the copy is gone when the run ends, also when it fails.
@Suite struct CLIStandardInputTests {
    static func scratchDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-stdin-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func normalised(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    static let commands: [[String]] = [
        ["scan"], ["scan", "-o", "jsonl"], ["filter", "--annotate"], ["replies"], ["replies", "-o", "html"], ["eval"],
    ]

    @Test(arguments: commands)
    func aPipedDisqusExportReadsAsTheFile(_ command: [String]) throws {
        let file = "fixtures/disqus/disqus-mixed-order.xml"
        let text = try String(contentsOfFile: CLIRun.packageRoot.appendingPathComponent(file).path, encoding: .utf8)
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let fromFile = try CLIRun.run(command + [file])
        let piped = try CLIRun.run(command + ["-"], stdin: text, environment: ["TMPDIR": scratch])
        #expect(piped.status == fromFile.status)
        // The same report, where the file is named `-` (and columns sized to that name).
        #expect(
            Self.normalised(piped.stdout) == Self.normalised(fromFile.stdout.replacingOccurrences(of: file, with: "-")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
    }

    @Test(arguments: commands)
    func aPipedInputsErrorNamesStandardInput(_ command: [String]) throws {
        let file = "fixtures/wxr/malformed-unclosed.xml"
        let text = try String(contentsOfFile: CLIRun.packageRoot.appendingPathComponent(file).path, encoding: .utf8)
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let piped = try CLIRun.run(command + ["-"], stdin: text, environment: ["TMPDIR": scratch])
        #expect(piped.status == 1)
        #expect(piped.stderr.hasPrefix("handraiser: -:20:3: </item> found where </wp:comment> was expected"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
    }
}
