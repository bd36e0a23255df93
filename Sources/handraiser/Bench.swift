import ArgumentParser
import Foundation
import HandraiserKit

extension HandraiserCommand {
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Measure speed and memory: filter on the dev corpus, or scan an export.",
            discussion: """
                With no option that picks another mode, replicates the dev corpus (--corpus) to \
                --jsonl-bytes of JSON Lines (and to each --growth-bytes size), runs this binary's \
                `filter --annotate` on each as a child process, and reports comments/s, MB/s, CPU \
                time and peak RSS; then start-up on one comment, the split of time between \
                reading, normalising, checks, rules and output, how classification slows with \
                100 to 10,000 extra rules, and bogofilter on the same comments when it is on \
                PATH. With --wxr-bytes, writes a synthetic WXR export of that size to a temporary \
                file and times a streamed scan of it; with FILE arguments, scans those. Build in \
                release mode for real figures: swift build -c release --static-swift-stdlib.
                """)

        @OptionGroup var options: ClassifyOptions

        @Option(help: ArgumentHelp("Folder of the dev corpus's *.jsonl files.", valueName: "dir"))
        var corpus = "../shared/corpus"

        @Option(help: ArgumentHelp("Size of the replicated JSON Lines for the headline figure.", valueName: "size"))
        var jsonlBytes = "100M"

        @Option(
            help: ArgumentHelp(
                "Smaller sizes filtered first, to show how cost grows (comma-separated; none for none).",
                valueName: "sizes"))
        var growthBytes = "10M,30M"

        @Option(help: ArgumentHelp("Runs of filter on one comment for the start-up time.", valueName: "n"))
        var startupRuns = 20

        @Option(help: ArgumentHelp("Comments classified per rule-scaling row.", valueName: "n"))
        var ruleSample = 1000

        @Option(
            help: ArgumentHelp(
                "Scan a generated WXR export of this size instead, e.g. 100M or 1G.", valueName: "size"))
        var wxrBytes: String?

        @Option(
            help: ArgumentHelp("Keep the generated export at this path instead of a temporary file.", valueName: "path")
        )
        var keep: String?

        @Argument(help: ArgumentHelp("Files to scan instead.", valueName: "file"))
        var files: [String] = []

        func validate() throws {
            for size in [jsonlBytes] + [wxrBytes].compactMap({ $0 }) + growthSizes().map({ $0.text })
            where Benchmark.bytes(size) == nil {
                throw ValidationError("'\(size)' is not a size; write it like 500M or 1G.")
            }
            guard startupRuns > 0, ruleSample > 0 else {
                throw ValidationError("--startup-runs and --rule-sample take a number of at least 1.")
            }
            if wxrBytes != nil && !files.isEmpty {
                throw ValidationError("Give either --wxr-bytes or files to scan, not both.")
            }
        }

        func growthSizes() -> [(text: String, bytes: Int)] {
            guard growthBytes.lowercased() != "none" else { return [] }
            return growthBytes.split(separator: ",").map { part in
                let text = part.trimmingCharacters(in: .whitespaces)
                return (text, Benchmark.bytes(text) ?? 0)
            }
        }

        func run() throws {
            if wxrBytes != nil || !files.isEmpty { return try scan() }
            guard let executable = ChildProcess.currentExecutable() else {
                Terminal.error("handraiser: cannot find this program's own path to run it as filter")
                throw ExitCode(1)
            }
            let headline = Benchmark.bytes(jsonlBytes) ?? 0
            let suite = BenchmarkSuite(
                executable: executable, corpusDirectory: corpus,
                jsonlSizes: growthSizes().map(\.bytes).filter { $0 < headline }.sorted() + [headline],
                startupRuns: startupRuns, ruleSample: ruleSample, settings: options.settings())
            do {
                try suite.run { section in
                    Terminal.write(section)
                    fflush(nil)
                }
            } catch {
                Terminal.error("handraiser: \(error)")
                throw ExitCode(1)
            }
        }

        func scan() throws {
            var inputs = files
            var generated: Benchmark.GeneratedExport?
            if inputs.isEmpty {
                do {
                    generated = try Benchmark.generateExport(bytes: Benchmark.bytes(wxrBytes ?? "") ?? 0, keep: keep)
                } catch {
                    Terminal.error("handraiser: \(error)")
                    throw ExitCode(1)
                }
                if let generated {
                    Terminal.error(
                        "generated \(generated.path): \(generated.summary.comments) comments in \(generated.summary.posts) posts"
                    )
                    inputs = [generated.path]
                }
            }
            defer { generated?.remove() }
            Terminal.write(
                BenchmarkReport.machine(
                    executable: ChildProcess.currentExecutable() ?? "handraiser", workers: options.settings().workers))
            let report = try Benchmark.run(files: inputs, settings: options.settings())
            Terminal.write(TerminalSafe.clean(report.description))
        }
    }
}
