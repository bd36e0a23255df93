import Foundation
import HandraiserModel

/// What a blog's own moderation history says about each token: how many spam and how many ham
/// comments held it. Learned by `TokenModelTrainer`, stored by `encoded()`, read back by
/// `TokenModel.load(path:)`, applied by `TokenModelCheck`.
///
/// Scoring follows Gary Robinson's method as bogofilter and SpamBayes implement it. A token's
/// spam probability is p(w) = b / (b + g), with b and g the shares of spam and of ham comments
/// holding it, then shrunk towards `unknownProbability` (x) for tokens seen only a few times:
/// f(w) = (s·x + n·p(w)) / (s + n), n the number of comments holding it, s the `strength`.
/// Blogs' histories are lopsided (a few dozen spam beside thousands of approved comments), so n
/// counts comments of the larger kind in units of the smaller: a word common in ham but absent
/// from 16 spam comments is weaker evidence than its raw count says.
/// The tokens of a comment whose f(w) is at least `minimumDeviation` from 0.5 are its clues;
/// the `maximumClues` strongest are combined with Fisher's chi-square method into one
/// spam probability near 0 (ham), near 1 (spam), or near 0.5 when the evidence is weak or split.
public struct TokenModel: Sendable, Hashable {
    /// How many labelled comments held a token.
    public struct Counts: Sendable, Hashable {
        public var spam: Int
        public var ham: Int

        public init(spam: Int, ham: Int) {
            self.spam = spam
            self.ham = ham
        }

        public var total: Int { spam + ham }
    }

    /// The constants of Robinson's and Fisher's method; stored in the model file.
    public struct Parameters: Sendable, Hashable {
        /// s: how many comments' worth of weight the prior `unknownProbability` carries.
        public var strength: Double
        /// x: the spam probability assumed for a token never seen.
        public var unknownProbability: Double
        /// Tokens with |f(w) − 0.5| below this are not clues.
        public var minimumDeviation: Double
        /// At most this many of the strongest clues are combined.
        public var maximumClues: Int

        public init(strength: Double, unknownProbability: Double, minimumDeviation: Double, maximumClues: Int) {
            self.strength = strength
            self.unknownProbability = unknownProbability
            self.minimumDeviation = minimumDeviation
            self.maximumClues = maximumClues
        }

        /// SpamBayes' defaults (s 0.45, x 0.5, deviation 0.1, 150 clues): made for corpora of
        /// thousands of messages, which is what a blog's comment history is.
        public static let standard = Parameters(
            strength: 0.45, unknownProbability: 0.5, minimumDeviation: 0.1, maximumClues: 150)
    }

    /// Labelled comments the model learned from.
    public var spamComments: Int
    public var hamComments: Int
    public var tokens: [String: Counts]
    public var parameters: Parameters

    public init(spamComments: Int, hamComments: Int, tokens: [String: Counts], parameters: Parameters = .standard) {
        self.spamComments = spamComments
        self.hamComments = hamComments
        self.tokens = tokens
        self.parameters = parameters
    }

    /// Whether the model learned from both kinds; a model without spam or without ham tells nothing.
    public var canClassify: Bool { spamComments > 0 && hamComments > 0 }

    /// f(w) for a token, or nil when the model never saw it (or cannot classify).
    public func probability(of token: String) -> Double? {
        guard let counts = tokens[token], canClassify else { return nil }
        return probability(counts)
    }

    func probability(_ counts: Counts) -> Double {
        let spamShare = Double(counts.spam) / Double(max(spamComments, 1))
        let hamShare = Double(counts.ham) / Double(max(hamComments, 1))
        // n counts the evidence in units of the smaller kind: with 16 spam and 550 ham
        // comments, a word in 100 ham and no spam is not 100 comments' worth of proof that
        // spam avoids it, only about 3 (what 16 spam would hold at the ham rate).
        let smaller = Double(min(spamComments, hamComments))
        let n =
            Double(counts.spam) * min(1, smaller / Double(max(spamComments, 1)))
            + Double(counts.ham) * min(1, smaller / Double(max(hamComments, 1)))
        guard spamShare + hamShare > 0 else { return parameters.unknownProbability }
        let p = spamShare / (spamShare + hamShare)
        let s = parameters.strength
        return (s * parameters.unknownProbability + n * p) / (s + n)
    }

