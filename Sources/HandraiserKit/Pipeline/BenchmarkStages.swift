import HandraiserClassification
import HandraiserHeuristics
import HandraiserInput
import HandraiserMatching
import HandraiserModel
import HandraiserOutput
import HandraiserRules

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where one worker's time goes, stage by stage, on a sample read in this process. The stages
/// mirror `Classifier.verdict(for:in:corpus:scratch:)` step by step with public API, each timed
/// on its own; the classifier's own time on the same sample is measured too, as a cross-check.
/// Times are the measuring thread's CPU time, which other jobs on a shared machine barely change.
public struct StageSplit: Sendable {
    public var comments: Int
    /// UTF-8 bytes of the comments' content.
    public var bytes: Int
    /// Rule hits counted (so no stage's work can be optimised away).
    public var ruleHits: Int
    /// Bytes of JSON written.
    public var outputBytes: Int
    /// `InputLoader.load` of every file (from the page cache).
    public var reading: Double
    /// `NormalizedText` of every comment.
    public var normalising: Double
    /// The near-duplicate index over the sample, links, `CheckContext` and every built-in check.
    public var checks: Double
    /// Building the `RuleInput` and `RuleEngine.evaluate`.
    public var rules: Double
    /// `CommentRecordWriter.json` of every classified comment (what `filter` writes).
    public var output: Double
    /// Of `checks`: building the near-duplicate index.
    public var indexing: Double
    /// `Classifier.classify` on one worker, same sample, same index.
    public var classifier: Double
    /// The pattern rules that took the most matching time on the sample, costliest first
    /// (wall time of each match, measured in a separate pass).
    public var costliestRules: [(id: String, cost: RuleEngine.MatchCost)] = []
    /// Every pattern rule's matching time and runs in that pass, summed: the rules' own share
    /// of `rules`, and how many patterns a comment runs once the prefilter has ruled the rest out.
    public var allPatternRules = RuleEngine.MatchCost()
    /// Of `allPatternRules`: the rules without a literal for the prefilter.
    public var unfilteredPatternRules = RuleEngine.MatchCost()

    public var total: Double { reading + normalising + checks + rules + output }

    /// Measures the stages on `files`, classified together as one input, on one worker.
    public static func measure(
        files: [String], ruleSet: RuleSet, checks: [any Check] = BuiltInChecks.all
    ) throws
        -> StageSplit
    {
        let clock = ThreadCPUClock()
        var threads: [Thread] = []
        var bytes = 0
        let reading = try clock.measure {
            for file in files {
                let input = try InputLoader.load(InputSource(name: file))
                threads += input.threads
            }
        }
        for thread in threads { bytes += thread.comments.reduce(0) { $0 + $1.content.utf8.count } }

        var corpus: CorpusIndex?
        let indexing = clock.measure { corpus = CorpusIndex(comments: threads.lazy.flatMap(\.comments)) }
        let index = corpus!
        let engine = try RuleEngine(ruleSet)
        let scratch = MatchScratch()
        var normalising = 0.0
        var checking = indexing
        var ruling = 0.0
        var comments = 0
        var hits = 0
        for thread in threads {
            for comment in thread.comments {
                comments += 1
                let start = clock.now
                let normalized = NormalizedText(comment.text)
                let normalizedAt = clock.now
                let findings = RuleScaling.findings(
                    comment, thread: thread, corpus: index, normalized: normalized, checks: checks)
                let checkedAt = clock.now
                let evaluation = engine.evaluate(
                    RuleScaling.ruleInput(comment, thread: thread, normalized: normalized, findings: findings),
                    facts: Set(findings.ids), scratch: scratch)
                hits += evaluation.hits.count
                let end = clock.now
                normalising += normalizedAt - start
                checking += checkedAt - normalizedAt
                ruling += end - checkedAt
            }
        }

        var ruleCosts: [String: RuleEngine.MatchCost] = [:]
        for thread in threads {
            for comment in thread.comments {
                let normalized = NormalizedText(comment.text)
                let findings = RuleScaling.findings(
                    comment, thread: thread, corpus: index, normalized: normalized, checks: checks)
                engine.addMatchTimes(
                    RuleScaling.ruleInput(comment, thread: thread, normalized: normalized, findings: findings),
                    facts: Set(findings.ids), scratch: scratch, into: &ruleCosts)
            }
        }
        let costliest = ruleCosts.sorted {
            $0.value.seconds > $1.value.seconds || ($0.value.seconds == $1.value.seconds && $0.key < $1.key)
        }
        .prefix(8).map { (id: $0.key, cost: $0.value) }
        var all = RuleEngine.MatchCost()
        var unfiltered = RuleEngine.MatchCost()
        for cost in ruleCosts.values {
            all.seconds += cost.seconds
            all.runs += cost.runs
            if cost.isUnfiltered {
                unfiltered.seconds += cost.seconds
                unfiltered.runs += cost.runs
            }
        }

        let classifier = try Classifier(
            ClassifierConfiguration(ruleSet: ruleSet, workers: 1), checks: checks)
        var classified: [ClassifiedThread] = []
        let classifying = clock.measure { classified = classifier.classify(threads, corpus: index) }
        var written = 0
        let output = clock.measure {
            for thread in classified {
                for item in thread.comments { written += CommentRecordWriter.json(item, post: thread.post).utf8.count }
            }
        }
        return StageSplit(
            comments: comments, bytes: bytes, ruleHits: hits, outputBytes: written, reading: reading,
            normalising: normalising,
            checks: checking, rules: ruling, output: output,
            indexing: indexing, classifier: classifying, costliestRules: costliest,
            allPatternRules: all, unfilteredPatternRules: unfiltered)
    }
}

