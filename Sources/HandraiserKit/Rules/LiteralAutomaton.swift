/// An Aho–Corasick automaton over the rules' required literals: one pass over a text tells which
/// rules may match it, so PCRE2 runs only on those (the rest cannot match).
///
/// Text is folded as the literals were (`fold`): ASCII lowercased, and the two non-ASCII letters
/// that case-insensitive matching equates with ASCII ones (KELVIN SIGN with `k`, LONG S with
/// `s`) read as those letters. Literals are ASCII, so every other byte only breaks a match.
struct LiteralAutomaton: Sendable {
    /// Byte → column of the transition table; bytes in no literal share column 0.
    private let columns: [UInt8]
    private let columnCount: Int
    /// `state * columnCount + column` → next state; complete (failure links folded in).
    private let transitions: [Int32]
    /// Per state, a range into `outputs`: the literals (by owner) that end at this state,
    /// including those of its suffixes, so a scan never walks failure links.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// How many owners (rules) the literals belong to.
    let ownerCount: Int

    /// `literals[i]` are the literals of owner `i` (an empty list: the owner is never reported).
    init(literals: [[[UInt8]]]) {
        ownerCount = literals.count
        var columns = [UInt8](repeating: 0, count: 256)
        var columnCount = 1
        for owned in literals {
            for literal in owned {
                for byte in literal where columns[Int(byte)] == 0 {
                    columns[Int(byte)] = UInt8(columnCount)
                    columnCount += 1
                }
            }
        }
        // A trie first, with its transitions in a sparse table; -1 is "no edge".
        var trie: [Int32] = [Int32](repeating: -1, count: columnCount)
        var owners: [[Int32]] = [[]]
        for (owner, owned) in literals.enumerated() {
            for literal in owned {
                var state = 0
                for byte in literal {
                    let slot = state * columnCount + Int(columns[Int(byte)])
                    if trie[slot] < 0 {
                        trie[slot] = Int32(owners.count)
                        owners.append([])
                        trie.append(contentsOf: repeatElement(-1, count: columnCount))
                    }
                    state = Int(trie[slot])
                }
                if owners[state].last != Int32(owner) { owners[state].append(Int32(owner)) }
            }
        }
        // Breadth-first: each state's failure target is complete before its children need it.
        let stateCount = owners.count
        var failure = [Int32](repeating: 0, count: stateCount)
        var queue: [Int] = []
        queue.reserveCapacity(stateCount)
        for column in 0..<columnCount {
            let next = trie[column]
            if next < 0 {
                trie[column] = 0
            } else {
                failure[Int(next)] = 0
                queue.append(Int(next))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            let fallback = Int(failure[state])
            // Suffix outputs: every literal that ends where a suffix of this state's string ends.
            for owner in owners[fallback] where !owners[state].contains(owner) { owners[state].append(owner) }
            for column in 0..<columnCount {
                let slot = state * columnCount + column
                let next = trie[slot]
                let viaFailure = trie[fallback * columnCount + column]
                if next < 0 {
                    trie[slot] = viaFailure
                } else {
                    failure[Int(next)] = viaFailure
                    queue.append(Int(next))
                }
            }
        }
        var outputStart: [Int32] = [0]
        var outputs: [Int32] = []
        for owned in owners {
            outputs.append(contentsOf: owned)
            outputStart.append(Int32(outputs.count))
        }
        self.columns = columns
        self.columnCount = columnCount
        self.transitions = trie
        self.outputStart = outputStart
        self.outputs = outputs
    }

    /// The byte as literals and folded text hold it.
    @inline(__always) static func fold(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Sets `flag` in `marks[owner]` for every owner with a literal in `text`.
    func scan(_ text: String, flag: UInt8, into marks: inout [UInt8]) {
        guard !outputs.isEmpty else { return }
        var text = text
        text.withUTF8 { bytes in
            transitions.withUnsafeBufferPointer { table in
                columns.withUnsafeBufferPointer { columns in
                    var state = 0
                    var index = 0
                    let count = bytes.count
                    while index < count {
                        var byte = bytes[index]
                        index += 1
                        if byte >= 0x80 {
                            if byte == 0xE2, index + 1 < count, bytes[index] == 0x84, bytes[index + 1] == 0xAA {
                                byte = UInt8(ascii: "k")
                                index += 2
                            } else if byte == 0xC5, index < count, bytes[index] == 0xBF {
                                byte = UInt8(ascii: "s")
                                index += 1
                            }
                        } else {
                            byte = Self.fold(byte)
                        }
                        state = Int(table[state &* columnCount &+ Int(columns[Int(byte)])])
                        let start = Int(outputStart[state])
                        let end = Int(outputStart[state + 1])
                        if start != end {
                            for k in start..<end { marks[Int(outputs[k])] |= flag }
                        }
                    }
                }
            }
        }
    }
}
