import ArgumentParser
import Foundation
import HandraiserKit

extension HandraiserCommand {
    struct Filter: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "filter",
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
            Handraiser.returnLargeBuffersWhenFreed()
            try Terminal.refuseOutputOverInputs(options.readPaths(files))
            var inputs = try InputRun(settings: options.settings())
            let run = FilterRun(keep: try keptVerdicts(), annotateAll: annotate)
            var rejectsFile: OutputFile?
            do {
                if let rejects { rejectsFile = try OutputFile.create(rejects, inputs: options.readPaths(files)) }
            } catch {
                Terminal.error("handraiser: \(error)")
                throw ExitCode(1)
            }
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
            do {
                try rejectsFile?.commit()
            } catch {
                Terminal.error("handraiser: \(error)")
                throw ExitCode(1)
            }
            tally.ruleFailures = inputs.handraiser.classifier.ruleFailures.tally
            if !quiet { Terminal.error("handraiser: " + tally.summaryLine(rejectsWritten: rejects != nil)) }
            if tally.unreadable > 0 { inputs.markFailed() }
            if inputs.failed { throw ExitCode(1) }
        }
    }
}
