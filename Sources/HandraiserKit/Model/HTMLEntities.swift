/// Decoding of HTML character references (`&amp;`, `&#8217;`, `&#x2019;`).
enum HTMLEntities {
    /// Decodes the reference starting at `start` (which holds `&`); returns the text and the index after it.
    static func decode(_ s: UnsafeBufferPointer<UInt8>, at start: Int) -> (String, Int)? {
        var i = start + 1
        guard i < s.count else { return nil }
        if s[i] == UInt8(ascii: "#") {
            i += 1
            var hex = false
            if i < s.count, s[i] == UInt8(ascii: "x") || s[i] == UInt8(ascii: "X") {
                hex = true
                i += 1
            }
            var value: UInt32 = 0
            var digits = 0
            while i < s.count, digits < 8, let d = digit(s[i], hex: hex) {
                value = value * (hex ? 16 : 10) + d
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if i < s.count, s[i] == UInt8(ascii: ";") { i += 1 }
            guard value != 0, let scalar = Unicode.Scalar(value) else { return ("\u{FFFD}", i) }
            return (String(Character(scalar)), i)
        }
        let nameStart = i
        while i < s.count, i - nameStart < 10,
            (s[i] | 0x20) >= UInt8(ascii: "a") && (s[i] | 0x20) <= UInt8(ascii: "z") || (s[i] >= 0x30 && s[i] <= 0x39)
        {
            i += 1
        }
        guard i < s.count, i > nameStart, s[i] == UInt8(ascii: ";") else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: s[nameStart..<i]), as: UTF8.self)
        guard let value = named[name] else { return nil }
        return (value, i + 1)
    }

    private static func digit(_ c: UInt8, hex: Bool) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c) - 48
        case 0x61...0x66 where hex: return UInt32(c) - 87
        case 0x41...0x46 where hex: return UInt32(c) - 55
        default: return nil
        }
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’", "sbquo": "‚",
        "ldquo": "“", "rdquo": "”", "bdquo": "„", "laquo": "«", "raquo": "»", "lsaquo": "‹",
        "rsaquo": "›", "copy": "©", "reg": "®", "trade": "™", "bull": "•", "middot": "·",
        "deg": "°", "plusmn": "±", "times": "×", "divide": "÷", "euro": "€", "pound": "£",
        "yen": "¥", "cent": "¢", "sect": "§", "para": "¶", "iexcl": "¡", "iquest": "¿",
        "shy": "\u{AD}", "zwj": "\u{200D}", "zwnj": "\u{200C}", "thinsp": "\u{2009}",
        "ensp": "\u{2002}", "emsp": "\u{2003}", "frac12": "½", "frac14": "¼", "frac34": "¾",
        "aacute": "á", "eacute": "é", "iacute": "í", "oacute": "ó", "uacute": "ú", "yacute": "ý",
        "Aacute": "Á", "Eacute": "É", "Iacute": "Í", "Oacute": "Ó", "Uacute": "Ú",
        "agrave": "à", "egrave": "è", "igrave": "ì", "ograve": "ò", "ugrave": "ù",
        "Agrave": "À", "Egrave": "È", "acirc": "â", "ecirc": "ê", "icirc": "î", "ocirc": "ô",
        "ucirc": "û", "auml": "ä", "euml": "ë", "iuml": "ï", "ouml": "ö", "uuml": "ü", "yuml": "ÿ",
        "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß", "ntilde": "ñ", "Ntilde": "Ñ",
        "ccedil": "ç", "Ccedil": "Ç", "atilde": "ã", "otilde": "õ", "aring": "å", "Aring": "Å",
        "aelig": "æ", "AElig": "Æ", "oslash": "ø", "Oslash": "Ø", "eth": "ð", "thorn": "þ",
        "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "hearts": "♥", "star": "☆",
    ]
}
