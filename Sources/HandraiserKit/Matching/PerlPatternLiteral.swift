/// Parses Perl-style pattern literals: `/re/flags`, `m{re}flags`, `m!re!flags`.
public enum PerlPatternLiteral {
    /// Splits a literal into pattern and options; flags other than `i m s x` are an error.
    public static func parse(_ literal: String) throws(PatternError) -> (pattern: String, options: PatternOptions) {
        var scalars = Substring(literal.trimmingSpaces)
        if scalars.first == "m", scalars.count > 1, let second = scalars.dropFirst().first, !second.isLetter,
            !second.isNumber, !second.isWhitespace
        {
            scalars = scalars.dropFirst()
        }
        guard let open = scalars.first, !open.isLetter, !open.isNumber, !open.isWhitespace, open != "\\" else {
            throw PatternError(
                pattern: literal, message: "a pattern must be written /like this/ with optional flags i, m, s, x",
                offset: 0)
        }
        let close: Character =
            switch open {
            case "{": "}"
            case "(": ")"
            case "[": "]"
            case "<": ">"
            default: open
            }
        guard let closeIndex = scalars.lastIndex(of: close), closeIndex > scalars.startIndex else {
            throw PatternError(
                pattern: literal, message: "the pattern has no closing \(close)", offset: literal.utf8.count)
        }
        var body = String(scalars[scalars.index(after: scalars.startIndex)..<closeIndex])
        if open == close && open != "/" {
            body = body.replacingEscaped(delimiter: open)
        }
        var options = PatternOptions()
        for flag in scalars[scalars.index(after: closeIndex)...] {
            switch flag {
            case "i": options.caseInsensitive = true
            case "m": options.multiline = true
            case "s": options.dotMatchesNewlines = true
            case "x": options.extended = true
            default:
                throw PatternError(
                    pattern: literal, message: "unknown pattern flag '\(flag)' (use i, m, s or x)",
                    offset: literal.utf8.count)
            }
        }
        return (body, options)
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }

    /// `\!` → `!` for a custom delimiter, so the delimiter can appear in the pattern.
    fileprivate func replacingEscaped(delimiter: Character) -> String {
        var out = ""
        var escaped = false
        for c in self {
            if escaped {
                if c != delimiter { out.append("\\") }
                out.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        if escaped { out.append("\\") }
        return out
    }
}
