import HandraiserMatching
import HandraiserModel

extension RuleSet {
    /// The score of a disallowed-key hit: WordPress trashes such comments outright, so, like
    /// SpamAssassin's blocklist score, it outweighs any threshold a user would set.
    public static let disallowedKeyScore = 100.0

    /// Rules from a WordPress "Disallowed Comment Keys" list (Settings → Discussion), one key per
    /// line. As in WordPress, each key matches case-insensitively as a plain substring of the
    /// content (with and without HTML), the author, e-mail, URL or IP; blank lines are ignored.
    ///
    /// Rule ids are `WP_DISALLOWED_` and a hash of the key, so the same key from two lists is one rule.
    public static func disallowedKeys(_ text: String, file: String) -> RuleSet {
        var set = RuleSet()
        // Where each id already stands: `add` searches every rule, so a list of 10,000 keys took
        // 7 G instructions (seconds on every run) to load.
        var indexByID: [String: Int] = [:]
        var lineNumber = 0
        // Split on bytes: "\r\n" is a single Character, so a Character split would miss it.
        for rawLine in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let key = Substring(decoding: rawLine, as: UTF8.self).trimmingWhitespace
            // PHP's empty() treats "0" as empty too, so WordPress skips it.
            guard !key.isEmpty, key != "0" else { continue }
            let id = "WP_DISALLOWED_" + fnv1aHex(key.lowercased())
            let location = SourceLocation(file: file, line: lineNumber, column: 1)
            let rule = Rule(
                name: id, kind: .disallowedKey, pattern: literalPattern(key),
                options: PatternOptions(caseInsensitive: true), source: key, location: location)
            if let index = indexByID[id] {
                set.rules[index] = rule
            } else {
                indexByID[id] = set.rules.count
                set.rules.append(rule)
            }
            set.setScore(disallowedKeyScore, for: id, location: location)
            set.setDescription("On the site's disallowed comment keys: \"\(key)\"", for: id, location: location)
        }
        return set
    }

    /// `key` as a PCRE2 pattern matching itself literally: every ASCII character but a letter
    /// or digit escaped (PCRE2 reads an escaped one of those as itself). On bytes, since a
    /// list of thousands of keys is read on every run.
    static func literalPattern(_ key: String) -> String {
        var pattern: [UInt8] = []
        pattern.reserveCapacity(key.utf8.count * 2)
        for byte in key.utf8 {
            let letterOrDigit =
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            if byte < 0x80 && !letterOrDigit { pattern.append(UInt8(ascii: "\\")) }
            pattern.append(byte)
        }
        return String(decoding: pattern, as: UTF8.self)
    }

    private static func fnv1aHex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension Substring {
    fileprivate var trimmingWhitespace: String {
        var s = self
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
