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
            Handraiser.returnLargeBuffersWhenFreed()
            try Terminal.refuseOutputOverInputs(options.readPaths(files))
            var settings = options.settings(team: team)
            settings.maximumThreadComments = Handraiser.repliesThreadLimit
            let inputs = try InputRun(settings: settings)
            let planner = ReplyPlanner(
                options: ReplyOptions(
                    authorNames: options.authors, team: team, since: since.flatMap(LenientDate.parse), post: post,
                    spamNameJudge: { name in AuthorNameJudge.looksLikeSpamName(name)?.description }))
            let document: ReplyDocument =
                switch output {
                case .table: .table(useColor: Terminal.useColor())
                case .markdown: .markdown
                case .html: .html
                case .jsonl: .jsonl
                case .csv: .csv
                }
            let run: RepliesRun
            do {
                run = try inputs.handraiser.streamReplies(
                    files, planner: planner, document: document, write: Terminal.write,
                    failed: { Terminal.error("handraiser: " + $0) })
            } catch {
                Terminal.error("handraiser: \(error)")
                throw ExitCode(1)
            }
            // Records have no summary line of their own: say it on standard error.
            if [.jsonl, .csv].contains(output), let failures = run.ruleFailures.summary {
                Terminal.error("handraiser: " + failures)
            }
            if run.failed { throw ExitCode(1) }
        }
    }
}

enum RepliesOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, markdown, html, jsonl, csv
}
