import ArgumentParser
import HandraiserKit

extension HandraiserCommand {
    struct Replies: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replies",
            abstract: "List the real people who deserve a personal reply, most important first.",
            discussion: """
                Per post: who is still waiting for the author's answer and why they matter (a \
                question, a correction, a personal story, engagement with the post…), who the \
                author already answered, inbound links to thank, and warnings such as the author \
                thanking a spammer or a genuine comment stuck in the spam folder.
                """)

        @OptionGroup var options: ClassifyOptions

        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp("Other people who answer for the blog (multi-author blogs).", valueName: "name"))
        var team: [String] = []

        @Option(help: ArgumentHelp("Only comments from this date on (e.g. 2024-03-01).", valueName: "date"))
        var since: String?

        @Option(
            help: ArgumentHelp(
                "Only the post with this id, or whose title contains this text.", valueName: "id-or-title"))
        var post: String?

        @Option(name: .shortAndLong, help: "Output format: table, markdown, html, jsonl or csv.")
        var output: RepliesOutputFormat = .table

        @Argument(help: ArgumentHelp("Input files; - for standard input.", valueName: "file"))
        var files: [String] = ["-"]

        func validate() throws {
            if let since, LenientDate.parse(since) == nil {
                throw ValidationError("'\(since)' is not a date I can read; write it like 2024-03-01.")
            }
        }

        func run() throws {
            try Terminal.refuseOutputOverInputs(options.readPaths(files))
            var settings = options.settings(team: team)
            settings.maximumThreadComments = Handraiser.repliesThreadLimit
            var inputs = try InputRun(settings: settings)
            let result = inputs.scan(files)
            let planner = ReplyPlanner(
                options: ReplyOptions(
                    authorNames: options.authors, team: team, since: since.flatMap(LenientDate.parse), post: post,
                    spamNameJudge: { name in AuthorNameJudge.looksLikeSpamName(name)?.description }))
            let report = planner.plan(result.sources.flatMap(\.threads))
            switch output {
            case .table: Terminal.write(ReplyTextRenderer.render(report, useColor: Terminal.useColor()))
            case .markdown: Terminal.write(ReplyMarkdownRenderer.render(report))
            case .html: Terminal.write(ReplyHTMLRenderer.render(report))
            case .jsonl: Terminal.write(ReplyJSONLRenderer.render(report))
            case .csv: Terminal.write(ReplyCSVRenderer.render(report))
            }
            // Records have no summary line of their own: say it on standard error.
            if [.jsonl, .csv].contains(output), let failures = report.ruleFailures.summary {
                Terminal.error("handraiser: " + failures)
            }
            if inputs.failed { throw ExitCode(1) }
        }
    }
}

enum RepliesOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, markdown, html, jsonl, csv
}
