import HandraiserModel

/// Flags a longer English comment in which nobody speaks: not one "I", "me" or "my". People who
/// comment talk as themselves ("I tried this", "my server"); text scraped from articles and spun
/// by bots talks about its subject in the third person. Plenty of people write that way too, so
/// the id scores nothing alone and only sharpens rules that combine it with other bot habits.
public struct ImpersonalCheck: Check {
    static let impersonal = "HC_NO_FIRST_PERSON"

    /// Below this many words a comment without "I" is just short.
    static let minimumWords = 25

    public init() {}

    public var findingIDs: [String: String] {
        [Self.impersonal: "25+ words of English without I, me or my"]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        guard !context.isPingbackLike else { return [] }
        let text = context.normalized.text
        let tokens = context.words.filter(\.hasLetter)
        guard tokens.count >= Self.minimumWords, Language.guess(tokens) == .english else { return [] }
        if tokens.contains(where: { Self.firstPerson.contains($0.lower) }) {
            return []
        }
        return [Finding(.impersonal(words: tokens.count), evidence: TextScan.wholeField(.text, text, limit: 120))]
    }

    /// With both apostrophes, so no token has to be rewritten before the look-up.
    static let firstPerson: Set<String> = [
        "i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll", "im", "ive",
        "i\u{2019}m", "i\u{2019}ve", "i\u{2019}d", "i\u{2019}ll",
    ]
}

extension Finding.Message {
    fileprivate static func impersonal(words: Int) -> Self {
        Self(id: ImpersonalCheck.impersonal, description: "\(words) words and not one I, me or my")
    }
}
