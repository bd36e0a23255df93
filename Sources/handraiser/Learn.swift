import ArgumentParser
import HandraiserKit

extension HandraiserCommand {
    struct Learn: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "learn",
            abstract: "Learn a token model from labelled comments, for --model.",
            discussion: """
                Counts which words, link hosts and author-name words the blog's spam and its \
                genuine comments use, the way bogofilter and SpamAssassin's Bayes filter learn \
                from mail. Labels come from each record's `label` (spam/ham) or, for exports, \
                from the site's own moderation status (spam → spam, approved → ham); other \
                comments are skipped. Pass the model to scan, filter, replies or eval with \
                --model FILE: it adds one scored reason, HC_BAYES_*, to every verdict.
                """)

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the model.", valueName: "file"))
        var output: String

        @Option(
            help: ArgumentHelp(
                "The input format, when sniffing guesses wrong: dump, jsonl, csv, wxr, disqus.", valueName: "format"))
        var format: InputFormat?

        @Option(help: ArgumentHelp("Drop tokens seen in fewer comments than this.", valueName: "n"))
        var minCount = 1

        @Option(help: ArgumentHelp("Keep at most this many tokens, the most often seen.", valueName: "n"))
        var maxTokens = 50_000

        @Argument(help: ArgumentHelp("Labelled input files; - for standard input.", valueName: "file"))
        var files: [String]

        func validate() throws {
            if minCount < 1 { throw ValidationError("--min-count must be 1 or more.") }
            if maxTokens < 1 { throw ValidationError("--max-tokens must be 1 or more.") }
        }

        func run() throws {
            // Opened first: a destination that cannot be written, or is one of the inputs, stops
            // the run before any reading. Nothing appears there unless the model is complete.
            let file: OutputFile
            do {
                file = try OutputFile.create(output, inputs: files)
            } catch {
                Terminal.error("handraiser: \(error)")
                throw ExitCode(1)
            }
            var trainer = TokenModelTrainer()
            var unlabelled = 0
            var failed = false
            for file in files {
                do {
                    let input = try InputLoader.load(InputSource(name: file), format: format)
                    for record in input.unreadable {
                        Terminal.error("handraiser: \(record.location): skipped: \(record.message)")
                        failed = true
                    }
                    unlabelled += Self.train(&trainer, on: input.threads) { _ in true }
                } catch {
                    Terminal.error("handraiser: \(error)")
                    failed = true
                }
            }
            guard trainer.spamComments > 0, trainer.hamComments > 0 else {
                Terminal.error(
                    "handraiser: learned \(trainer.spamComments) spam and \(trainer.hamComments) ham comments; a model needs both "
                        + "(a `label` field, or an export's spam and approved statuses). No model written.")
                throw ExitCode(1)
            }
            let model = trainer.model(minimumCount: minCount, maximumTokens: maxTokens)
            file.write(model.encoded())
            do {
                try file.commit()
            } catch {
                Terminal.error("handraiser: \(error)")
                throw ExitCode(1)
            }
            var summary = "learned from \(trainer.spamComments) spam and \(trainer.hamComments) ham comments"
            if unlabelled > 0 { summary += " (\(unlabelled) without a label skipped)" }
            summary += "; kept \(model.tokens.count) of \(trainer.tokenCount) tokens"
            summary += "; wrote \(TerminalSafe.clean(output))\n"
            Terminal.write(summary)
            for (kind, count) in [("spam", trainer.spamComments), ("ham", trainer.hamComments)] where count < 50 {
                Terminal.error(
                    "handraiser: warning: only \(count) \(kind) comments; the model's probabilities rest on little evidence"
                )
            }
            if failed { throw ExitCode(1) }
        }

        /// Adds every labelled comment of `threads` that `include` accepts; returns how many had no label.
        @discardableResult
        static func train(
            _ trainer: inout TokenModelTrainer, on threads: [Thread], where include: (Comment) -> Bool
        ) -> Int {
            var unlabelled = 0
            for thread in threads {
                for comment in thread.comments where include(comment) {
                    guard let label = SpamEvaluation.label(of: comment) else {
                        unlabelled += 1
                        continue
                    }
                    trainer.add(comment, label: label)
                }
            }
            return unlabelled
        }
    }
}
