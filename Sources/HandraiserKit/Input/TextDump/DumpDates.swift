/// Recognises the dates and times blog themes print next to comments and posts:
/// `March 3, 2009 at 4:12 pm`, `February 4th, 2009 11:51 am`, `3 March 2009`, `2009-03-03 16:12`,
/// `03/03/2009`, `Tuesday, Mar 6, 2019`, `3 years ago`, `yesterday`, `2y`.
///
/// It only recognises; the text is kept as written, since themes and locales disagree on order.
enum DumpDates {
    struct Token {
        enum Kind { case word, number, punct }
        var kind: Kind
        /// Lowercased text; for numbers the digits only.
        var text: String
        /// Letters glued to a number (`th` in `4th`, `pm` in `4pm`, `y` in `2y`).
        var suffix: String
        /// Character offsets into the tokenised text.
        var start: Int
        var end: Int
    }

    /// How much of a line the recogniser looks at; dates in bylines and author lines are short.
    static let window = 200

    static func tokens(_ text: some StringProtocol) -> [Token] {
        var out: [Token] = []
        let chars = Array(text.prefix(window).lowercased())
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            let start = i
            if c.isASCII && c.isNumber {
                var digits = ""
                while i < chars.count, chars[i].isASCII, chars[i].isNumber {
                    digits.append(chars[i])
                    i += 1
                }
                var suffix = ""
                while i < chars.count, chars[i].isLetter, suffix.count < 4 {
                    suffix.append(chars[i])
                    i += 1
                }
                out.append(Token(kind: .number, text: digits, suffix: suffix, start: start, end: i))
            } else if c.isLetter {
                var word = ""
                while i < chars.count, chars[i].isLetter {
                    word.append(chars[i])
                    i += 1
                }
                out.append(Token(kind: .word, text: word, suffix: "", start: start, end: i))
            } else {
                i += 1
                out.append(Token(kind: .punct, text: String(c), suffix: "", start: start, end: i))
            }
        }
        return out
    }

    /// The index of the token after a date that starts at token `k`, or nil when none starts there.
    static func match(_ t: [Token], at start: Int) -> Int? {
        var k = start
        func word(_ i: Int) -> String? { i < t.count && t[i].kind == .word ? t[i].text : nil }
        func punct(_ i: Int, _ p: String) -> Bool { i < t.count && t[i].kind == .punct && t[i].text == p }
        func number(_ i: Int) -> Token? { i < t.count && t[i].kind == .number ? t[i] : nil }

        if let rel = relative(t, at: k) { return time(t, at: rel) ?? rel }
        if let w = word(k), weekdays.contains(w) {
            k += 1
            if punct(k, ".") { k += 1 }
            if punct(k, ",") { k += 1 }
        }
        var end: Int?
        if let w = word(k), months.contains(w) {
            // Month first: March 3, 2009 / Mar. 6 2019 / March 2009
            var i = k + 1
            if punct(i, ".") { i += 1 }
            if let day = number(i), isDay(day) {
                i += 1
                if punct(i, ",") { i += 1 }
                if let year = number(i), isYear(year) { i += 1 }
                end = i
            } else if punct(i, ",") || number(i) != nil {
                if punct(i, ",") { i += 1 }
                if let year = number(i), isYear(year) { end = i + 1 }
            }
        } else if let first = number(k) {
            if isDay(first) {
                // Day first: 3 March 2009 / 3rd of March, 2009 / 3. March 2009
                var i = k + 1
                if punct(i, ".") { i += 1 }
                // `3rd of March`, `3 de marzo de 2021`, `3 de março de 2021`.
                if let w = word(i), w == "of" || w == "de" { i += 1 }
                if let m = word(i), months.contains(m) {
                    i += 1
                    if punct(i, ".") { i += 1 }
                    if punct(i, ",") { i += 1 }
                    if word(i) == "de", let year = number(i + 1), isYear(year) { i += 1 }
                    if let year = number(i), isYear(year) { i += 1 }
                    end = i
                }
            }
            if end == nil, first.suffix.isEmpty, let sep = t[safe: k + 1], sep.kind == .punct,
                ["/", "-", "."].contains(sep.text),
                let second = number(k + 2), second.suffix.isEmpty, punct(k + 3, sep.text), let third = number(k + 4),
                first.text.count <= 4, second.text.count <= 2, third.text.count <= 4,
                first.text.count == 4 || third.text.count >= 2
            {
                end = k + 5
            }
        }
        if let found = end { return time(t, at: found) ?? found }
        // A time alone (`11:51 am`) is the date line of themes that show the day elsewhere.
        return time(t, at: k)
    }

    /// `3 years ago`, `an hour ago`, `yesterday`, `just now`, `2y`, `5 days`.
    private static func relative(_ t: [Token], at k: Int) -> Int? {
        guard k < t.count else { return nil }
        let first = t[k]
        if first.kind == .word {
            if first.text == "yesterday" || first.text == "today" { return k + 1 }
            if first.text == "just", k + 1 < t.count, t[k + 1].text == "now" { return k + 2 }
            if ["a", "an", "one", "few", "several"].contains(first.text), k + 1 < t.count,
                units.contains(t[k + 1].text),
                k + 2 < t.count, t[k + 2].text == "ago"
            {
                return k + 3
            }
            if first.text == "a", k + 1 < t.count, t[k + 1].text == "few", k + 3 < t.count,
                units.contains(t[k + 2].text),
                t[k + 3].text == "ago"
            {
                return k + 4
            }
            return nil
        }
        guard first.kind == .number else { return nil }
        if compactUnits.contains(first.suffix) {
            if k + 1 < t.count, t[k + 1].text == "ago" { return k + 2 }
            return k + 1
        }
        if first.suffix.isEmpty, k + 2 < t.count, units.contains(t[k + 1].text), t[k + 2].text == "ago" { return k + 3 }
        return nil
    }

    /// An optional time after a date: `at 4:12 pm`, `@ 16:12`, `, 11:51 am`, `- 4:12pm UTC`, and
    /// WordPress's other languages: `um 16:12 Uhr`, `à 18 h 40 min`, `a las 16:12`, `alle 16:12`.
    private static func time(_ t: [Token], at start: Int) -> Int? {
        var k = start
        if k < t.count, [",", "@", "-", "–", "—", "·", "|"].contains(t[k].text) || timeConnectors.contains(t[k].text) {
            k += 1
        }
        if k + 1 < t.count, t[k].text == "las" || t[k].text == "ore" { k += 1 }
        // `18 h 40 min`, `18h40`
        if k + 1 < t.count, t[k].kind == .number, t[k].text.count <= 2, t[k].suffix == "h" || t[k].suffix.isEmpty,
            t[k].suffix == "h" || (t[k + 1].kind == .word && t[k + 1].text == "h")
        {
            var i = k + (t[k].suffix == "h" ? 1 : 2)
            guard i < t.count, t[i].kind == .number, t[i].text.count == 2 else { return nil }
            let minutes = t[i]
            i += 1
            if minutes.suffix.isEmpty, i < t.count, t[i].text == "min" { i += 1 }
            return i
        }
        guard k + 2 < t.count, t[k].kind == .number, t[k].suffix.isEmpty, t[k].text.count <= 2, t[k + 1].text == ":",
            t[k + 2].kind == .number, t[k + 2].text.count == 2
        else { return nil }
        var suffix = t[k + 2].suffix
        k += 3
        if suffix.isEmpty, k + 1 < t.count, t[k].text == ":", t[k + 1].kind == .number {
            suffix = t[k + 1].suffix
            k += 2
        }
        if suffix.isEmpty, k < t.count, t[k].kind == .word, ["am", "pm"].contains(t[k].text) {
            k += 1
        } else if suffix.isEmpty, k + 3 < t.count, ["a", "p"].contains(t[k].text), t[k + 1].text == ".",
            t[k + 2].text == "m",
            t[k + 3].text == "."
        {
            k += 4
        }
        if k < t.count, t[k].kind == .word, zones.contains(t[k].text) || t[k].text == "uhr" || t[k].text == "h" {
            k += 1
        }
        return k
    }

    /// Words between a date and its time: `at`, and WordPress's `um`, `à`, `a` (`a las`), `alle`, `às`, `om`.
    private static let timeConnectors: Set<String> = ["at", "um", "à", "a", "alle", "às", "om", "kl"]

    private static func isDay(_ t: Token) -> Bool {
        guard let n = Int(t.text), t.text.count <= 2, (1...31).contains(n) else { return false }
        return t.suffix.isEmpty || ["st", "nd", "rd", "th"].contains(t.suffix)
    }

    private static func isYear(_ t: Token) -> Bool {
        t.suffix.isEmpty && t.text.count == 4 && (t.text.hasPrefix("19") || t.text.hasPrefix("20"))
    }

    /// Words that may follow a date and its time on an author or date line without making it text.
    static let trailers: Set<String> = [
        ":", "|", "#", "said", "says", "wrote", "permalink", "reply", "edit", "link", "-", "–", "—", "·", "•", ".", ",",
        // Hacker News-style threads: `jdoe 3 hours ago | parent | next [–]`.
        "parent", "next", "prev", "root", "context", "flag", "[", "]",
    ]

    /// A cheap test that rules out most lines before tokenising: dates hold a digit or a
    /// relative word (`yesterday`, `a day ago`).
    static func mayHoldDate(_ s: some StringProtocol) -> Bool {
        // One pass over the bytes: a digit, or the letters of `ago`, `today`, `yesterday`, `now`.
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in s.utf8 {
            if byte >= 0x30 && byte <= 0x39 { return true }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            switch (previous.0, previous.1, lower) {
            case (0x61, 0x67, 0x6F),  // ago
                (0x64, 0x61, 0x79),  // (to|yester)day
                (0x6E, 0x6F, 0x77):  // (just )now
                return true
            default: break
            }
            previous = (previous.1, lower)
        }
        return false
    }

    /// Whether all of `s` is a date, allowing an `on`/`posted`/`at` prefix and link or reply trailers.
    static func isDate(_ s: some StringProtocol) -> Bool {
        guard s.utf8.count <= 100, mayHoldDate(s) else { return false }
        let t = tokens(s)
        guard !t.isEmpty else { return false }
        var k = 0
        while k < t.count,
            ["on", "posted", "published", "updated", "date", "at", ":", "@", "-", "–", "—"].contains(t[k].text)
        {
            k += 1
        }
        guard let end = match(t, at: k) else { return false }
        return t[end...].allSatisfy { trailers.contains($0.text) }
    }

    /// The first date written anywhere in `s` (bylines such as `by Jane | Mar 6, 2019 | News`).
    static func firstDate(in s: some StringProtocol) -> String? {
        let limited = String(s.prefix(window))
        let t = tokens(limited)
        let chars = Array(limited.lowercased())
        let original = Array(limited)
        guard chars.count == original.count else { return nil }
        for k in t.indices where t[k].kind != .punct {
            if let end = match(t, at: k) {
                let last = t[end - 1]
                // A lone year or a bare number is not a date.
                if end - k == 1 && t[k].kind == .number && !compactUnits.contains(t[k].suffix) { continue }
                return String(original[t[k].start..<last.end])
            }
        }
        return nil
    }

    static let months: Set<String> = [
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug",
        "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
        // The languages WordPress themes are most often translated into, spelled out and as they
        // abbreviate them; short forms that are words elsewhere (`set`, `out`, `ago`) are left out.
        "januar", "februar", "märz", "maerz", "mär", "mrz", "mai", "juni", "juli", "oktober", "okt", "dezember", "dez",
        "janvier", "janv", "février", "fevrier", "févr", "mars", "avril", "avr", "juin", "juillet", "juil", "août",
        "aout", "septembre", "octobre", "novembre", "décembre", "déc",
        "enero", "ene", "febrero", "marzo", "abril", "abr", "mayo", "junio", "julio", "agosto", "septiembre",
        "setiembre", "octubre", "noviembre", "diciembre", "dic",
        "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre",
        "janeiro", "fevereiro", "fev", "março", "maio", "junho", "julho", "setembro", "outubro", "dezembro",
        "januari", "februari", "maart", "mrt", "mei", "augustus",
    ]
    static let weekdays: Set<String> = [
        "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs", "thursday", "fri",
        "friday",
        "sat", "saturday", "sun", "sunday",
    ]
    private static let units: Set<String> = [
        "second", "seconds", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "day", "days", "week",
        "weeks", "month", "months", "year", "years", "yr", "yrs",
    ]
    private static let compactUnits: Set<String> = [
        "s", "m", "h", "d", "w", "mo", "y", "yr", "yrs", "min", "hr", "hrs",
    ]
    private static let zones: Set<String> = [
        "utc", "gmt", "est", "edt", "cst", "cdt", "pst", "pdt", "cet", "cest", "bst",
    ]
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
