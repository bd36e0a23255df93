/// Numbers strings in order of first appearance, stored as bytes in one buffer: for tables with
/// an entry per post or per comment id of a huge input, where a `[String: Int]` costs a heap
/// string (past 15 bytes) and a roomy dictionary entry for each key.
///
/// The table is open addressing over 32-bit slots, probed by a per-process seeded hash (so input
/// cannot be made to collide), and every probe compares the stored key: two keys with one hash
/// stay two keys. Keys are equal as `String`s are (canonically equivalent), as in the
/// dictionaries this replaces. About 16 bytes an entry plus its key's bytes.
public struct StringNumbering: Sendable {
    private var bytes: [UInt8] = []
    /// Where string `n` starts in `bytes`; it ends where `n + 1` starts.
    private var starts: [Int] = [0]
    /// Slot → string number, or -1 for an empty slot; the count is a power of two, at most half full.
    private var slots: [Int32] = Array(repeating: -1, count: 16)

    public init() {}

    /// How many strings are numbered.
    public var count: Int { starts.count - 1 }

    /// The number of `key`, numbering it next when it is new.
    public mutating func insert(_ key: String) -> (number: Int, isNew: Bool) {
        let hash = Self.hash(key)
        var key = key
        return key.withUTF8 { utf8 in
            let (slot, found) = find(utf8, hash: hash)
            if let found { return (found, false) }
            let number = count
            bytes.append(contentsOf: utf8)
            starts.append(bytes.count)
            slots[slot] = Int32(number)
            if count * 2 > slots.count { grow() }
            return (number, true)
        }
    }

    /// The number of `key`, or nil when it was never inserted.
    public func number(of key: String) -> Int? {
        let hash = Self.hash(key)
        var key = key
        return key.withUTF8 { find($0, hash: hash).found }
    }

    /// String `number`.
    public subscript(number: Int) -> String {
        String(decoding: bytes[starts[number]..<starts[number + 1]], as: UTF8.self)
    }

    /// The slot holding `key`'s number, or the empty slot where it would go.
    private func find(_ key: UnsafeBufferPointer<UInt8>, hash: Int) -> (slot: Int, found: Int?) {
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let number = Int(slots[slot])
            if number < 0 { return (slot, nil) }
            if equals(number, key) { return (slot, number) }
            slot = (slot + 1) & mask
        }
    }

    private func equals(_ number: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[number]
        let end = starts[number + 1]
        let (same, ascii) = bytes.withUnsafeBufferPointer { stored in
            var ascii = true
            var i = 0
            while i < key.count {
                ascii = ascii && key[i] < 0x80
                i += 1
            }
            guard end - start == key.count else { return (false, ascii) }
            i = 0
            while i < key.count {
                if stored[start + i] != key[i] { return (false, ascii) }
                i += 1
            }
            return (true, ascii)
        }
        if same || ascii { return same }
        // Different bytes can still be one string (a precomposed letter and its decomposition).
        return self[number] == String(decoding: key, as: UTF8.self)
    }

    private mutating func grow() {
        var grown = [Int32](repeating: -1, count: slots.count * 2)
        let mask = grown.count - 1
        for number in 0..<count {
            var slot = Self.hash(self[number]) & mask
            while grown[slot] >= 0 { slot = (slot + 1) & mask }
            grown[slot] = Int32(number)
        }
        slots = grown
    }

    /// `String`'s own hash, which canonically equivalent strings share.
    private static func hash(_ key: String) -> Int {
        var hasher = Hasher()
        hasher.combine(key)
        return hasher.finalize()
    }
}
