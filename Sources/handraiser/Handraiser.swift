import ArgumentParser
import Foundation
import HandraiserKit

@main
struct HandraiserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handraiser",
        abstract: "Find the real people in a comment section.",
        discussion: """
            Reads comment dumps (a blog page's comments pasted as text) and exports (JSON Lines, \
            CSV, WordPress WXR, Disqus XML), classifies every comment as spam, held, genuine, \
            pingback or the author's own, explains why, and lists the people who deserve a reply.

            EXIT STATUS
              0   success
              1   an input could not be read, an output could not be written, or a check failed
                  (details on standard error)
              64  the command line is wrong
            """,
        version: "0.1.0",
        subcommands: [Scan.self, Filter.self, Replies.self, Rules.self, Eval.self, Learn.self, Bench.self],
        defaultSubcommand: nil)

    /// ArgumentParser's own `main`, with standard output flushed and checked before exiting.
    static func main() {
        RuleSet.prepareDefaults()
        do {
            var command = try parseAsRoot()
            try command.run()
            Terminal.finish()
        } catch {
            Terminal.finish()
            exit(withError: error)
        }
    }
}

/// Options every classifying command shares.
struct ClassifyOptions: ParsableArguments {
    @Option(
        name: .customLong("rules"),
        help: ArgumentHelp(
            "A .cf rule file or a folder of them, on top of the defaults (repeatable).", valueName: "path"))
    var rulePaths: [String] = []

    @Option(
        name: .customLong("disallowed-keys"),
        help: ArgumentHelp(
            "A WordPress \"Disallowed Comment Keys\" list, one key per line (repeatable).", valueName: "file"))
    var disallowedKeys: [String] = []

    @Option(
        name: .customLong("author"),
        help: ArgumentHelp("The post author's name as it appears on comments (repeatable).", valueName: "name"))
    var authors: [String] = []

    @Option(
        help: ArgumentHelp(
            "The input format, when sniffing guesses wrong: dump, jsonl, csv, wxr, disqus.", valueName: "format"))
    var format: InputFormat?

    @Option(
        name: .customLong("model"),
        help: ArgumentHelp("A token model made by `handraiser learn`, scored as one more check.", valueName: "file"))
    var modelPath: String?

    @Option(
        help: ArgumentHelp(
            "Comments to classify at once (default: one per core, or HANDRAISER_WORKERS).", valueName: "n"))
    var workers: Int?

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers takes a number of 1 or more.") }
    }

    /// Every file the run reads besides `files`: rule files (and the files in rule folders),
    /// Disallowed Keys lists and the model — none of them may be overwritten by an output.
    func readPaths(_ files: [String]) -> [String] {
        var paths = files + disallowedKeys + (modelPath.map { [$0] } ?? [])
        for path in rulePaths {
            paths.append(path)
            if let names = try? FileManager.default.contentsOfDirectory(atPath: path) {
                paths += names.map { (path as NSString).appendingPathComponent($0) }
            }
        }
        return paths
    }

    func settings(team: [String] = []) -> RunSettings {
        RunSettings(
            rulePaths: rulePaths, disallowedKeyFiles: disallowedKeys, authorNames: authors + team, format: format,
            modelPath: modelPath, workers: workers)
    }
}

extension InputFormat: ExpressibleByArgument {}

/// Where the program's output goes, and whether it may use colour.
enum Terminal {
    static func useColor(for stream: Int32 = STDOUT_FILENO) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if environment["NO_COLOR"].map({ !$0.isEmpty }) == true { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(stream) == 1
    }

    static var width: Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            return columns
        }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 100
    }

    // C stdio streams of our own: buffered, flushed by exit(), and not the C library's global
    // `stdout`, which Swift 6 rejects as shared mutable state.
    nonisolated(unsafe) private static let output = fdopen(STDOUT_FILENO, "w")
    nonisolated(unsafe) private static let errors = fdopen(STDERR_FILENO, "w")

    /// Writes to standard output (buffered). A write that fails ends the run (`outputFailed`).
    static func write(_ text: String) {
        var text = text
        let complete = text.withUTF8 { buffer in fwrite(buffer.baseAddress, 1, buffer.count, output) == buffer.count }
        if !complete { outputFailed() }
    }

    /// Flushes standard output; called once at the end of every run, so output lost to a full
    /// disk is an error, not a silent success.
    static func finish() {
        if fflush(output) != 0 { outputFailed() }
    }

    /// Standard output took no more. Its reader went away (`| head`, with SIGPIPE ignored by
    /// whoever started us): end quietly, as SIGPIPE would. Anything else (a full disk): say so
    /// and exit 1. Either way output files not yet complete are removed, never left half written.
    static func outputFailed() -> Never {
        let code = errno
        if code == EPIPE { InterruptCleanup.endAsBrokenPipe() }
        InterruptCleanup.removeAll()
        error("handraiser: cannot write standard output: \(String(cString: strerror(code)))")
        exit(1)
    }

    /// Stops the run (exit status 1) when standard output is redirected into one of `inputs`.
    static func refuseOutputOverInputs(_ inputs: [String]) throws {
        guard let input = OutputFile.inputWrittenByStandardOutput(inputs) else { return }
        error(
            "handraiser: standard output is \(input == "-" ? "the file standard input reads" : input), an input; "
                + "redirect the output to another file")
        throw ExitCode(1)
    }

    /// Writes a line to standard error, made safe for a terminal.
    static func error(_ text: String) {
        var line = TerminalSafe.clean(text) + "\n"
        fflush(output)
        line.withUTF8 { buffer in _ = fwrite(buffer.baseAddress, 1, buffer.count, errors) }
        fflush(errors)
    }
}

/// Reads and classifies every input, reporting the ones that fail; throws ExitCode(1) at the end
/// only through `finish()`, so one bad file does not hide the others' results.
struct InputRun {
    let handraiser: Handraiser
    private(set) var failed = false

    init(settings: RunSettings) throws {
        do {
            handraiser = try Handraiser(settings: settings)
        } catch {
            Terminal.error("handraiser: \(error)")
            throw ExitCode(1)
        }
    }

    mutating func markFailed() { failed = true }

    mutating func scan(_ files: [String]) -> ScanResult {
        var sources: [ScanResult.Source] = []
        for file in files {
            do {
                let source = try handraiser.scan(file)
                if !source.unreadable.isEmpty { failed = true }
                sources.append(source)
            } catch {
                Terminal.error("handraiser: \(error)")
                failed = true
            }
        }
        return ScanResult(sources: sources)
    }
}
