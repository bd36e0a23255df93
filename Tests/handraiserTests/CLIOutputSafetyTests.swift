import Foundation
import Testing

/// What the binary does to the files and pipes around it: inputs are only read, output files
/// appear whole or not at all, and a reader that goes away (`filter | head`) ends the run quietly.
@Suite struct CLIOutputSafetyTests {
    /// A fresh folder of copies of the fixtures, so a test can watch them.
    static func scratchFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-safety-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func copyFixture(_ relative: String, into folder: URL) throws -> String {
        let source = CLIRun.packageRoot.appendingPathComponent(relative)
        let target = folder.appendingPathComponent(source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: target)
        return target.path
    }

    /// Bytes, size and modification time: what "not modified" means.
    static func snapshot(_ path: String) throws -> (Data, Date?, Int?) {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (
            try Data(contentsOf: URL(fileURLWithPath: path)), attributes[.modificationDate] as? Date,
            attributes[.size] as? Int
        )
    }

    static func names(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func inputsAreNeverModifiedByAnyCommand() throws {
        let folder = try Self.scratchFolder("inputs")
        let inputs = try [
            "fixtures/jsonl/labelled.jsonl", "fixtures/csv/interchange-quoted.csv", "fixtures/wxr/wxr-1.2-authors.xml",
            "fixtures/disqus/disqus-mixed-order.xml", "fixtures/dump/wordpress-thoughts.txt",
        ].map { try Self.copyFixture($0, into: folder) }
        // Read-only files too: a command that tried to open an input for writing would fail.
        for path in inputs { try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path) }
        let before = try inputs.map(Self.snapshot)
        let rejects = folder.appendingPathComponent("rejects.jsonl").path
        let model = folder.appendingPathComponent("blog.model").path
        let runs: [[String]] = [
            ["scan", "--why"] + inputs, ["scan", "--output", "html"] + inputs, ["replies"] + inputs,
            ["filter", "--rejects", rejects, inputs[0], inputs[4]], ["learn", "-o", model, inputs[0]],
            ["eval", inputs[0]],
        ]
        for arguments in runs {
            let run = try CLIRun.run(arguments)
            #expect(run.stdout.count > 0, "\(arguments.joined(separator: " ")) printed nothing")
        }
        let after = try inputs.map(Self.snapshot)
        for (index, path) in inputs.enumerated() {
            #expect(before[index].0 == after[index].0, "\(path) changed")
            #expect(before[index].1 == after[index].1, "\(path) was touched")
        }
        #expect(try Self.names(in: folder).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func aFailedFilterLeavesAnExistingRejectsFileAsItWasAndNoTemporaryFile() throws {
        let folder = try Self.scratchFolder("rejects")
        let input = try Self.copyFixture("fixtures/jsonl/labelled.jsonl", into: folder)
        let rejects = folder.appendingPathComponent("rejects.jsonl")
        try Data("earlier rejects\n".utf8).write(to: rejects)
        let missing = folder.appendingPathComponent("missing.jsonl").path
        let failed = try CLIRun.run(["filter", "--rejects", rejects.path, input, missing])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("missing.jsonl"))
        #expect(try String(contentsOf: rejects, encoding: .utf8) == "earlier rejects\n")
        #expect(try Self.names(in: folder) == ["labelled.jsonl", "rejects.jsonl"])

        let succeeded = try CLIRun.run(["filter", "--rejects", rejects.path, input])
        #expect(succeeded.status == 0)
        let written = try String(contentsOf: rejects, encoding: .utf8)
        #expect(written != "earlier rejects\n")
        #expect(written.contains(#""verdict":"spam""#))
        #expect(try Self.names(in: folder) == ["labelled.jsonl", "rejects.jsonl"])
    }

    @Test func aFailedLearnLeavesAnExistingModelAsItWas() throws {
        let folder = try Self.scratchFolder("model")
        let model = folder.appendingPathComponent("blog.model")
        try Data("earlier model\n".utf8).write(to: model)
        let unlabelled = try Self.copyFixture("fixtures/dump/wordpress-thoughts.txt", into: folder)
        let run = try CLIRun.run(["learn", "-o", model.path, unlabelled])
        #expect(run.status == 1)
        #expect(try String(contentsOf: model, encoding: .utf8) == "earlier model\n")
        #expect(try Self.names(in: folder) == ["blog.model", "wordpress-thoughts.txt"])
    }

    /// `handraiser filter big.jsonl | head -1`: once the reader has gone, the run ends at the next
    /// write, without a message, and long before it would have finished the input.
    @Test func filterIntoAClosedPipeEndsQuietly() throws {
        let folder = try Self.scratchFolder("pipe")
        let input = folder.appendingPathComponent("many.jsonl")
        var records = ""
        for index in 0..<600 {
            records += #"{"id": "\#(index)", "post_id": "p\#(index / 100)", "author": "Reader \#(index % 97)", "#
            records += #""content": "Where did you buy the rye flour for loaf number \#(index)?"}"# + "\n"
        }
        try Data(records.utf8).write(to: input)

        let process = Process()
        process.executableURL = CLIRun.productsDirectory.appendingPathComponent("handraiser")
        process.arguments = ["filter", "--annotate", input.path]
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Like `head -1`: take the first line, then close the pipe.
        var first = Data()
        while !first.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first += chunk
        }
        try output.fileHandleForReading.close()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        #expect(String(decoding: first, as: UTF8.self).hasPrefix(#"{"#))
        #expect(String(decoding: stderr, as: UTF8.self) == "")
        let endedBySIGPIPE = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGPIPE
        let endedCleanly = process.terminationReason == .exit && process.terminationStatus == 0
        #expect(
            endedBySIGPIPE || endedCleanly,
            "ended by \(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus)")
    }
}
