import Foundation
import HandraiserClassification
import HandraiserHeuristics
import HandraiserInput
import HandraiserModel
import HandraiserRules

/// `handraiser bench` with no files: everything issue 5 asks to measure, in one run, reported
/// section by section as each finishes.
///
/// 1. `handraiser filter --annotate` end to end, as a child process, on the dev corpus
///    replicated to a few sizes (the last the headline figure);
/// 2. start-up: `filter` on one comment, many times;
/// 3. the split of one worker's time between reading, normalising, checks, rules and output;
/// 4. how classification slows with 100, 1,000 and 10,000 extra rules, prefilter on and off;
/// 5. bogofilter on the same comments, when it is installed.
public struct BenchmarkSuite: Sendable {
    /// The `handraiser` executable to run as `filter` (normally the running one).
    public var executable: String
    /// Folder of the dev corpus's `*.jsonl` files.
    public var corpusDirectory: String
    /// Sizes of replicated JSON Lines to filter, smallest first; the last is the headline.
    public var jsonlSizes: [Int]
    public var startupRuns: Int
    /// Comments classified per rule-scaling row.
    public var ruleSample: Int
    public var ruleCounts: [Int]
    /// Rules, keys and model given on the command line: used in process, and passed on to `filter`.
    public var settings: RunSettings
    /// `bogofilter`'s path, or nil to skip the comparison.
    public var bogofilter: String?

    public init(
        executable: String, corpusDirectory: String, jsonlSizes: [Int], startupRuns: Int = 20,
        ruleSample: Int = 1000, ruleCounts: [Int] = [100, 1000, 10000], settings: RunSettings = RunSettings(),
        bogofilter: String? = ChildProcess.onPath("bogofilter")
    ) {
        self.executable = executable
        self.corpusDirectory = corpusDirectory
        self.jsonlSizes = jsonlSizes
        self.startupRuns = startupRuns
        self.ruleSample = ruleSample
        self.ruleCounts = ruleCounts
        self.settings = settings
        self.bogofilter = bogofilter
    }

    /// One `filter` run on replicated JSON Lines.
    public struct FilterRow: Sendable {
        public var written: ReplicatedCorpus.Written
        public var child: ChildMeasurement

        public var commentsPerSecond: Double { Double(written.records) / child.wallSeconds }
        public var megabytesPerSecond: Double { Double(written.bytes) / 1e6 / child.wallSeconds }
    }

    /// Runs every measurement, handing each section's text to `emit` as soon as it is done.
    public func run(emit: (String) -> Void) throws {
        guard FileManager.default.fileExists(atPath: corpusDirectory) else {
            throw BenchmarkError.noCorpus(corpusDirectory)
        }
        let corpus = try ReplicatedCorpus(directory: corpusDirectory)
        guard corpus.records > 0 else { throw BenchmarkError.noCorpus(corpusDirectory) }
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }

        emit(BenchmarkReport.machine(executable: executable, workers: settings.workers))
        emit(BenchmarkReport.corpus(corpus, directory: corpusDirectory))

        var rows: [FilterRow] = []
        for size in jsonlSizes {
            rows.append(try filter(corpus, bytes: size, in: scratch))
        }
        emit(BenchmarkReport.filter(rows))

        let startup = try self.startup(corpus, in: scratch)
        emit(BenchmarkReport.startup(startup))

        let handraiser = try Handraiser(settings: settings)
        var checks = BuiltInChecks.all
        if let path = settings.modelPath { checks.append(TokenModelCheck(model: try TokenModel.load(path: path))) }
        let split = try StageSplit.measure(files: corpus.files, ruleSet: handraiser.ruleSet, checks: checks)
        emit(BenchmarkReport.stages(split))

        var threads: [HandraiserModel.Thread] = []
        for file in corpus.files { threads += try InputLoader.load(InputSource(name: file)).threads }
        let sample = RuleScaling.sample(threads, count: ruleSample)
        var ruleRows: [RuleScaling.Row] = []
        for prefilter in [true, false] {
            ruleRows.append(
                try RuleScaling.measure(
                    sample, ruleSet: handraiser.ruleSet, kind: nil, extraRules: 0, prefilter: prefilter, checks: checks)
            )
        }
        for kind in RuleScaling.Kind.allCases {
            for count in ruleCounts {
                let ruleSet = try RuleScaling.ruleSet(handraiser.ruleSet, adding: count, of: kind)
                for prefilter in [true, false] {
                    ruleRows.append(
                        try RuleScaling.measure(
                            sample, ruleSet: ruleSet, kind: kind, extraRules: count, prefilter: prefilter,
                            checks: checks))
                }
            }
        }
        emit(BenchmarkReport.rules(ruleRows))

