import ArgumentParser
import HandraiserKit

extension HandraiserCommand {
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan",
            abstract: "Classify every comment of the inputs and summarise.",
            discussion: """
                Each FILE may be a text dump, JSON Lines, CSV, WordPress WXR or Disqus XML; - reads \
                standard input. Reports stream as the input is read, so exports of any size scan in \
                bounded memory. For exports that carry a moderation status, the table ends with an \
                audit of where the verdicts disagree with the site's.
                """)

        @OptionGroup var options: ClassifyOptions

        @Option(name: .shortAndLong, help: "Output format: table, jsonl, csv, markdown or html.")
        var output: ScanOutputFormat = .table

        @Flag(help: "Show every reason with its score and the evidence it quotes.")
        var why = false

        @Option(
            help: ArgumentHelp(
                "Print a script instead of a report: wp-cli (moderation commands for the WordPress exports among the inputs).",
                valueName: "kind"))
        var emit: EmitKind?

        @Argument(help: ArgumentHelp("Input files; - for standard input.", valueName: "file"))
        var files: [String] = ["-"]

        func writer() -> any ScanReportWriter {
            if emit != nil { return ScanJSONLRenderer.silent }
            switch output {
            case .table:
                return ScanTableRenderer(useColor: Terminal.useColor(), showReasons: why, width: Terminal.width)
            case .jsonl: return ScanJSONLRenderer()
            case .csv: return ScanCSVRenderer()
            case .markdown: return ScanMarkdownRenderer()
            case .html: return ScanHTMLRenderer()
            }
        }

        func run() throws {
            Handraiser.returnLargeBuffersWhenFreed()
            try Terminal.refuseOutputOverInputs(options.readPaths(files))
            let inputs = try InputRun(settings: options.settings())
            var observer = ReportingObserver(writer: writer(), emit: Terminal.write)
            var failed = false
            for file in files {
                do {
                    try inputs.handraiser.streamScan(file, into: &observer)
                } catch {
                    Terminal.error("handraiser: \(error)")
                    failed = true
                }
            }
            observer.finish()
            if observer.tally.unreadable > 0 { failed = true }
            if emit == .wpCLI {
                Terminal.write(observer.wpCLI.script)
            } else if output == .table {
                let audit = observer.audit.rendered()
                if !audit.isEmpty { Terminal.write("\n" + audit) }
            }
            // JSON Lines, CSV and scripts have no summary of their own: say it on standard error.
            let hasSummary = emit == nil && [.table, .markdown, .html].contains(output)
            if !hasSummary, let failures = observer.tally.ruleFailures.summary {
                Terminal.error("handraiser: " + failures)
            }
            if failed { throw ExitCode(1) }
        }
    }
}

enum ScanOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, jsonl, csv, markdown, html
}

enum EmitKind: String, ExpressibleByArgument, CaseIterable {
    case wpCLI = "wp-cli"
}
