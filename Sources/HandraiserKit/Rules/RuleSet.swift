import Foundation
import HandraiserModel

/// Rules, scores, descriptions, thresholds and examples read from `.cf` files.
///
/// Scores are set for rules and for built-in check ids alike, so every weight is data.
/// A rule without a `score` line scores 1.0 (SpamAssassin's default); `__` sub-rules always
/// score 0; `score NAME 0` switches a rule off, as in SpamAssassin.
public struct RuleSet: Sendable {
    /// Body, rawbody, header, uri and meta rules in file order.
    public var rules: [Rule]
    /// `test` lines, in file order.
    public var tests: [RuleExample]

    private var scores: [String: Located<Double>] = [:]
    private var descriptions: [String: Located<String>] = [:]
    private var explicitRequiredScore: Double?
    private var explicitHoldScore: Double?
    /// Second definitions of a name inside one file (the later one wins); reported by `lint`.
    var redefinitions: [(name: String, location: SourceLocation, first: SourceLocation)] = []

    public init(rules: [Rule] = [], tests: [RuleExample] = []) {
        self.rules = rules
        self.tests = tests
    }

    /// `required_score`: at or above it a comment is spam. Default 5.0.
    public var requiredScore: Double {
        get { explicitRequiredScore ?? 5.0 }
        set { explicitRequiredScore = newValue }
    }

    /// `hold_score`: at or above it (and below `requiredScore`) a comment is held. Default 3.0.
    public var holdScore: Double {
        get { explicitHoldScore ?? 3.0 }
        set { explicitHoldScore = newValue }
    }

    /// The score a `score ID n` line gave a rule or built-in check, if any.
    public func score(for id: String) -> Double? { scores[id]?.value }

    /// The text a `describe ID text` line gave a rule or built-in check, if any.
    public func describe(_ id: String) -> String? { descriptions[id]?.value }

    /// Every id that has a `score` line.
    public var scoredIDs: [String] { scores.keys.sorted() }

    /// Where the `score` line for `id` is, when it came from a file.
    public func scoreLocation(for id: String) -> SourceLocation? { scores[id]?.location }

    /// Where the `describe` line for `id` is, when it came from a file.
    public func describeLocation(for id: String) -> SourceLocation? { descriptions[id]?.location }

    /// Every id that has a `describe` line.
    public var describedIDs: [String] { descriptions.keys.sorted() }

    public mutating func setScore(_ score: Double, for id: String, location: SourceLocation? = nil) {
        scores[id] = Located(value: score, location: location)
    }

    public mutating func setDescription(_ text: String, for id: String, location: SourceLocation? = nil) {
        descriptions[id] = Located(value: text, location: location)
    }

    /// The score a hit of `rule` adds: 0 for sub-rules, the `score` line, or 1.0.
    public func effectiveScore(of rule: Rule) -> Double {
        rule.isSubrule ? 0 : score(for: rule.name) ?? 1.0
    }

    /// Adds `rule`, replacing an earlier rule of the same name in place.
    public mutating func add(_ rule: Rule) {
        if let index = rules.firstIndex(where: { $0.name == rule.name }) {
            rules[index] = rule
        } else {
            rules.append(rule)
        }
    }

    /// Lays `other` (user rules) on top of this set: its scores, descriptions and thresholds win,
    /// its rules are appended, and a rule of the same name replaces the earlier one together with
    /// the earlier one's examples.
    public mutating func merge(_ other: RuleSet) {
        let replaced = Set(other.rules.map(\.name)).intersection(rules.map(\.name))
        if !replaced.isEmpty { tests.removeAll { replaced.contains($0.ruleID) } }
        // One index for the whole merge: `add` searches every rule, and 100 000 user rules took minutes.
        var indexByName = Dictionary(rules.enumerated().map { ($1.name, $0) }) { first, _ in first }
        for rule in other.rules {
            if let index = indexByName[rule.name] {
                rules[index] = rule
            } else {
                indexByName[rule.name] = rules.count
                rules.append(rule)
            }
        }
        tests += other.tests
        scores.merge(other.scores) { _, new in new }
        descriptions.merge(other.descriptions) { _, new in new }
        if let required = other.explicitRequiredScore { explicitRequiredScore = required }
        if let hold = other.explicitHoldScore { explicitHoldScore = hold }
        redefinitions += other.redefinitions
    }