        var peer: PeerComparison?
        if let bogofilter, let headline = rows.last {
            peer = try PeerComparison.measure(
                bogofilter: bogofilter, corpus: corpus, targetBytes: headline.written.bytes, in: scratch)
        }
        emit(BenchmarkReport.peer(peer, ours: rows.last))
        emit(BenchmarkReport.targets(rows: rows, startup: startup, peer: peer))
    }

    /// The arguments that pass this run's rules, keys, model, authors and workers on to a child `filter`.
    var forwardedArguments: [String] {
        var arguments: [String] = []
        for path in settings.rulePaths { arguments += ["--rules", path] }
        for path in settings.disallowedKeyFiles { arguments += ["--disallowed-keys", path] }
        if let path = settings.modelPath { arguments += ["--model", path] }
        for name in settings.authorNames { arguments += ["--author", name] }
        if let workers = settings.workers { arguments += ["--workers", String(workers)] }
        return arguments
    }

    func filter(_ corpus: ReplicatedCorpus, bytes: Int, in scratch: TemporaryFolder) throws -> FilterRow {
        let path = scratch.path("corpus-\(bytes).jsonl")
        let written = try corpus.write(to: path, targetBytes: bytes)
        defer { unlink(path) }
        let child = try runFilter(input: path, scratch: scratch)
        return FilterRow(written: written, child: child)
    }

    func runFilter(input: String, scratch: TemporaryFolder) throws -> ChildMeasurement {
        let errors = scratch.path("filter.stderr")
        let arguments = ["filter", "--annotate"] + forwardedArguments
        let child = try ChildProcess.run(executable, arguments, input: input, errors: errors)
        guard child.status == 0 else {
            let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw BenchmarkError.childFailed(
                ([executable] + arguments).joined(separator: " "), status: child.status,
                errors: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return child
    }

    /// Start-up: `filter` on a one-comment input, `startupRuns` times after one untimed run.
    public struct Startup: Sendable {
        public var runs: [ChildMeasurement]

        public var medianWall: Double { Self.median(runs.map(\.wallSeconds)) }
        public var medianCPU: Double { Self.median(runs.map(\.cpuSeconds)) }
        public var minimumWall: Double { runs.map(\.wallSeconds).min() ?? 0 }
        public var peakRSSKiB: Int { runs.map(\.peakRSSKiB).max() ?? 0 }

        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted.count % 2 == 1
                ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }

    func startup(_ corpus: ReplicatedCorpus, in scratch: TemporaryFolder) throws -> Startup {
        let path = scratch.path("one.jsonl")
        try corpus.write(to: path, targetBytes: 1)
        _ = try runFilter(input: path, scratch: scratch)
        var runs: [ChildMeasurement] = []
        for _ in 0..<max(1, startupRuns) { runs.append(try runFilter(input: path, scratch: scratch)) }
        return Startup(runs: runs)
    }
}

/// bogofilter trained on one copy of the corpus's labels, then timed classifying the same
/// comments `filter` was timed on.
public struct PeerComparison: Sendable {
    public var messages: Int
    public var trainedSpam: Int
    public var trainedHam: Int
    public var training: ChildMeasurement
    public var classifying: ChildMeasurement

    public var commentsPerSecond: Double { Double(messages) / classifying.wallSeconds }

    static func measure(
        bogofilter: String, corpus: ReplicatedCorpus, targetBytes: Int, in scratch: TemporaryFolder
    )
        throws -> PeerComparison
    {
        let all = scratch.path("all.mbox")
        let spam = scratch.path("spam.mbox")
        let ham = scratch.path("ham.mbox")
        let counts = try corpus.writeMailboxes(all: all, spam: spam, ham: ham, targetBytes: targetBytes)
        defer { for path in [all, spam, ham] { unlink(path) } }
        let database = scratch.path("bogofilter")
        mkdir(database, 0o700)
        let errors = scratch.path("bogofilter.stderr")
        func run(_ arguments: [String], accept: ClosedRange<Int32>) throws -> ChildMeasurement {
            let child = try ChildProcess.run(bogofilter, ["-C", "-d", database] + arguments, errors: errors)
            guard accept.contains(child.status) else {
                let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                throw BenchmarkError.childFailed(
                    ([bogofilter, "-C", "-d", database] + arguments).joined(separator: " "), status: child.status,
                    errors: text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return child
        }
        let trainSpam = try run(["-s", "-M", "-I", spam], accept: 0...0)
        let trainHam = try run(["-n", "-M", "-I", ham], accept: 0...0)
        // bogofilter's exit status is the last message's class (0 spam, 1 ham, 2 unsure); 3 is an error.
        let classifying = try run(["-M", "-T", "-I", all], accept: 0...2)
        let training = ChildMeasurement(
            wallSeconds: trainSpam.wallSeconds + trainHam.wallSeconds,
            userSeconds: trainSpam.userSeconds + trainHam.userSeconds,
            systemSeconds: trainSpam.systemSeconds + trainHam.systemSeconds,
            peakRSSKiB: max(trainSpam.peakRSSKiB, trainHam.peakRSSKiB), status: 0)
        return PeerComparison(
            messages: counts.all, trainedSpam: counts.spam, trainedHam: counts.ham, training: training,
            classifying: classifying)
    }
}

/// A private temporary folder, removed with everything in it.
struct TemporaryFolder: Sendable {
    let root: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/handraiser-bench-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw BenchmarkError.cannotRun("mkdtemp", String(cString: strerror(errno)))
        }
        root = String(cString: made)
    }

    func path(_ name: String) -> String { root + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}