    /// Whether a token with these counts could ever be a clue.
    func isInformative(_ counts: Counts) -> Bool {
        abs(probability(counts) - 0.5) >= parameters.minimumDeviation
    }

    /// Combines the clues among `tokens` into one spam probability.
    public func score(_ tokens: [String]) -> TokenModelScore {
        score(distinct: Set(tokens))
    }

    /// `score(_:)` for tokens already distinct; the clues are sorted, so their order does not matter.
    func score(distinct tokens: Set<String>) -> TokenModelScore {
        guard canClassify else { return TokenModelScore(spamProbability: 0.5, clues: []) }
        var clues: [TokenModelClue] = []
        for token in tokens {
            guard let counts = self.tokens[token] else { continue }
            let f = probability(counts)
            if abs(f - 0.5) >= parameters.minimumDeviation {
                clues.append(TokenModelClue(token: token, probability: f))
            }
        }
        clues.sort { a, b in
            let (da, db) = (abs(a.probability - 0.5), abs(b.probability - 0.5))
            return da != db ? da > db : Self.tokenOrder(a.token, b.token)
        }
        if clues.count > parameters.maximumClues { clues.removeLast(clues.count - parameters.maximumClues) }
        return TokenModelScore(spamProbability: Self.fisherCombined(clues.map(\.probability)), clues: clues)
    }

    /// Fisher's method as SpamBayes applies it: S from the spam side, H from the ham side, (1 + S − H) / 2.
    static func fisherCombined(_ probabilities: [Double]) -> Double {
        guard !probabilities.isEmpty else { return 0.5 }
        var logHam = 0.0
        var logSpam = 0.0
        for f in probabilities {
            // Clamped so a token seen only in one kind cannot make a logarithm infinite.
            let clamped = min(max(f, 1e-9), 1 - 1e-9)
            logHam += log(clamped)
            logSpam += log(1 - clamped)
        }
        let degrees = 2 * probabilities.count
        let spam = 1 - chiSquaredSurvival(-2 * logSpam, degrees: degrees)
        let ham = 1 - chiSquaredSurvival(-2 * logHam, degrees: degrees)
        return (spam - ham + 1) / 2
    }

    /// P(χ² ≥ `value`) for an even number of degrees of freedom, summed in logarithms so large
    /// values do not underflow before the series has added up.
    static func chiSquaredSurvival(_ value: Double, degrees: Int) -> Double {
        let m = value / 2
        guard m > 0 else { return 1 }
        var logTerm = -m
        var sum = exp(logTerm)
        let logM = log(m)
        for i in 1..<max(degrees / 2, 1) {
            logTerm += logM - log(Double(i))
            sum += exp(logTerm)
        }
        return min(sum, 1)
    }

    /// The order tokens are stored and tie-broken in: by UTF-8 bytes, the same on every platform.
    static func tokenOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

/// A token that counted towards a comment's score, with its f(w).
public struct TokenModelClue: Sendable, Hashable {
    public var token: String
    public var probability: Double

    public init(token: String, probability: Double) {
        self.token = token
        self.probability = probability
    }
}

/// What the model says about one comment.
public struct TokenModelScore: Sendable, Hashable {
    /// 0 (surely ham) … 0.5 (no idea) … 1 (surely spam).
    public var spamProbability: Double
    /// The clues used, strongest first.
    public var clues: [TokenModelClue]
}

/// Counts tokens of labelled comments and builds a `TokenModel`.
///
/// Each token counts once per comment. Counting does not depend on the order comments come in,
/// so the same inputs give the same model byte for byte.
public struct TokenModelTrainer: Sendable {
    public var parameters: TokenModel.Parameters
    public private(set) var spamComments = 0
    public private(set) var hamComments = 0
    private var counts: [String: TokenModel.Counts] = [:]

    public init(parameters: TokenModel.Parameters = .standard) {
        self.parameters = parameters
    }

    /// Distinct tokens seen so far.
    public var tokenCount: Int { counts.count }