    /// Parses the text of one `.cf` file; `file` names it in errors and locations.
    public static func parse(_ text: String, file: String) throws(RuleFileError) -> RuleSet {
        var parser = RuleFileParser(file: file)
        return try parser.parse(text)
    }

    /// Starts parsing and compiling the embedded defaults on another thread, so that the
    /// command line is parsed meanwhile and a one-comment run finds them ready, or waits less.
    public static func prepareDefaults() {
        RuleEngine.defaultsArePrepared.withLock { $0 = true }
        Thread.detachNewThread { _ = RuleEngine.preparedDefaults }
    }

    /// Whether an engine compiled from `other` would be this set's: the same rules, scores and
    /// descriptions (the tests and thresholds do not reach the engine).
    func compilesLike(_ other: RuleSet) -> Bool {
        rules == other.rules && scores.mapValues(\.value) == other.scores.mapValues(\.value)
            && descriptions.mapValues(\.value) == other.descriptions.mapValues(\.value)
    }

    /// The embedded defaults, whose patterns the engine compiles (and reports) when it loads them.
    static func parseDefault(_ text: String, file: String) throws(RuleFileError) -> RuleSet {
        var parser = RuleFileParser(file: file, checksPatterns: false)
        return try parser.parse(text)
    }

    /// Reads and merges `.cf` files in the order given; a directory contributes its `*.cf` files
    /// sorted by name.
    public static func load(paths: [String]) throws(RuleFileError) -> RuleSet {
        var merged = RuleSet()
        for path in paths {
            for file in try ruleFiles(at: path) {
                let text: String
                do {
                    text = try String(contentsOfFile: file, encoding: .utf8)
                } catch {
                    throw RuleFileError(file: file, message: "cannot read the rule file (\(Self.reason(error)))")
                }
                merged.merge(try parse(text, file: file))
            }
        }
        return merged
    }

    private static func ruleFiles(at path: String) throws(RuleFileError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RuleFileError(file: path, message: "no such rule file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw RuleFileError(file: path, message: "cannot list the rule directory (\(Self.reason(error)))")
        }
        let separator = path.hasSuffix("/") ? "" : "/"
        return names.filter { $0.hasSuffix(".cf") }.sorted().map { path + separator + $0 }
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }

    /// The rule set shipped inside the binary: every `rules/*.cf` file of the repository,
    /// embedded by `.ci/embed-rules`, merged in file-name order.
    ///
    /// This never fails at run time: a file that does not parse is left out and its error kept in
    /// `defaultsErrors` (a test keeps that list empty).
    public static let defaults: RuleSet = loadDefaults().set

    /// Errors met while parsing the embedded default rules; empty in every released build.
    public static let defaultsErrors: [RuleFileError] = loadDefaults().errors

    private static func loadDefaults() -> (set: RuleSet, errors: [RuleFileError]) {
        var set = RuleSet()
        var errors: [RuleFileError] = []
        let files = DefaultRuleFiles.all.sorted(by: { $0.name < $1.name })
        // Parsed on every core at once (a one-comment run waits for them), merged in order.
        let parsed = ParallelMap.map(files, workers: ProcessInfo.processInfo.activeProcessorCount, chunkSize: 1) {
            file in Result { () throws(RuleFileError) in try parseDefault(file.text, file: file.name) }
        }
        for result in parsed {
            switch result {
            case .success(let fileSet): set.merge(fileSet)
            case .failure(let error): errors.append(error)
            }
        }
        return (set, errors)
    }
}

/// A value with the place in a rule file it was read from.
struct Located<Value: Sendable>: Sendable {
    var value: Value
    var location: SourceLocation?
}
