import Foundation
import HandraiserModel

/// Adds what a blog's own moderation history says (a `TokenModel` from `handraiser learn`) as
/// one more scored reason: the comment's spam probability, in graduated bands as SpamAssassin's
/// BAYES_* rules have, quoting the tokens that weighed most.
///
/// Only one band fires per comment. Probabilities between 0.1 and 0.7 are the unsure band and
/// add nothing: the model has no opinion worth a score there. The ham bands may carry negative
/// scores (in `rules/model.cf`), so a reader the blog has approved before is not buried by a rule.
public struct TokenModelCheck: Check {
    public let model: TokenModel

    /// The bands, from the spammiest down; a comment gets the first whose bound it meets.
    static let spamBands: [(id: String, minimum: Double, description: String)] = [
        ("HC_BAYES_999", 0.999, "The token model gives a spam probability of 0.999 or more"),
        ("HC_BAYES_99", 0.99, "The token model gives a spam probability from 0.99 to 0.999"),
        ("HC_BAYES_90", 0.9, "The token model gives a spam probability from 0.9 to 0.99"),
        ("HC_BAYES_70", 0.7, "The token model gives a spam probability from 0.7 to 0.9"),
    ]
    static let hamBands: [(id: String, maximum: Double, description: String)] = [
        ("HC_BAYES_00", 0.01, "The token model gives a spam probability below 0.01"),
        ("HC_BAYES_10", 0.1, "The token model gives a spam probability from 0.01 to 0.1"),
    ]
    /// How many clues the description quotes.
    static let quotedClues = 3

    public init(model: TokenModel) {
        self.model = model
    }

    /// The ids this check can produce, for `rules lint` (which knows only the built-in checks).
    public static var declaredFindingIDs: [String: String] {
        var ids: [String: String] = [:]
        for band in spamBands { ids[band.id] = band.description }
        for band in hamBands { ids[band.id] = band.description }
        return ids
    }

    public var findingIDs: [String: String] { Self.declaredFindingIDs }

    public func run(_ context: CheckContext) -> [Finding] {
        let tokens = TokenModelTokenizer.tokenSet(
            of: context.comment, normalized: context.normalized, links: context.links, words: context.words)
        let score = model.score(distinct: tokens)
        let p = score.spamProbability
        let id: String
        let isSpamSide: Bool
        if let band = Self.spamBands.first(where: { p >= $0.minimum }) {
            id = band.id
            isSpamSide = true
        } else if let band = Self.hamBands.first(where: { p < $0.maximum }) {
            id = band.id
            isSpamSide = false
        } else {
            return []
        }
        let telling = score.clues.filter { ($0.probability > 0.5) == isSpamSide }.prefix(Self.quotedClues)
        let quoted = telling.map { Self.display($0.token) }
        var description = "spam probability \(Self.format(p, isSpamSide: isSpamSide))"
        if !quoted.isEmpty { description += " from " + quoted.joined(separator: ", ") }
        let evidence = telling.lazy.compactMap { Self.evidence(for: $0.token, in: context) }.first
        return [Finding(id: id, description: description, evidence: evidence)]
    }

    /// Three decimals, never rounded across a band edge: 0.9996 reads "> 0.999", not "1.000".
    static func format(_ p: Double, isSpamSide: Bool) -> String {
        if p > 0.999 { return "> 0.999" }
        if p < 0.001 { return "< 0.001" }
        let thousandths = isSpamSide ? Int((p * 1000).rounded(.down)) : Int((p * 1000).rounded(.up))
        let digits = String(thousandths)
        return "0." + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// A token as a reader understands it.
    static func display(_ token: String) -> String {
        func after(_ prefix: String) -> String? {
            token.hasPrefix(prefix) ? String(token.dropFirst(prefix.count)) : nil
        }
        if let host = after("h:") { return "link \(host)" }
        if let host = after("uh:") { return "author URL \(host)" }
        if let word = after("a:") { return "author '\(word)'" }
        if let domain = after("ed:") { return "e-mail @\(domain)" }
        if let tld = after("tld:") { return ".\(tld) link" }
        if let symbol = after("s:") { return "'\(symbol)'" }
        if let bucket = after("links:") { return bucket == "1" ? "1 link" : "\(bucket) links" }
        if let bucket = after("words:") { return bucket == "1" ? "1 word" : "\(bucket) words" }
        if let digits = after("#digits:") { return "a \(digits)-digit number" }
        if let depth = after("lp:") {
            switch depth {
            case "home": return "a link to a home page"
            case "page": return "a link to a page"
            default: return "a link deep into a site"
            }
        }
        if let shape = after("shape:") {
            switch shape {
            case "caps": return "mostly capitals"
            case "bangs": return "'!!!'"
            case "stretched": return "a stretched word"
            default: return shape
            }
        }
        return "'" + token.split(separator: "_", omittingEmptySubsequences: false).joined(separator: " ") + "'"
    }

    /// Where a token shows in the comment: a word or CJK pair in the text, a link where it was seen.
    static func evidence(for token: String, in context: CheckContext) -> Evidence? {
        if token.hasPrefix("h:") || token.hasPrefix("uh:") {
            let host = String(token.drop { $0 != ":" }.dropFirst())
            let link = context.links.first { link in
                guard let linkHost = link.host else { return false }
                return linkHost == host || linkHost.hasSuffix("." + host)
            }
            return link?.evidence
        }
        if token.contains(":") { return nil }
        let text = context.normalized.text
        let words = context.words
        for (index, word) in words.enumerated() {
            if word.isCJK {
                if word.lower == token { return Evidence(field: .text, in: text, range: word.range) }
                if index + 1 < words.count, words[index + 1].isCJK, word.lower + words[index + 1].lower == token,
                    words[index + 1].range.lowerBound == word.range.upperBound
                {
                    return Evidence(
                        field: .text, in: text, range: word.range.lowerBound..<words[index + 1].range.upperBound)
                }
            } else if let wordToken = TokenModelTokenizer.wordToken(word), token.hasPrefix(wordToken) {
                if wordToken == token { return Evidence(field: .text, in: text, range: word.range) }
                // A pair of words, "check_out".
                if index + 1 < words.count, let next = TokenModelTokenizer.wordToken(words[index + 1]),
                    wordToken + "_" + next == token
                {
                    return Evidence(
                        field: .text, in: text, range: word.range.lowerBound..<words[index + 1].range.upperBound)
                }
            }
        }
        return nil
    }
}
