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

    @Test func anOutputThatIsAnInputIsRefusedAndTheInputKept() throws {
        let folder = try Self.scratchFolder("same")
        let input = try Self.copyFixture("fixtures/jsonl/labelled.jsonl", into: folder)
        let link = folder.appendingPathComponent("link.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
        let before = try Self.snapshot(input)
        let refused = "write the output to another file\n"
        let runs: [(arguments: [String], stderr: String)] = [
            (["filter", "--rejects", input, input], "handraiser: \(input): is also an input (\(input)); " + refused),
            (["filter", "--rejects", link, input], "handraiser: \(link): is also an input (\(input)); " + refused),
            (["learn", "-o", input, input], "handraiser: \(input): is also an input (\(input)); " + refused),
            (
                ["learn", "-o", link, "fixtures/jsonl/labelled.jsonl", input],
                "handraiser: \(link): is also an input (\(input)); " + refused
            ),
        ]
        for (arguments, stderr) in runs {
            let run = try CLIRun.run(arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr == stderr)
            #expect(run.stdout.isEmpty)
        }
        // Rule files (named, or in a named folder), Disallowed Keys lists and models are inputs too.
        let rules = folder.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        let rule = rules.appendingPathComponent("mine.cf").path
        try Data("body MY_X /casino/\nscore MY_X 1\n".utf8).write(to: URL(fileURLWithPath: rule))
        let keys = folder.appendingPathComponent("keys.txt").path
        try Data("casino\n".utf8).write(to: URL(fileURLWithPath: keys))
        for (options, target) in [
            (["--rules", rules.path], rule), (["--rules", rule], rule), (["--disallowed-keys", keys], keys),
        ] {
            let run = try CLIRun.run(["filter"] + options + ["--rejects", target, input])
            #expect(run.status == 1, "\(options)")
            #expect(run.stderr.hasPrefix("handraiser: \(target): is also an input ("))
        }
        #expect(try String(contentsOfFile: rule, encoding: .utf8) == "body MY_X /casino/\nscore MY_X 1\n")
        #expect(try String(contentsOfFile: keys, encoding: .utf8) == "casino\n")
        try FileManager.default.removeItem(at: rules)
        try FileManager.default.removeItem(atPath: keys)
        // Standard input read from the very file the rejects would replace.
        let piped = try Self.runWithFiles(["filter", "--rejects", input, "-"], stdin: input)
        #expect(piped.status == 1)
        #expect(piped.stderr.contains("is also the input (standard input reads it)"))
        // `handraiser filter in.jsonl >> in.jsonl` would read its own output.
        let appended = try Self.runWithFiles(["filter", "--annotate", input], stdout: input)
        #expect(appended.status == 1)
        #expect(
            appended.stderr
                == "handraiser: standard output is \(input), an input; redirect the output to another file\n")
        for command in [["scan"], ["replies"]] {
            let run = try Self.runWithFiles(command + [input], stdout: input)
            #expect(run.status == 1, "\(command)")
        }
        let after = try Self.snapshot(input)
        #expect(before.0 == after.0)
        #expect(before.1 == after.1)
        #expect(try Self.names(in: folder) == ["labelled.jsonl", "link.jsonl"])
    }

    @Test func aLinkPlantedAtTheRejectsPathIsReplacedAndItsTargetLeftAlone() throws {
        let folder = try Self.scratchFolder("planted")
        let input = try Self.copyFixture("fixtures/jsonl/labelled.jsonl", into: folder)
        let victim = folder.appendingPathComponent("victim.txt").path
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        let rejects = folder.appendingPathComponent("rejects.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: rejects, withDestinationPath: victim)
        let run = try CLIRun.run(["filter", "--rejects", rejects, input])
        #expect(run.status == 0)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: rejects)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8).contains(#""verdict":"spam""#))
        // /dev/null stays the device: written through, never renamed over.
        let null = try CLIRun.run(["filter", "--rejects", "/dev/null", input])
        #expect(null.status == 0)
        let device = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(device == .typeCharacterSpecial)
        #expect(try Self.names(in: folder) == ["labelled.jsonl", "rejects.jsonl", "victim.txt"])
    }

    /// A run ended by a signal (Ctrl-C, `kill`, the reader of `| head` going away) leaves the
    /// old rejects file byte for byte, and neither a temporary file nor a copy of standard input.
    @Test(arguments: [SIGTERM, SIGINT])
    func aRunEndedByASignalLeavesTheOldRejectsAndNoTemporaryFile(signal: Int32) throws {
        let folder = try Self.scratchFolder("signal-\(signal)")
        let rejects = folder.appendingPathComponent("rejects.jsonl")
        try Data("earlier rejects\n".utf8).write(to: rejects)
        var input: [Int32] = [0, 0]
        #expect(pipe(&input) == 0)
        let child = try Self.spawnWithSignalsAsAShellLeavesThem(
            ["filter", "--rejects", rejects.path, "-"], standardInput: input[0])
        close(input[0])
        // Half a record on standard input, then nothing: the run waits with both files open.
        let half = Array(#"{"id": "1", "content": "half a rec"#.utf8)
        #expect(write(input[1], half, half.count) == half.count)
        let deadline = Date().addingTimeInterval(20)
        while try (Self.names(in: folder).count < 2 || Self.stdinSpools(of: child).isEmpty) && Date() < deadline {
            usleep(20_000)
        }
        #expect(try Self.names(in: folder).count == 2, "the temporary rejects file never appeared")
        #expect(try Self.stdinSpools(of: child).count == 1, "standard input was never copied")
        usleep(200_000)
        kill(child, signal)
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        close(input[1])
        // WIFSIGNALED and WTERMSIG are macros Swift cannot see.
        #expect(status & 0x7F == signal, "wait status \(status)")
        #expect(try Self.names(in: folder) == ["rejects.jsonl"])
        #expect(try String(contentsOf: rejects, encoding: .utf8) == "earlier rejects\n")
        #expect(try Self.stdinSpools(of: child).isEmpty)
    }

    @Test func filterWithRejectsIntoAClosedPipeLeavesNoTemporaryFile() throws {
        let folder = try Self.scratchFolder("pipe-rejects")
        let input = folder.appendingPathComponent("many.jsonl")
        var records = ""
        for index in 0..<3000 {
            records +=
                #"{"id": "\#(index)", "post_id": "p\#(index / 100)", "content": "Cheap pills casino \#(index) http://x\#(index).example"}"#
                + "\n"
        }
        try Data(records.utf8).write(to: input)
        let rejects = folder.appendingPathComponent("rejects.jsonl")
        try Data("earlier rejects\n".utf8).write(to: rejects)
        let process = Process()
        process.executableURL = CLIRun.productsDirectory.appendingPathComponent("handraiser")
        process.arguments = ["filter", "--annotate", "--rejects", rejects.path, input.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        _ = output.fileHandleForReading.availableData
        try output.fileHandleForReading.close()
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGPIPE)
        #expect(try Self.names(in: folder) == ["many.jsonl", "rejects.jsonl"])
        #expect(try String(contentsOf: rejects, encoding: .utf8) == "earlier rejects\n")
    }

    /// Standard output on a full disk is an error (exit 1, said on standard error), and the
    /// rejects file of that run never replaces the old one.
    @Test func aFullStandardOutputIsAnErrorAndTheOldRejectsStay() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let folder = try Self.scratchFolder("full")
        let input = try Self.copyFixture("fixtures/jsonl/labelled.jsonl", into: folder)
        let rejects = folder.appendingPathComponent("rejects.jsonl")
        try Data("earlier rejects\n".utf8).write(to: rejects)
        let run = try Self.runWithFiles(
            ["filter", "--annotate", "--rejects", rejects.path, input], stdout: "/dev/full")
        #expect(run.status == 1)
        #expect(run.stderr == "handraiser: cannot write standard output: No space left on device\n")
        #expect(try String(contentsOf: rejects, encoding: .utf8) == "earlier rejects\n")
        #expect(try Self.names(in: folder) == ["labelled.jsonl", "rejects.jsonl"])
    }

    /// Started with SIGPIPE ignored (some supervisors do that), `filter | head` still ends at
    /// the first write that fails, quietly, without finishing the input or replacing the rejects.
    @Test func withSIGPIPEIgnoredAClosedPipeStillEndsTheRunQuietly() throws {
        let folder = try Self.scratchFolder("pipe-ignored")
        let input = folder.appendingPathComponent("many.jsonl")
        var records = ""
        for index in 0..<3000 {
            records += #"{"id": "\#(index)", "post_id": "p\#(index / 100)", "content": "Rye flour \#(index)?"}"# + "\n"
        }
        try Data(records.utf8).write(to: input)
        let rejects = folder.appendingPathComponent("rejects.jsonl")
        try Data("earlier rejects\n".utf8).write(to: rejects)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", #"trap '' PIPE; exec "$0" "$@""#, CLIRun.productsDirectory.appendingPathComponent("handraiser").path,
            "filter", "--annotate", "--rejects", rejects.path, input.path,
        ]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        _ = output.fileHandleForReading.availableData
        try output.fileHandleForReading.close()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(decoding: stderr, as: UTF8.self) == "")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGPIPE)
        #expect(try String(contentsOf: rejects, encoding: .utf8) == "earlier rejects\n")
        #expect(try Self.names(in: folder) == ["many.jsonl", "rejects.jsonl"])
    }

    /// Starts the binary with no signal blocked or ignored, as a shell starts it (the test
    /// runner's threads block most signals, and `Process` passes that mask on); stdout and
    /// stderr go to /dev/null. Returns the child's pid.
    static func spawnWithSignalsAsAShellLeavesThem(_ arguments: [String], standardInput: Int32) throws -> pid_t {
        let executable = CLIRun.productsDirectory.appendingPathComponent("handraiser").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        #expect(spawned == 0)
        return pid
    }

    /// Copies of standard input that the run `pid` left in the temporary folder.
    static func stdinSpools(of pid: pid_t) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("handraiser-stdin-\(pid)-") }
    }

    /// Runs the binary with standard input read from `stdin` and standard output appended to
    /// `stdout` (files), as a shell's `< file` and `>> file` would.
    static func runWithFiles(_ arguments: [String], stdin: String? = nil, stdout: String? = nil) throws -> CLIRun {
        let process = Process()
        process.executableURL = CLIRun.productsDirectory.appendingPathComponent("handraiser")
        process.arguments = arguments
        process.currentDirectoryURL = CLIRun.packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardInput =
            try stdin.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) }
            ?? FileHandle.nullDevice
        let output = Pipe()
        if let stdout {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
            try handle.seekToEnd()
            process.standardOutput = handle
        } else {
            process.standardOutput = output
        }
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        try? output.fileHandleForWriting.close()
        let outData = stdout == nil ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRun(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
