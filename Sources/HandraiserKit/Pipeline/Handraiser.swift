import HandraiserClassification
import HandraiserInput
import HandraiserModel
import HandraiserOutput
import HandraiserRules

/// The settings one run shares across its inputs: rules, who the author is, the input format.
public struct RunSettings: Sendable {
    /// User rule files or folders of `*.cf`, applied on top of the defaults.
    public var rulePaths: [String]
    /// WordPress "Disallowed Comment Keys" lists, one key per line.
    public var disallowedKeyFiles: [String]
    /// `--author` and `--team` names.
    public var authorNames: [String]
    /// `--format`; nil means sniff each input.
    public var format: InputFormat?

    public init(rulePaths: [String] = [], disallowedKeyFiles: [String] = [], authorNames: [String] = [], format: InputFormat? = nil) {
        self.rulePaths = rulePaths
        self.disallowedKeyFiles = disallowedKeyFiles
        self.authorNames = authorNames
        self.format = format
    }
}

/// A configured Handraiser: rules loaded and compiled once, ready to read and classify inputs.
public struct Handraiser: Sendable {
    public let settings: RunSettings
    public let ruleSet: RuleSet
    public let classifier: Classifier

    /// Loads the default rules plus the user's; a bad rule file throws with its file and line.
    public init(settings: RunSettings) throws {
        self.settings = settings
        var ruleSet = RuleSet.defaults
        if !settings.rulePaths.isEmpty { ruleSet.merge(try RuleSet.load(paths: settings.rulePaths)) }
        for path in settings.disallowedKeyFiles {
            let reader = try InputSource(name: path).open()
            let text = String(decoding: try reader.readAll(), as: UTF8.self)
            ruleSet.merge(RuleSet.disallowedKeys(text, file: path))
        }
        self.ruleSet = ruleSet
        self.classifier = try Classifier(ClassifierConfiguration(ruleSet: ruleSet, authorNames: settings.authorNames))
    }

    /// Reads one input.
    public func load(_ name: String) throws -> LoadedInput {
        try InputLoader.load(InputSource(name: name), format: settings.format, options: ReadOptions(authorNames: settings.authorNames))
    }

    /// Reads and classifies one input.
    public func scan(_ name: String) throws -> ScanResult.Source {
        let input = try load(name)
        return ScanResult.Source(
            name: name, threads: classifier.classify(input.threads),
            unreadable: input.unreadable.map { ($0.location, $0.message) })
    }
}
