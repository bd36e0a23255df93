import Foundation
import HandraiserModel
import Testing

/// Output files appear whole or not at all, never over an input, never through a planted link.
@Suite struct OutputFileTests {
    /// A fresh folder for one test.
    static func folder(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-outputfile-\(getpid())-\(name)"
        ).path
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func names(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    static func write(_ text: String, _ path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func theDestinationKeepsItsOldBytesUntilCommitThenHoldsTheNewOnes() throws {
        let folder = try Self.folder("commit")
        let path = folder + "/rejects.jsonl"
        try Self.write("old\n", path)
        let file = try OutputFile.create(path)
        file.write("new line 1\n")
        #expect(try Self.read(path) == "old\n")
        #expect(try Self.names(folder).count == 2)
        #expect(file.temporaryPath.hasPrefix(folder + "/.rejects.jsonl."))
        #expect(FileManager.default.fileExists(atPath: file.temporaryPath))
        file.write("new line 2\n")
        try file.commit()
        #expect(try Self.read(path) == "new line 1\nnew line 2\n")
        #expect(try Self.names(folder) == ["rejects.jsonl"])
    }

    @Test func aRunThatGivesUpLeavesTheOldFileByteForByteAndNoTemporaryFile() throws {
        let folder = try Self.folder("discard")
        let path = folder + "/blog.model"
        let old = "handraiser-token-model 1\n\u{0}binary\u{FF}tail"
        try Self.write(old, path)
        do {
            let file = try OutputFile.create(path)
            file.write(String(repeating: "x", count: 200_000))
            // Dropped without commit, as when a run throws.
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(old.utf8))
        #expect(try Self.names(folder) == ["blog.model"])
        let explicit = try OutputFile.create(path)
        explicit.write("y")
        explicit.discard()
        #expect(try Self.read(path) == old)
        #expect(try Self.names(folder) == ["blog.model"])
    }

    @Test func aNewFileIsPrivateAndAReplacedFileKeepsItsPermissions() throws {
        let folder = try Self.folder("modes")
        let fresh = folder + "/fresh.jsonl"
        try OutputFile.write("a\n", to: fresh)
        #expect(try Self.mode(fresh) == 0o600)
        let shared = folder + "/shared.jsonl"
        try Self.write("old\n", shared)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: shared)
        try OutputFile.write("b\n", to: shared)
        #expect(try Self.mode(shared) == 0o640)
        #expect(try Self.read(shared) == "b\n")
    }

    @Test func anOutputThatIsAnInputIsRefusedBeforeAnythingIsWritten() throws {
        let folder = try Self.folder("inputs")
        let input = folder + "/in.jsonl"
        try Self.write("{\"content\":\"x\"}\n", input)
        let link = folder + "/link.jsonl"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
        let hard = folder + "/hard.jsonl"
        try FileManager.default.linkItem(atPath: input, toPath: hard)
        for destination in [input, link, hard, folder + "/./in.jsonl"] {
            #expect(throws: OutputFileError.self) { try OutputFile.create(destination, inputs: ["other", input]) }
        }
        do {
            _ = try OutputFile.create(link, inputs: [input])
            Issue.record("a link to an input was accepted")
        } catch {
            #expect(error.description == "\(link): is also an input (\(input)); write the output to another file")
        }
        #expect(try Self.read(input) == "{\"content\":\"x\"}\n")
        #expect(try Self.names(folder) == ["hard.jsonl", "in.jsonl", "link.jsonl"])
        // Another file of the same folder is fine.
        try OutputFile.write("ok\n", to: folder + "/out.jsonl", inputs: [input])
        #expect(try Self.read(folder + "/out.jsonl") == "ok\n")
    }

    @Test func aLinkAtTheDestinationIsReplacedAndWhatItPointsToIsLeftAlone() throws {
        let folder = try Self.folder("link")
        let victim = folder + "/victim.txt"
        try Self.write("precious\n", victim)
        let planted = folder + "/rejects.jsonl"
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim)
        let dangling = folder + "/dangling.jsonl"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: folder + "/nowhere/x")
        try OutputFile.write("rejected\n", to: planted)
        try OutputFile.write("also\n", to: dangling)
        #expect(try Self.read(victim) == "precious\n")
        #expect(try Self.read(planted) == "rejected\n")
        #expect(try Self.read(dangling) == "also\n")
        let type = try FileManager.default.attributesOfItem(atPath: planted)[.type] as? FileAttributeType
        #expect(type == .typeRegular)
        #expect(try Self.mode(planted) == 0o600)
        #expect(try Self.names(folder) == ["dangling.jsonl", "rejects.jsonl", "victim.txt"])
    }

    @Test func aFolderIsRefusedAndAMissingFolderNamed() throws {
        let folder = try Self.folder("folder")
        #expect(throws: OutputFileError(file: folder, message: "is a folder; give a file name")) {
            try OutputFile.create(folder)
        }
        #expect(
            throws: OutputFileError(file: folder + "/no/x.jsonl", message: "cannot write: No such file or directory")
        ) { try OutputFile.create(folder + "/no/x.jsonl") }
        #expect(try Self.names(folder).isEmpty)
    }

    @Test func aDeviceIsWrittenDirectlyAndAFullOneIsAnError() throws {
        try OutputFile.write("discarded\n", to: "/dev/null")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let full = try OutputFile.create("/dev/full")
        full.write(String(repeating: "z", count: 100_000))
        #expect(throws: OutputFileError(file: "/dev/full", message: "cannot write: No space left on device")) {
            try full.commit()
        }
    }
}
