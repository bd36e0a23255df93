import Foundation
import HandraiserModel
import Testing

@testable import HandraiserHeuristics

/// Measures the token model on the labelled dev corpus (`../shared/corpus/*.jsonl`), model alone
/// (no rules): a grid of parameters on the validation split (half of each file's training half
/// learns, the other half is scored, as `eval --validate` does), so settings are not chosen on
/// the test half; then the first grid point learned from half of each file (by
/// `TokenModelSplit`) and scored on the other half; then learned from all files but one, scored
/// on that one.
/// Opt-in (`HANDRAISER_MODEL_QA=1`): it prints tables for tuning rather than asserting, since the
/// corpus is not shipped. `handraiser eval --train-fraction` measures the model with the rules.
@Suite struct TokenModelCorpusQATests {
    static let environment = ProcessInfo.processInfo.environment

    struct Labelled {
        var file: String
        var comment: Comment
        var label: EvaluationLabels.Label
        var tokens: [String]
    }

    static var corpusDirectory: URL {
        if let path = environment["HANDRAISER_CORPUS_DIR"] { return URL(fileURLWithPath: path) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("../shared/corpus").standardizedFileURL
    }

    @Test(.enabled(if: environment["HANDRAISER_MODEL_QA"] == "1", "set HANDRAISER_MODEL_QA=1 to measure on the corpus"))
    func tokenModelOnTheDevCorpus() throws {
        let directory = Self.corpusDirectory
        let files =
            (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.filter { $0.hasSuffix(".jsonl") }
            .sorted() ?? []
        guard !files.isEmpty else {
            print("TokenModelQA: no corpus at \(directory.path); skipped")
            return
        }
        let started = Date()
        var items: [Labelled] = []
        for file in files { items += try Self.load(directory.appendingPathComponent(file), name: file) }
        print(
            "TokenModelQA: \(items.count) labelled comments tokenised in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
        )

        let grid: [(TokenModel.Parameters, Int)] = Self.grid()
        print(
            "validation split (half of each file's training half learns, the other half is scored), summed: "
                + "recall/FP at p ≥ 0.9 and ≥ 0.99; spam in ham bands (< 0.1)"
        )
        for (parameters, minimumCount) in grid {
            var total = Measurement()
            var tokens = 0
            for file in files {
                let own = items.filter { $0.file == file }
                var trainer = TokenModelTrainer(parameters: parameters)
                // The grid is for choosing settings: it learns and scores inside the training
                // half (the validation split), so the test half stays unseen.
                func part(_ item: Labelled) -> TokenModelSplit.Part {
                    TokenModelSplit.part(of: item.comment, fraction: 0.5, validation: true)
                }
                for item in own where part(item) == .training {
                    trainer.add(tokens: item.tokens, label: item.label)
                }
                let model = trainer.model(minimumCount: minimumCount)
                guard model.canClassify else { continue }
                tokens += model.tokens.count
                total.add(Self.measure(model, own.filter { part($0) == .test }))
            }
            print(
                "s \(parameters.strength) dev \(parameters.minimumDeviation) clues \(parameters.maximumClues) min \(minimumCount) (\(tokens) tokens): "
                    + total.line)
        }
        let (parameters, minimumCount) = grid[0]
        print("per source, split 0.5: a model from this file's own half (files with spam and ham; first grid point)")
        for file in files {
            var trainer = TokenModelTrainer(parameters: parameters)
            let own = items.filter { $0.file == file }
            for item in own where TokenModelSplit.isTraining(item.comment, fraction: 0.5) {
                trainer.add(tokens: item.tokens, label: item.label)
            }
            guard trainer.spamComments > 0, trainer.hamComments > 0 else { continue }
            let model = trainer.model(minimumCount: minimumCount)
            let test = own.filter { !TokenModelSplit.isTraining($0.comment, fraction: 0.5) }
            print(file.padding(toLength: 26, withPad: " ", startingAt: 0) + Self.measure(model, test).line)
        }
        print("pooled model, split 0.5, by file (first grid point)")
        do {
            var trainer = TokenModelTrainer(parameters: parameters)
            for item in items where TokenModelSplit.isTraining(item.comment, fraction: 0.5) {
                trainer.add(tokens: item.tokens, label: item.label)
            }
            let model = trainer.model(minimumCount: minimumCount)
            for file in files {
                let test = items.filter { $0.file == file && !TokenModelSplit.isTraining($0.comment, fraction: 0.5) }
                print(file.padding(toLength: 26, withPad: " ", startingAt: 0) + Self.measure(model, test).line)
            }
        }
        print("across sources: learned from the other files, scored on this one (first grid point)")
        for file in files {
            var trainer = TokenModelTrainer(parameters: parameters)
            for item in items where item.file != file { trainer.add(tokens: item.tokens, label: item.label) }
            let model = trainer.model(minimumCount: minimumCount)
            print(
                file.padding(toLength: 26, withPad: " ", startingAt: 0)
                    + Self.measure(model, items.filter { $0.file == file }).line)
        }
        if let show = Self.environment["HANDRAISER_MODEL_QA_SHOW"] {
            // Per-source models: lists the test half's ham at p ≥ show, or spam at p < −show when negative.
            let threshold = Double(show) ?? 0.9
            for file in files {
                let own = items.filter { $0.file == file }
                var trainer = TokenModelTrainer(parameters: parameters)
                for item in own where TokenModelSplit.isTraining(item.comment, fraction: 0.5) {
                    trainer.add(tokens: item.tokens, label: item.label)
                }
                let model = trainer.model(minimumCount: minimumCount)
                guard model.canClassify else { continue }
                for item in own where !TokenModelSplit.isTraining(item.comment, fraction: 0.5) {
                    let score = model.score(item.tokens)
                    let p = score.spamProbability
                    let shown =
                        threshold >= 0 ? item.label == .ham && p >= threshold : item.label == .spam && p < -threshold
                    guard shown else { continue }
                    let clues = score.clues.prefix(8).map { "\($0.token)=\(String(format: "%.2f", $0.probability))" }
                        .joined(separator: " ")
                    let text = item.comment.content.prefix(200).replacingOccurrences(of: "\n", with: "⏎")
                    print(
                        "[\(String(format: "%.3f", p)) \(item.label.rawValue)] \(file) \(item.comment.author ?? "-"): \(text)\n    \(clues)"
                    )
                }
            }
        }
    }

    struct Measurement {
        var spam = 0
        var ham = 0
        var spamAt90 = 0
        var spamAt99 = 0
        var hamAt90 = 0
        var hamAt99 = 0
        var spamBelow10 = 0
        var hamBelow10 = 0

        mutating func add(_ other: Measurement) {
            spam += other.spam
            ham += other.ham
            spamAt90 += other.spamAt90
            spamAt99 += other.spamAt99
            hamAt90 += other.hamAt90
            hamAt99 += other.hamAt99
            spamBelow10 += other.spamBelow10
            hamBelow10 += other.hamBelow10
        }

        var line: String {
            func pct(_ a: Int, _ b: Int) -> String {
                b == 0 ? "     —" : String(format: "%5.1f%%", 100 * Double(a) / Double(b))
            }
            return
                "spam \(spam) ham \(ham)  ≥.9: \(pct(spamAt90, spam)) FP \(hamAt90)  ≥.99: \(pct(spamAt99, spam)) FP \(hamAt99)"
                + "  <.1: spam \(spamBelow10) ham \(pct(hamBelow10, ham))"
        }
    }

    static func measure(_ model: TokenModel, _ items: [Labelled]) -> Measurement {
        var m = Measurement()
        for item in items {
            let p = model.score(item.tokens).spamProbability
            if item.label == .spam {
                m.spam += 1
                if p >= 0.9 { m.spamAt90 += 1 }
                if p >= 0.99 { m.spamAt99 += 1 }
                if p < 0.1 { m.spamBelow10 += 1 }
            } else {
                m.ham += 1
                if p >= 0.9 { m.hamAt90 += 1 }
                if p >= 0.99 { m.hamAt99 += 1 }
                if p < 0.1 { m.hamBelow10 += 1 }
            }
        }
        return m
    }

    static func describe(
        _ p: TokenModel.Parameters, _ minimumCount: Int, _ model: TokenModel, _ m: Measurement
    ) -> String {
        "s \(p.strength) dev \(p.minimumDeviation) clues \(p.maximumClues) min \(minimumCount) (\(model.tokens.count) tokens): "
            + m.line
    }

    /// `HANDRAISER_MODEL_QA_GRID="s,dev,clues,min;…"`, else the standard parameters.
    static func grid() -> [(TokenModel.Parameters, Int)] {
        let standard = TokenModel.Parameters.standard
        guard let text = environment["HANDRAISER_MODEL_QA_GRID"] else { return [(standard, 1)] }
        return text.split(separator: ";").compactMap { point in
            let v = point.split(separator: ",").compactMap { Double($0) }
            guard v.count == 4 else { return nil }
            return (
                TokenModel.Parameters(
                    strength: v[0], unknownProbability: 0.5, minimumDeviation: v[1], maximumClues: Int(v[2])),
                Int(v[3])
            )
        }
    }

    /// The labelled comments of one JSONL file, tokenised.
    static func load(_ url: URL, name: String) throws -> [Labelled] {
        let data = try Data(contentsOf: url)
        var items: [Labelled] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n")) {
            lineNumber += 1
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let content = object["content"] as? String,
                let label = (object["label"] as? String).flatMap(EvaluationLabels.Label.init(rawValue:))
            else { continue }
            func string(_ key: String) -> String? {
                if let s = object[key] as? String { return s }
                if let n = object[key] as? NSNumber { return n.stringValue }
                return nil
            }
            let comment = Comment(
                id: string("id") ?? "\(lineNumber)", postID: string("post_id"), author: string("author"),
                authorEmail: string("author_email"), authorURL: string("author_url"),
                type: string("type").flatMap(CommentType.init(rawValue:)) ?? .comment, content: content,
                location: HandraiserModel.SourceLocation(file: name, line: lineNumber))
            items.append(
                Labelled(file: name, comment: comment, label: label, tokens: TokenModelTokenizer.tokens(of: comment)))
        }
        return items
    }
}
