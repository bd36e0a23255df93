import Foundation
import HandraiserHeuristics

/// What the reply planner should consider.
public struct ReplyOptions: Sendable {
    /// Names (or e-mail addresses) the post author comments under, besides the post's own byline.
    public var authorNames: [String]
    /// Names (or e-mail addresses) of other people who answer on the blog's behalf (multi-author blogs).
    public var team: [String]
    /// Only comments from this moment on are listed; comments without a readable date are kept.
    public var since: Date?
    /// Only posts whose id equals this, or whose title contains it (case-insensitive).
    public var post: String?
    /// Treat the authors of the other posts in the input as the team too (multi-author blogs).
    public var postAuthorsAreTeam: Bool
    /// Says whether a name looks like a spammer's (business keywords and the like); returns why.
    /// Used on names the author addresses that match no comment.
    public var spamNameJudge: @Sendable (String) -> String?
    /// A genuine verdict scoring this much or more (spam starts at 5) is listed under "check these
    /// first" with the held comments: most such comments on the dev corpus were spam the rules
    /// under-scored, and authors had answered almost none of the rest.
    public var doubtfulScore: Double = 2.0

    public init(
        authorNames: [String] = [], team: [String] = [], since: Date? = nil, post: String? = nil,
        postAuthorsAreTeam: Bool = true,
        spamNameJudge: @escaping @Sendable (String) -> String? = ReplyOptions.defaultSpamNameJudge
    ) {
        self.authorNames = authorNames
        self.team = team
        self.since = since
        self.post = post
        self.postAuthorsAreTeam = postAuthorsAreTeam
        self.spamNameJudge = spamNameJudge
    }

    /// The heuristics stage's judgement of author names (`AuthorNameJudge`), as its description.
    public static let defaultSpamNameJudge: @Sendable (String) -> String? = { name in
        AuthorNameJudge.looksLikeSpamName(name)?.description
    }
}

/// Reads the dates that comment sources and people write, leniently.
public enum LenientDate {
    /// The date in `text`, or nil when no known form fits. Accepts ISO 8601 (with or without
    /// time zone, `T` or space), `2009-02-04`, `02/04/2009` (month first), `Feb 4, 2009`,
    /// `February 4th, 2009 11:51 am`, `4 February 2009`, `Mar 6, 2019`. Times without a zone are UTC.
    public static func parse(_ text: String) -> Date? {
        Parser().parse(text)
    }

    /// A parser that keeps its formatter and remembers answers, for reading many dates at once.
    final class Parser {
        private let formatter: DateFormatter
        private var cache: [String: Date?] = [:]

        init() {
            formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(secondsFromGMT: 0)
            formatter.isLenient = false
        }

        func parse(_ text: String) -> Date? {
            if let known = cache[text] { return known }
            let cleaned = LenientDate.clean(text)
            var result: Date?
            if !cleaned.isEmpty {
                for format in LenientDate.formats {
                    formatter.dateFormat = format
                    if let date = formatter.date(from: cleaned) {
                        result = date
                        break
                    }
                }
            }
            cache[text] = result
            return result
        }
    }

    fileprivate static let formats = [
        "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd HH:mm:ssXXXXX", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd", "yyyy/MM/dd", "MM/dd/yyyy", "MM/dd/yyyy HH:mm", "MM/dd/yyyy h:mm a",
        "MMMM d, yyyy h:mm a", "MMMM d, yyyy HH:mm", "MMMM d, yyyy", "MMM d, yyyy h:mm a", "MMM d, yyyy",
        "MMMM d yyyy", "MMM d yyyy", "d MMMM yyyy", "d MMM yyyy", "d MMMM yyyy HH:mm", "d MMM yyyy HH:mm",
        "EEEE, MMMM d, yyyy", "EEE, d MMM yyyy HH:mm:ss Z", "EEE, dd MMM yyyy HH:mm:ss Z",
    ]