/// How classification slows down as rules are added: generated WordPress disallowed keys or
/// generated `body` regex rules (each with a literal word in it), with the literal prefilter on
/// and off.
public enum RuleScaling {
    public enum Kind: String, Sendable, CaseIterable {
        case disallowedKeys = "disallowed keys"
        case bodyRegex = "body regex"
    }

    public struct Row: Sendable {
        public var kind: Kind?
        public var extraRules: Int
        public var prefilter: Bool
        public var compileSeconds: Double
        public var prefiltered: Int
        public var patterns: Int
        public var comments: Int
        /// Normalising, checks and rules of every sample comment, on one worker.
        public var classifySeconds: Double
        /// Of `classifySeconds`: building the `RuleInput` and evaluating the rules.
        public var rulesSeconds: Double
        /// Comments the extra rules hit (they are meant to be rare words).
        public var extraHits: Int

        public var commentsPerSecond: Double { classifySeconds > 0 ? Double(comments) / classifySeconds : 0 }
    }

    /// `count` generated keys for a "Disallowed Comment Keys" list, one a line: made-up words,
    /// two-word phrases and domains, none of which occurs in real comments.
    public static func disallowedKeys(_ count: Int) -> String {
        var random = SplitMix64(seed: 0xD15A110)
        var lines: [String] = []
        for index in 0..<count {
            switch index % 4 {
            case 0, 1: lines.append(random.word())
            case 2: lines.append(random.word() + " " + random.word())
            default: lines.append(random.word() + "-" + random.word() + ".example")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `count` generated `body` rules, `BENCH_RE_n  /\bword(?:s|ed|ing)?\b/i`, score 0.01.
    public static func bodyRules(_ count: Int) -> String {
        var random = SplitMix64(seed: 0xB0D7)
        var text = ""
        for index in 0..<count {
            text += "body BENCH_RE_\(index) /\\b\(random.word())(?:s|ed|ing)?\\b/i\n"
            text += "score BENCH_RE_\(index) 0.01\n"
        }
        return text
    }

    /// `base` with `count` generated rules of `kind` added.
    public static func ruleSet(_ base: RuleSet, adding count: Int, of kind: Kind) throws -> RuleSet {
        var set = base
        switch kind {
        case .disallowedKeys: set.merge(RuleSet.disallowedKeys(disallowedKeys(count), file: "generated-keys.txt"))
        case .bodyRegex: set.merge(try RuleSet.parse(bodyRules(count), file: "generated-rules.cf"))
        }
        return set
    }

    /// Every `stride`-th comment of `threads`, about `count` in all, each in a copy of its thread.
    public static func sample(_ threads: [Thread], count: Int) -> [Thread] {
        let total = threads.reduce(0) { $0 + $1.comments.count }
        let stride = max(1, total / max(1, count))
        var position = 0
        var taken = 0
        var sample: [Thread] = []
        for thread in threads {
            var picked = thread
            picked.comments = []
            for comment in thread.comments {
                if position % stride == 0 && taken < count {
                    picked.comments.append(comment)
                    taken += 1
                }
                position += 1
            }
            if !picked.comments.isEmpty { sample.append(picked) }
        }
        return sample
    }

    /// Classifies every comment of `sample` (as `Classifier.verdict` does, on one worker) with
    /// `ruleSet` compiled with or without the prefilter, and times it.
    public static func measure(
        _ sample: [Thread], ruleSet: RuleSet, kind: Kind?, extraRules: Int, prefilter: Bool,
        checks: [any Check] = BuiltInChecks.all
    ) throws -> Row {
        let clock = ThreadCPUClock()
        var compiled: RuleEngine?
        let compile = try clock.measure { compiled = try RuleEngine(ruleSet, prefilter: prefilter) }
        let engine = compiled!
        let coverage = engine.prefilterCoverage
        let corpus = CorpusIndex(comments: sample.lazy.flatMap(\.comments))
        let scratch = MatchScratch()
        var rules = 0.0
        var comments = 0
        var extraHits = 0
        let whole = clock.measure {
            for thread in sample {
                for comment in thread.comments {
                    comments += 1
                    let normalized = NormalizedText(comment.text)
                    let findings = Self.findings(
                        comment, thread: thread, corpus: corpus, normalized: normalized, checks: checks)
                    let start = clock.now
                    let evaluation = engine.evaluate(
                        ruleInput(comment, thread: thread, normalized: normalized, findings: findings),
                        facts: Set(findings.ids), scratch: scratch)
                    rules += clock.now - start
                    if evaluation.hits.contains(where: {
                        $0.id.hasPrefix("BENCH_RE_") || $0.id.hasPrefix("WP_DISALLOWED_")
                    }) {
                        extraHits += 1
                    }
                }
            }
        }
        return Row(
            kind: kind, extraRules: extraRules, prefilter: prefilter, compileSeconds: compile,
            prefiltered: coverage.prefiltered, patterns: coverage.patterns, comments: comments,
            classifySeconds: whole, rulesSeconds: rules, extraHits: extraHits)
    }

    /// The checks' findings for one comment, as the classifier gathers them.
    static func findings(
        _ comment: Comment, thread: Thread, corpus: CorpusIndex, normalized: NormalizedText, checks: [any Check]
    ) -> Findings {
        let links = LinkExtractor.links(in: comment)
        let context = CheckContext(
            comment: comment, thread: thread, corpus: corpus, normalized: normalized, links: links)
        return Findings(ids: checks.flatMap { $0.run(context) }.map(\.id), links: links)
    }

    /// The rule input the classifier builds for one comment.
    static func ruleInput(
        _ comment: Comment, thread: Thread, normalized: NormalizedText, findings: Findings
    )
        -> RuleInput
    {
        Classifier.ruleInput(comment, thread: thread, normalized: normalized, links: findings.links)
    }

    struct Findings {
        var ids: [String]
        var links: [FoundLink]
    }
}

/// Made-up words for generated rules, from the shared repeatable sequence.
extension SplitMix64 {

    static let onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "kr", "tr", "zv"]
    static let vowels = ["a", "e", "i", "o", "u", "y", "ae", "ou"]
    static let codas = ["", "", "n", "r", "x", "q", "lk", "th"]

    /// A made-up word of three to five syllables, ending in a rare letter pair so it is no real word.
    mutating func word() -> String {
        var word = ""
        for _ in 0..<(3 + next(3)) {
            word +=
                Self.onsets[next(Self.onsets.count)] + Self.vowels[next(Self.vowels.count)]
                + Self.codas[next(Self.codas.count)]
        }
        return word + "qz"
    }
}

/// The calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), in seconds: what one worker spent,
/// however many other processes shared the cores.
struct ThreadCPUClock {
    var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    func measure(_ work: () throws -> Void) rethrows -> Double {
        let start = now
        try work()
        return now - start
    }
}
