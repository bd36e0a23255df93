/// Substring search on UTF-8 bytes.
///
/// The module imports Foundation elsewhere, which makes `"…".contains("…")` resolve to
/// `NSString` searching: correct, but slow enough to matter on every line of a long dump.
enum DumpBytes {
    static func contains(_ haystack: some StringProtocol, _ needle: String) -> Bool {
        find(needle, in: haystack) != nil
    }

    /// Phrases encoded once, for checking many texts against the same list.
    struct Phrases {
        let phrases: [String]
        let encoded: [[UInt8]]

        init(_ phrases: [String]) {
            self.phrases = phrases
            self.encoded = phrases.map { Array($0.utf8) }
        }

        /// The phrases `text` holds, in list order.
        func found(in text: String) -> [String] {
            var text = text
            return text.withUTF8 { bytes in
                encoded.indices.filter { DumpBytes.search(encoded[$0], in: bytes) != nil }.map { phrases[$0] }
            }
        }
    }

    static func search(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = pattern.first else { return 0 }
        let last = bytes.count - pattern.count
        guard last >= 0 else { return nil }
        return pattern.withUnsafeBufferPointer { pattern in
            var i = 0
            while i <= last {
                if bytes[i] == first {
                    var k = 1
                    while k < pattern.count, bytes[i + k] == pattern[k] { k += 1 }
                    if k == pattern.count { return i }
                }
                i += 1
            }
            return nil
        }
    }

    /// The UTF-8 offset of the first `needle` in `haystack`.
    static func find(_ needle: String, in haystack: some StringProtocol) -> Int? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return 0 }
        func search(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
            let last = bytes.count - pattern.count
            guard last >= 0 else { return nil }
            var i = 0
            while i <= last {
                if bytes[i] == first {
                    var k = 1
                    while k < pattern.count, bytes[i + k] == pattern[k] { k += 1 }
                    if k == pattern.count { return i }
                }
                i += 1
            }
            return nil
        }
        if let found = haystack.utf8.withContiguousStorageIfAvailable(search) { return found }
        return Array(haystack.utf8).withUnsafeBufferPointer(search)
    }
}
