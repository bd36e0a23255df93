import ArgumentParser
import HandraiserKit

extension HandraiserCommand {
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Measure verdicts against labelled input.",
            discussion: """
                Labels come from each record's `label` (spam/ham) or, for exports, from the site's \
                own moderation status (spam → spam, approved → ham; pending is not counted). Prints \
                spam recall, precision and false-positive rate per file and pooled, a threshold \
                sweep, and each rule's and check's hits on spam and ham with its S/O ratio.
                """)

        @OptionGroup var options: ClassifyOptions

        @Flag(
            help: "List spam the tool let through, with its reasons (with --replies: spam and pingbacks listed)."
        )
        var misses = false

        @Flag(help: "List genuine comments the tool called spam, with their reasons.")
        var falsePositives = false

        @Flag(
            help: "Measure the reply list instead: answered/waiting status against `replied`, and ranking precision@k.")
        var replies = false

        @Option(
            help: ArgumentHelp(
                "Learn a token model from this share of each file's labelled comments (picked by a hash of the comment id) and report on the rest only.",
                valueName: "fraction"))
        var trainFraction: Double?

        @Option(
            help: ArgumentHelp(
                "Learn a token model from this labelled file and report on the input files (repeatable).",
                valueName: "file"))
        var trainOn: [String] = []

        @Option(
            help: ArgumentHelp(
                "With --train-fraction: another seed gives another split of the same comments.",
                valueName: "n"))
        var splitSeed = 0

        @Flag(
            name: .customLong("validate"),
            help:
                "With --train-fraction: split the training part again, learn from one half and report on the other, so settings are chosen without looking at the test part."
        )
        var validationSplit = false

        @Argument(help: ArgumentHelp("Labelled input files.", valueName: "file"))
        var files: [String]

        func validate() throws {
            if let fraction = trainFraction, !(fraction > 0 && fraction < 1) {
                throw ValidationError("--train-fraction must be between 0 and 1, e.g. 0.5.")
            }
            if trainFraction == nil && (splitSeed != 0 || validationSplit) {
                throw ValidationError(
                    "--split-seed and --validate choose how --train-fraction splits; add --train-fraction 0.5.")
            }
            if (trainFraction != nil || !trainOn.isEmpty) && options.modelPath != nil {
                throw ValidationError(
                    "--model cannot be combined with --train-fraction or --train-on, which learn their own model.")
            }
        }

        func run() throws {
            var inputs = try InputRun(settings: options.settings())
            let sources: [(name: String, threads: [ClassifiedThread])]
            if trainFraction != nil || !trainOn.isEmpty {
                sources = try splitSources(&inputs)
            } else {
                // File names are printed in the tables: a name can hold escape sequences too.
                sources = inputs.scan(files).sources.map { (name: TerminalSafe.clean($0.name), threads: $0.threads) }
            }
            // The figures count verdicts reached without some rules: say which, on standard error.
            var failures = RuleFailureTally()
            for source in sources {
                for thread in source.threads { thread.comments.forEach { failures.add($0.verdict) } }
            }
            if let summary = failures.summary { Terminal.error("handraiser: " + summary) }
            if replies {
                let planner = ReplyPlanner(options: ReplyOptions(authorNames: options.authors))
                let reports = sources.map {
                    (name: $0.name, report: ReplyEvaluation.evaluate($0.threads, planner: planner))
                }
                Terminal.write(ReplyEvaluationTable.render(reports))
                if misses {
                    Terminal.write(
                        Self.list("Spam and pingbacks listed as people", reports.flatMap(\.report.listedWrongly)))
                    Terminal.write(
                        Self.list("Comments not labelled spam set aside", reports.flatMap(\.report.setAsideReaders)))
                }
                if inputs.failed { throw ExitCode(1) }
                return
            }
            let report = SpamEvaluation.evaluate(sources, requiredScore: inputs.handraiser.ruleSet.requiredScore)
            Terminal.write(report.rendered())
            if misses { Terminal.write(Self.list("Spam let through", report.misses.map(\.comment))) }
            if falsePositives {
                Terminal.write(Self.list("Genuine comments called spam", report.falsePositives.map(\.comment)))
            }
            if inputs.failed { throw ExitCode(1) }
        }

        /// Judges each input with a token model learned from the --train-on files plus the input's
        /// own --train-fraction part, as a blog learns from its own history, and keeps only the
        /// comments that model did not learn from.
        func splitSources(_ inputs: inout InputRun) throws -> [(name: String, threads: [ClassifiedThread])] {
            let fraction = trainFraction ?? 0
            func load(_ file: String) -> [Thread]? {
                do {
                    let input = try inputs.handraiser.load(file)
                    for record in input.unreadable {
                        Terminal.error("handraiser: \(record.location): \(record.message)")
                    }
                    if !input.unreadable.isEmpty { inputs.markFailed() }
                    return input.threads
                } catch {
                    Terminal.error("handraiser: \(error)")
                    inputs.markFailed()
                    return nil
                }
            }
            var shared = TokenModelTrainer()
            for file in trainOn {
                if let threads = load(file) { Learn.train(&shared, on: threads) { _ in true } }
            }
            var sources: [(name: String, threads: [ClassifiedThread])] = []
            var notes = "token models (the figures below count only comments the model did not learn from):\n"
            if validationSplit {
                notes =
                    "token models, validation split (seed \(splitSeed)): each learns from half of its file's training part "
                    + "and the figures count the other half; the test part is not used:\n"
            } else if splitSeed != 0 {
                notes = "token models, split seed \(splitSeed) " + notes.dropFirst("token models ".count)
            }
            for file in files {
                guard let threads = load(file) else { continue }
                var trainer = shared
                let (seed, validation) = (splitSeed, validationSplit)
                func part(_ comment: Comment) -> TokenModelSplit.Part {
                    TokenModelSplit.part(of: comment, fraction: fraction, seed: seed, validation: validation)
                }
                Learn.train(&trainer, on: threads) { part($0) == .training }
                var handraiser = inputs.handraiser
                if trainer.spamComments > 0 && trainer.hamComments > 0 {
                    let model = trainer.model()
                    handraiser = try Handraiser(settings: options.settings(), tokenModel: model)
                    notes +=
                        "  \(TerminalSafe.clean(file)): learned from \(trainer.spamComments) spam and \(trainer.hamComments) ham (\(model.tokens.count) tokens)\n"
                } else {
                    notes +=
                        "  \(TerminalSafe.clean(file)): none, the training part holds \(trainer.spamComments) spam and \(trainer.hamComments) ham\n"
                }
                let classified = handraiser.classifier.classify(threads).map { thread in
                    ClassifiedThread(
                        thread: thread.thread,
                        comments: thread.comments.filter { part($0.comment) == .test }
                    )
                }
                sources.append((TerminalSafe.clean(file), classified))
            }
            Terminal.write(notes + "\n")
            return sources
        }

        static func list(_ title: String, _ items: [ClassifiedComment]) -> String {
            var out = "\n\(title) (\(items.count))\n"
            for item in items {
                let c = item.comment
                let text = TerminalSafe.clean(c.text).split(whereSeparator: \.isNewline).joined(separator: " ")
                out +=
                    "- \(TerminalSafe.clean(c.location.description)) #\(TerminalSafe.clean(c.id)) "
                    + "\(item.verdict.kind.rawValue) \(JSONText.number(item.verdict.score)) "
                    + "\(TerminalSafe.clean(c.author ?? "—")): \(text.count > 160 ? String(text.prefix(159)) + "…" : text)\n"
                for reason in item.verdict.reasons where reason.score != 0 {
                    out += "    \(JSONText.number(reason.score)) \(reason.id) \(TerminalSafe.clean(reason.description))"
                    if let evidence = reason.evidence {
                        out += ": “\(TerminalSafe.clean(evidence.excerpt).prefix(80))”"
                    }
                    out += "\n"
                }
            }
            return out
        }
    }
}