    public mutating func add(_ comment: Comment, label: EvaluationLabels.Label) {
        let links = LinkExtractor.links(in: comment)
        add(
            distinct: TokenModelTokenizer.tokenSet(of: comment, normalized: NormalizedText(comment.text), links: links),
            label: label)
    }

    public mutating func add(tokens: [String], label: EvaluationLabels.Label) {
        add(distinct: Set(tokens), label: label)
    }

    mutating func add(distinct tokens: Set<String>, label: EvaluationLabels.Label) {
        switch label {
        case .spam: spamComments += 1
        case .ham: hamComments += 1
        }
        for token in tokens {
            var entry = counts[token] ?? TokenModel.Counts(spam: 0, ham: 0)
            switch label {
            case .spam: entry.spam += 1
            case .ham: entry.ham += 1
            }
            counts[token] = entry
        }
    }

    /// The model, pruned to a bounded size: tokens held by fewer than `minimumCount` comments
    /// and tokens that could never be a clue are dropped (they change no score), then, above
    /// `maximumTokens`, the least often seen. Tokens seen once are kept by default: a blog's
    /// spam history is a few dozen comments, and a token in one of them is still evidence
    /// (Robinson's s already weighs it as little), while the model stays a few hundred kilobytes.
    public func model(minimumCount: Int = 1, maximumTokens: Int = 50_000) -> TokenModel {
        var model = TokenModel(
            spamComments: spamComments, hamComments: hamComments, tokens: [:], parameters: parameters)
        var kept: [(token: String, counts: TokenModel.Counts)] = []
        for (token, entry) in counts where entry.total >= minimumCount && model.isInformative(entry) {
            kept.append((token, entry))
        }
        if kept.count > maximumTokens {
            kept.sort { a, b in
                a.counts.total != b.counts.total
                    ? a.counts.total > b.counts.total : TokenModel.tokenOrder(a.token, b.token)
            }
            kept.removeLast(kept.count - max(maximumTokens, 0))
        }
        model.tokens = Dictionary(uniqueKeysWithValues: kept.map { ($0.token, $0.counts) })
        return model
    }
}

/// A deterministic split of labelled comments into a training and a test part, for measuring a
/// model on comments it did not learn from.
public enum TokenModelSplit {
    /// Whether `comment` falls in the training part: FNV-1a of its id, so the same comment lands
    /// in the same part on every run and platform, whatever order the input comes in. Another
    /// `seed` gives another split of the same comments (seed 0 hashes the id alone; any other
    /// seed hashes "seed:" before it), so a figure can be checked on more than one split.
    public static func isTraining(_ comment: Comment, fraction: Double, seed: Int = 0) -> Bool {
        guard fraction > 0 else { return false }
        guard fraction < 1 else { return true }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
        }
        if seed != 0 { add("\(seed):".utf8) }
        add(comment.id.utf8)
        // The low bits of FNV-1a mix poorly for short ids ("1", "2", …): fold the high half in.
        hash ^= hash >> 29
        hash &*= 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 32
        return Double(hash % 1_000_000) < fraction * 1_000_000
    }

    /// The seed of the second split, inside the training part, that settings are chosen on:
    /// half of the training part learns, the other half is scored, and the test part stays unseen.
    public static func validationSeed(for seed: Int) -> Int { seed &+ 1000 }

    /// Which part `comment` is in: with `validation`, the training part is split again, its
    /// learning half is `.training` and its other half `.test`, and the real test part is `.unused`.
    public static func part(of comment: Comment, fraction: Double, seed: Int = 0, validation: Bool = false) -> Part {
        let training = isTraining(comment, fraction: fraction, seed: seed)
        guard validation else { return training ? .training : .test }
        guard training else { return .unused }
        return isTraining(comment, fraction: 0.5, seed: validationSeed(for: seed)) ? .training : .test
    }

    /// A comment's place in a split.
    public enum Part: Sendable, Hashable {
        /// The model learns from it.
        case training
        /// It is scored and counted.
        case test
        /// Neither: the test part, kept unseen while settings are chosen on the training part.
        case unused
    }
}
