import HandraiserClassification
import HandraiserHeuristics
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
    /// `--model`: a token model from `handraiser learn`, applied as one more check.
    public var modelPath: String?
    /// `--workers`: comments classified at once; nil means one per core (or `HANDRAISER_WORKERS`).
    public var workers: Int?
    /// The most comments a thread may have where whole threads are held (`replies`); nil: no limit.
    public var maximumThreadComments: Int?

    public init(
        rulePaths: [String] = [], disallowedKeyFiles: [String] = [], authorNames: [String] = [],
        format: InputFormat? = nil,
        modelPath: String? = nil, workers: Int? = nil, maximumThreadComments: Int? = nil
    ) {
        self.maximumThreadComments = maximumThreadComments
        self.rulePaths = rulePaths
        self.disallowedKeyFiles = disallowedKeyFiles
        self.authorNames = authorNames
        self.format = format
        self.modelPath = modelPath
        self.workers = workers
    }
}

/// A configured Handraiser: rules loaded and compiled once, ready to read and classify inputs.
public struct Handraiser: Sendable {
    public let settings: RunSettings
    public let ruleSet: RuleSet
    public let classifier: Classifier

    /// Loads the default rules plus the user's, and the token model: `tokenModel` when given (one
    /// learned in this process), else `settings.modelPath`'s. A bad rule or model file throws
    /// with its file and line.
    public init(settings: RunSettings, tokenModel: TokenModel? = nil) throws {
        self.settings = settings
        var ruleSet = RuleSet.defaults
        if !settings.rulePaths.isEmpty { ruleSet.merge(try RuleSet.load(paths: settings.rulePaths)) }
        for path in settings.disallowedKeyFiles {
            let reader = try InputSource(name: path).open()
            let text = String(decoding: try reader.readAll(), as: UTF8.self)
            ruleSet.merge(RuleSet.disallowedKeys(text, file: path))
        }
        self.ruleSet = ruleSet
        var checks = BuiltInChecks.all
        if let model = try tokenModel ?? settings.modelPath.map({ path throws in try TokenModel.load(path: path) }) {
            checks.append(TokenModelCheck(model: model))
        }
        self.classifier = try Classifier(
            ClassifierConfiguration(
                ruleSet: ruleSet, authorNames: settings.authorNames,
                workers: settings.workers ?? ClassifierConfiguration.defaultWorkers), checks: checks)
    }

    /// What every reader of this run is told: the author names, and how many workers it may use.
    var readOptions: ReadOptions {
        ReadOptions(
            authorNames: settings.authorNames, workers: classifier.configuration.workers,
            maximumThreadComments: settings.maximumThreadComments)
    }

    /// Reads one input.
    public func load(_ name: String) throws -> LoadedInput {
        try InputLoader.load(
            InputSource(name: name), format: settings.format, options: readOptions)
    }

    /// The most comments of one thread `replies` holds: it plans a thread whole, at some 3 KB a
    /// comment; past this a thread is refused with its file and post (`InputError.threadTooLong`).
    public static let repliesThreadLimit = 200_000

    /// Reads and classifies one input.
    public func scan(_ name: String) throws -> ScanResult.Source {
        let input = try load(name)
        return ScanResult.Source(
            name: name, threads: classifier.classify(input.threads),
            unreadable: input.unreadable.map { ($0.location, $0.message) })
    }
}
