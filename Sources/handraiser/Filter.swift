import ArgumentParser
import Foundation
import HandraiserKit

extension HandraiserCommand {
    struct Filter: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pass comments through, keeping or dropping them by verdict (JSON Lines out).",
            discussion: """
                Reads JSON Lines or a text dump (standard input by default) and writes one JSON \
                object per kept comment, annotated with verdict, score and reasons, in input order. \
                Every input record comes out exactly once: kept on standard output, or rejected \
                (to --rejects FILE when given); a line that cannot be read is reported with its \
                line number and, with --rejects or --annotate, written out as an \
                {"verdict":"unreadable",…} object.
                """)

        @OptionGroup var options: ClassifyOptions

        @Option(
            help: ArgumentHelp(
                "Verdicts to keep, comma-separated: genuine, held, pingback, author, spam. Default: all but spam.",
                valueName: "verdicts"))
        var keep: String?

        @Flag(help: "Keep every comment, annotated with its verdict.")
        var annotate = false

        @Option(help: ArgumentHelp("Write rejected and unreadable records here (JSON Lines).", valueName: "file"))
        var rejects: String?

        @Flag(name: .shortAndLong, help: "Do not print the summary line on standard error.")
        var quiet = false

        @Argument(help: ArgumentHelp("Input files; - for standard input.", valueName: "file"))
        var files: [String] = ["-"]

        func validate() throws {
            if annotate && keep != nil {
                throw ValidationError("--annotate keeps every comment; leave out --keep, or drop --annotate.")
            }
            _ = try keptVerdicts()
        }

        func keptVerdicts() throws -> Set<VerdictKind> {
            guard let keep else { return Set(VerdictKind.allCases).subtracting([.spam]) }
            var kinds = Set<VerdictKind>()
            for word in keep.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() })
            where !word.isEmpty {
                guard let kind = VerdictKind(rawValue: word) else {
                    throw ValidationError("'\(word)' is not a verdict; use genuine, held, pingback, author or spam.")
                }
                kinds.insert(kind)
            }
            return kinds
        }

        func run() throws {
            var inputs = try InputRun(settings: options.settings())
            let run = FilterRun(keep: try keptVerdicts(), annotateAll: annotate)
            var rejectsFile: AtomicFile?
            if let rejects { rejectsFile = try AtomicFile.create(rejects) }
            var tally = FilterRun.Tally()
            for file in files {
                let part: FilterRun.Tally
                do {
                    part = try inputs.handraiser.streamFilter(
                        file, run: run, kept: { Terminal.write($0 + "\n") },
                        rejected: { rejectsFile?.write($0 + "\n") },
                        noticed: { bad in
                            if rejectsFile == nil && !annotate {
                                Terminal.error("handraiser: \(bad.location): \(bad.message)")
                            }
                        })
                } catch {
                    Terminal.error("handraiser: \(error)")
                    throw ExitCode(1)
                }
                tally.add(part)
            }
            try rejectsFile?.commit()
            tally.ruleFailures = inputs.handraiser.classifier.ruleFailures.tally
            if !quiet { Terminal.error("handraiser: " + tally.summaryLine(rejectsWritten: rejects != nil)) }
            if tally.unreadable > 0 { inputs.markFailed() }
            if inputs.failed { throw ExitCode(1) }
        }
    }
}

/// A file written to a temporary name and renamed into place only when complete, so a failed
/// run never truncates an existing file.
final class AtomicFile {
    let path: String
    let temporaryPath: String
    private let handle: UnsafeMutablePointer<FILE>
    private var finished = false

    private init(path: String, temporaryPath: String, handle: UnsafeMutablePointer<FILE>) {
        self.path = path
        self.temporaryPath = temporaryPath
        self.handle = handle
    }

    static func create(_ path: String) throws -> AtomicFile {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary =
            (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        // O_EXCL | O_NOFOLLOW: a file or link planted under the temporary name is never written through.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666)
        guard descriptor >= 0, let handle = fdopen(descriptor, "w") else {
            if descriptor >= 0 { close(descriptor) }
            Terminal.error("handraiser: \(path): cannot write: \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        return AtomicFile(path: path, temporaryPath: temporary, handle: handle)
    }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in _ = fwrite(buffer.baseAddress, 1, buffer.count, handle) }
    }

    deinit {
        if !finished {
            fclose(handle)
            unlink(temporaryPath)
        }
    }

    func commit() throws {
        finished = true
        // A write that failed earlier (a full disk) leaves the stream's error flag set.
        let hadWriteError = ferror(handle) != 0
        let failed = fclose(handle) != 0 || hadWriteError
        if failed || rename(temporaryPath, path) != 0 {
            Terminal.error("handraiser: \(path): cannot write: \(String(cString: strerror(errno)))")
            unlink(temporaryPath)
            throw ExitCode(1)
        }
    }
}