    /// Drops ordinal suffixes (`4th`), ` at ` between date and time, dots after month
    /// abbreviations and surplus spaces, and upper-cases am/pm. Dates as WordPress writes them
    /// in German, French, Spanish, Italian, Portuguese and Dutch (`3. März 2021 um 16:12 Uhr`,
    /// `12 avril 2022 à 18 h 40 min`, `3 de marzo de 2021 a las 16:12`) become English ones.
    fileprivate static func clean(_ text: String) -> String {
        var words: [String] = []
        var pieces = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        // `18 h 40 min` and `18h40` are `18:40`.
        var k = 0
        while k < pieces.count {
            if k + 2 < pieces.count, pieces[k + 1].lowercased() == "h", pieces[k].allSatisfy(\.isNumber),
                pieces[k + 2].allSatisfy(\.isNumber)
            {
                pieces.replaceSubrange(k..<k + 3, with: ["\(pieces[k]):\(pieces[k + 2])"])
            } else if let h = pieces[k].firstIndex(where: { $0 == "h" || $0 == "H" }), h != pieces[k].startIndex,
                pieces[k][..<h].allSatisfy(\.isNumber), pieces[k][pieces[k].index(after: h)...].count == 2,
                pieces[k][pieces[k].index(after: h)...].allSatisfy(\.isNumber)
            {
                pieces[k] = pieces[k].replacingOccurrences(of: "h", with: ":").replacingOccurrences(of: "H", with: ":")
            }
            k += 1
        }
        for raw in pieces {
            var word = raw
            let lower = word.lowercased()
            if lower == "at" || connectors.contains(lower) { continue }
            if let month = translatedMonths[lower.hasSuffix(".") ? String(lower.dropLast()) : lower] {
                words.append(month)
                continue
            }
            if word.hasSuffix("."), word.dropLast().allSatisfy(\.isNumber), !word.dropLast().isEmpty {
                // `3. März`: the day's full stop.
                words.append(String(word.dropLast()))
                continue
            }
            if lower == "am" || lower == "pm" || lower == "a.m." || lower == "p.m." {
                word = lower.hasPrefix("a") ? "AM" : "PM"
            } else if let ordinal = stripOrdinal(word) {
                word = ordinal
            } else if word.hasSuffix("."), word.dropLast().allSatisfy(\.isLetter) {
                word.removeLast()
            }
            words.append(word)
        }
        var joined = words.joined(separator: " ")
        // "11:51am" → "11:51 AM"
        for suffix in ["am", "pm"] {
            if joined.lowercased().hasSuffix(suffix), let last = joined.dropLast(2).last, last.isNumber {
                joined = joined.dropLast(2) + " " + suffix.uppercased()
            }
        }
        return joined
    }

    /// Words between the parts of a date in other languages: `um … Uhr`, `à`, `a las`, `alle`,
    /// `às`, `om`, `de`, and the `min` of `18 h 40 min`.
    private static let connectors: Set<String> = ["um", "uhr", "à", "a", "las", "alle", "às", "om", "de", "min"]

    /// Month names and abbreviations in the languages WordPress is most used in, in English.
    private static let translatedMonths: [String: String] = {
        let names: [(String, [String])] = [
            ("January", ["januar", "janvier", "janv", "enero", "ene", "gennaio", "janeiro", "januari"]),
            (
                "February",
                ["februar", "février", "fevrier", "févr", "febrero", "febbraio", "fevereiro", "fev", "februari"]
            ),
            ("March", ["märz", "maerz", "mär", "mrz", "mars", "marzo", "março", "maart", "mrt"]),
            ("April", ["avril", "avr", "abril", "abr", "aprile"]),
            ("May", ["mai", "mayo", "maggio", "maio", "mei"]),
            ("June", ["juni", "juin", "junio", "giugno", "junho"]),
            ("July", ["juli", "juillet", "juil", "julio", "luglio", "julho"]),
            ("August", ["août", "aout", "agosto", "augustus"]),
            ("September", ["septembre", "septiembre", "setiembre", "settembre", "setembro"]),
            ("October", ["oktober", "okt", "octobre", "octubre", "ottobre", "outubro"]),
            ("November", ["novembre", "noviembre", "novembro"]),
            ("December", ["dezember", "dez", "décembre", "déc", "diciembre", "dic", "dicembre", "dezembro"]),
        ]
        var table: [String: String] = [:]
        for (english, words) in names {
            for word in words { table[word] = english }
        }
        return table
    }()

    /// `4th` → `4`, `21st,` → `21,`; nil when the word is not an ordinal.
    private static func stripOrdinal(_ word: String) -> String? {
        var core = Substring(word)
        var trailing = ""
        if core.hasSuffix(",") {
            core = core.dropLast()
            trailing = ","
        }
        let lower = core.lowercased()
        for suffix in ["st", "nd", "rd", "th"] where lower.hasSuffix(suffix) {
            let digits = core.dropLast(2)
            if !digits.isEmpty, digits.count <= 2, digits.allSatisfy(\.isNumber) {
                return String(digits) + trailing
            }
        }
        return nil
    }
}
