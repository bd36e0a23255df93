import ArgumentParser
import HandraiserKit

extension HandraiserCommand {
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify every comment of the inputs and summarise.",
            discussion: """
                Each FILE may be a text dump, JSON Lines, CSV, WordPress WXR or Disqus XML; - reads \
                standard input. For exports that carry a moderation status, the table ends with an \
                audit of where the verdicts disagree with the site's.
                """)

        @OptionGroup var options: ClassifyOptions

        @Option(name: .shortAndLong, help: "Output format: table, jsonl, csv, markdown or html.")
        var output: ScanOutputFormat = .table

        @Flag(help: "Show every reason with its score and the evidence it quotes.")
        var why = false

        @Option(help: ArgumentHelp("Print a script instead of a report: wp-cli (WordPress moderation commands).", valueName: "kind"))
        var emit: EmitKind?

        @Argument(help: ArgumentHelp("Input files; - for standard input.", valueName: "file"))
        var files: [String] = ["-"]

        func run() throws {
            var inputs = try InputRun(settings: options.settings())
            let result = inputs.scan(files)
            if emit == .wpCLI {
                Terminal.write(WPCLIScript.render(result))
            } else {
                switch output {
                case .table:
                    let renderer = ScanTableRenderer(useColor: Terminal.useColor(), showReasons: why, width: Terminal.width)
                    Terminal.write(renderer.render(result))
                    let audit = ModerationAudit(result).rendered()
                    if !audit.isEmpty { Terminal.write("\n" + audit) }
                case .jsonl:
                    for source in result.sources {
                        for thread in source.threads {
                            for item in thread.comments {
                                Terminal.write(CommentRecordWriter.json(item, post: thread.post) + "\n")
                            }
                        }
                    }
                case .csv: Terminal.write(ScanCSVRenderer.render(result))
                case .markdown: Terminal.write(ScanMarkdownRenderer.render(result))
                case .html: Terminal.write(ScanHTMLRenderer.render(result))
                }
            }
            if inputs.failed { throw ExitCode(1) }
        }
    }
}

enum ScanOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, jsonl, csv, markdown, html
}

enum EmitKind: String, ExpressibleByArgument, CaseIterable {
    case wpCLI = "wp-cli"
}
