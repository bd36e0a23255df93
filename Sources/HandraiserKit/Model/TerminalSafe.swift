/// Makes untrusted text (comment text, names, URLs) safe to print on a terminal.
///
/// Comment text is written by strangers. Printed raw, an escape sequence can recolour or clear the
/// screen, retitle the window or hide text; a bidi override can make `evil.com/moc.elgoog` read as
/// something else; a zero-width character can hide inside a name. Each such character is replaced
/// by a visible mark instead of being dropped, so the reader sees that something was there.
public enum TerminalSafe {
    /// `text` with control characters, escape sequences, bidi controls and invisible characters
    /// replaced by visible marks. Line feeds and tabs are kept.
    ///
    /// C0 controls become the Unicode control pictures (`ESC` → `␛`, carriage return → `␍`), so an
    /// escape sequence turns into readable text (`␛[31m`); DEL becomes `␡`; C1 controls, bidi
    /// controls and invisible format characters become `⟨U+202E⟩`-style marks. Zero-width joiners
    /// inside emoji sequences are kept, since they are part of the emoji.
    public static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsMark) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            guard needsMark(scalar) else {
                out.append(scalar)
                continue
            }
            if scalar.value == 0x200D, index > 0, index + 1 < scalars.count,
                isEmoji(scalars[index - 1]), isEmoji(scalars[index + 1])
            {
                out.append(scalar)
                continue
            }
            out.append(contentsOf: mark(for: scalar).unicodeScalars)
        }
        return String(out)
    }

    /// Whether `text` holds anything `clean` would replace.
    public static func needsCleaning(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: needsMark)
    }

    /// Whether `clean` replaces `scalar` with a mark.
    public static func needsMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F: return true
        case 0x80...0x9F: return true
        case 0x200B...0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF, 0x061C,
            0x180E, 0xFFF9...0xFFFB:
            return true
        default: return false
        }
    }

    private static func mark(for scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x00...0x1F:
            return Unicode.Scalar(0x2400 + scalar.value).map { String(Character($0)) } ?? "\u{FFFD}"
        case 0x7F:
            return "\u{2421}"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "⟨U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "⟩"
        }
    }

    private static func isEmoji(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return properties.isEmojiPresentation || (properties.isEmoji && scalar.value > 0xFF)
            || scalar.value == 0xFE0F || (0x1F3FB...0x1F3FF).contains(scalar.value)
    }
}
