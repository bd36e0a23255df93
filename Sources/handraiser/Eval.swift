import ArgumentParser
import HandraiserKit

extension HandraiserCommand {
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure verdicts against labelled input.",
            discussion: """
                Labels come from each record's `label` (spam/ham) or, for exports, from the site's \
                own moderation status (spam → spam, approved → ham; pending is not counted). Prints \
                spam recall, precision and false-positive rate per file and pooled, a threshold \
                sweep, and each rule's and check's hits on spam and ham with its S/O ratio.
                """)

        @OptionGroup var options: ClassifyOptions

        @Flag(help: "List spam the tool let through, with its reasons.")
        var misses = false

        @Flag(help: "List genuine comments the tool called spam, with their reasons.")
        var falsePositives = false

        @Argument(help: ArgumentHelp("Labelled input files.", valueName: "file"))
        var files: [String]

        func run() throws {
            var inputs = try InputRun(settings: options.settings())
            let result = inputs.scan(files)
            let sources = result.sources.map { (name: $0.name, threads: $0.threads) }
            let report = SpamEvaluation.evaluate(sources, requiredScore: inputs.handraiser.ruleSet.requiredScore)
            Terminal.write(report.rendered())
            if misses { Terminal.write(Self.list("Spam let through", report.misses)) }
            if falsePositives { Terminal.write(Self.list("Genuine comments called spam", report.falsePositives)) }
            if inputs.failed { throw ExitCode(1) }
        }

        static func list(_ title: String, _ items: [LabelledComment]) -> String {
            var out = "\n\(title) (\(items.count))\n"
            for item in items {
                let c = item.comment.comment
                let text = TerminalSafe.clean(c.text).split(whereSeparator: \.isNewline).joined(separator: " ")
                out += "- \(TerminalSafe.clean(c.location.description)) #\(TerminalSafe.clean(c.id)) "
                    + "\(item.comment.verdict.kind.rawValue) \(JSONText.number(item.comment.verdict.score)) "
                    + "\(TerminalSafe.clean(c.author ?? "—")): \(text.count > 160 ? String(text.prefix(159)) + "…" : text)\n"
                for reason in item.comment.verdict.reasons where reason.score != 0 {
                    out += "    \(JSONText.number(reason.score)) \(reason.id) \(TerminalSafe.clean(reason.description))"
                    if let evidence = reason.evidence { out += ": “\(TerminalSafe.clean(evidence.excerpt).prefix(80))”" }
                    out += "\n"
                }
            }
            return out
        }
    }
}
