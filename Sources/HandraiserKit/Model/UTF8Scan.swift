/// Byte tests over a string's UTF-8, on its contiguous storage where it has one: the generic
/// `utf8.contains` and `utf8.allSatisfy` step through the view's iterator, several times slower
/// on a long comment, and they run on every comment.
public enum UTF8Scan {
    /// Whether `byte` occurs in `text`'s UTF-8.
    public static func contains(_ byte: UInt8, in text: String) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ contains(byte, in: $0) }) { return found }
        return text.utf8.contains(byte)
    }

    /// Whether `byte` occurs in `bytes`, eight at a time.
    public static func contains(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        var index = 0
        while index + 8 <= bytes.count {
            // A zero byte in word ^ pattern is a match (the classic "has zero byte" test).
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ pattern
            if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { return true }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] == byte { return true }
            index += 1
        }
        return false
    }

    /// Whether every byte of `text` is ASCII.
    public static func isASCII(_ text: String) -> Bool {
        if let ascii = text.utf8.withContiguousStorageIfAvailable({ isASCII($0) }) { return ascii }
        return text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether every byte is below 0x80, eight at a time.
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var seen: UInt64 = 0
        while index + 8 <= bytes.count {
            seen |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            seen |= UInt64(bytes[index])
            index += 1
        }
        return seen & 0x8080_8080_8080_8080 == 0
    }
}
