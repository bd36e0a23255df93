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
    /// Complete transitions (failure links folded in) of the first `denseStates` states, as
    /// `state * columnCount + column` → next state. States are numbered breadth-first, so these
    /// are the shallow ones, where a scan spends nearly all its time.
    private let dense: [Int32]
    private let denseStates: Int
    /// The deeper states' own edges (mostly one each), at `edgeStart[state - denseStates]`:
    /// a full row for each of the 230,000 states of 10,000 disallowed keys took 37 MB.
    private let edgeStart: [Int32]
    private let edgeColumn: [UInt8]
    private let edgeTarget: [Int32]
    /// Per state, the state of its longest proper suffix that is in the trie.
    private let failure: [Int32]
    /// Per state, a range into `outputs`: the owners of the literals that end at this state.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// Per state, the nearest state along its failure links with literals of its own, or -1:
    /// the literals that end where a suffix of this state's string ends.
    private let outputLink: [Int32]
    /// Per state, whether reaching it reports an owner (its own or by `outputLink`).
    private let reports: [Bool]
    /// How many owners (rules) the literals belong to.
    let ownerCount: Int

    /// How many transition-table entries the dense states may take (4 bytes each).
    static let denseEntryBudget = 1 << 20

    /// `literals[i]` are the literals of owner `i` (an empty list: the owner is never reported).
    /// `denseEntries` bounds the complete transition rows (for tests of the sparse states).
    init(literals: [[[UInt8]]], denseEntries: Int = LiteralAutomaton.denseEntryBudget) {
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
        // A trie first, children in sibling lists (the root's in a row), numbered as made.
        var firstChild: [Int32] = [-1]
        var nextSibling: [Int32] = [-1]
        var label: [UInt8] = [0]
        var rootChild = [Int32](repeating: -1, count: columnCount)
        var owners: [[Int32]] = [[]]
        func child(_ state: Int, _ column: UInt8) -> Int32 {
            if state == 0 { return rootChild[Int(column)] }
            var edge = firstChild[state]
            while edge >= 0 {
                if label[Int(edge)] == column { return edge }
                edge = nextSibling[Int(edge)]
            }
            return -1
        }
        for (owner, owned) in literals.enumerated() {
            for literal in owned {
                var state = 0
                for byte in literal {
                    let column = columns[Int(byte)]
                    var next = child(state, column)
                    if next < 0 {
                        next = Int32(label.count)
                        label.append(column)
                        firstChild.append(-1)
                        nextSibling.append(firstChild[state])
                        firstChild[state] = next
                        owners.append([])
                        if state == 0 { rootChild[Int(column)] = next }
                    }
                    state = Int(next)
                }
                if owners[state].last != Int32(owner) { owners[state].append(Int32(owner)) }
            }
        }
        // Breadth-first: a state's failure target is shallower, so it is done before it is needed.
        let stateCount = label.count
        var failure = [Int32](repeating: 0, count: stateCount)
        var outputLink = [Int32](repeating: -1, count: stateCount)
        var order: [Int] = [0]
        order.reserveCapacity(stateCount)
        var head = 0
        while head < order.count {
            let state = order[head]
            head += 1
            var edge = firstChild[state]
            while edge >= 0 {
                let next = Int(edge)
                if state != 0 {
                    var fallback = Int(failure[state])
                    var target = child(fallback, label[next])
                    while target < 0 && fallback != 0 {
                        fallback = Int(failure[fallback])
                        target = child(fallback, label[next])
                    }
                    failure[next] = max(target, 0)
                }
                let suffix = Int(failure[next])
                outputLink[next] = owners[suffix].isEmpty ? outputLink[suffix] : Int32(suffix)
                order.append(next)
                edge = nextSibling[next]
            }
        }
        // Renumbered in breadth-first order.
        var number = [Int32](repeating: 0, count: stateCount)
        for (position, state) in order.enumerated() { number[state] = Int32(position) }
        let denseStates = max(1, min(stateCount, denseEntries / columnCount))
        var dense = [Int32](repeating: 0, count: denseStates * columnCount)
        var edgeStart: [Int32] = [0]
        var edgeColumn: [UInt8] = []
        var edgeTarget: [Int32] = []
        var renumberedFailure = [Int32](repeating: 0, count: stateCount)
        var renumberedLink = [Int32](repeating: -1, count: stateCount)
        var outputStart: [Int32] = [0]
        var outputs: [Int32] = []
        var reports = [Bool](repeating: false, count: stateCount)
        for (position, state) in order.enumerated() {
            renumberedFailure[position] = number[Int(failure[state])]
            renumberedLink[position] = outputLink[state] < 0 ? -1 : number[Int(outputLink[state])]
            outputs.append(contentsOf: owners[state])
            outputStart.append(Int32(outputs.count))
            reports[position] = !owners[state].isEmpty || outputLink[state] >= 0
            if position < denseStates {
                // A missing edge goes where the failure state's does; that state is shallower,
                // so its row is complete already.
                let fallback = Int(renumberedFailure[position])
                for column in 0..<columnCount {
                    let next = child(state, UInt8(column))
                    dense[position * columnCount + column] =
                        next >= 0 ? number[Int(next)] : position == 0 ? 0 : dense[fallback * columnCount + column]
                }
            } else {
                var edge = firstChild[state]
                while edge >= 0 {
                    edgeColumn.append(label[Int(edge)])
                    edgeTarget.append(number[Int(edge)])
                    edge = nextSibling[Int(edge)]
                }
                edgeStart.append(Int32(edgeColumn.count))
            }
        }
        self.columns = columns
        self.columnCount = columnCount
        self.dense = dense
        self.denseStates = denseStates
        self.edgeStart = edgeStart
        self.edgeColumn = edgeColumn
        self.edgeTarget = edgeTarget
        self.failure = renumberedFailure
        self.outputStart = outputStart
        self.outputs = outputs
        self.outputLink = renumberedLink
        self.reports = reports
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
                state = next(state, columns[Int(byte)])
                guard reports[state] else { continue }
                var reporting = state
                while reporting >= 0 {
                    for k in Int(outputStart[reporting])..<Int(outputStart[reporting + 1]) {
                        marks[Int(outputs[k])] |= flag
                    }
                    reporting = Int(outputLink[reporting])
                }
            }
        }
    }

    /// The state after `state` reads a byte of `column`.
    @inline(__always) private func next(_ state: Int, _ column: UInt8) -> Int {
        var state = state
        while state >= denseStates {
            let sparse = state - denseStates
            for edge in Int(edgeStart[sparse])..<Int(edgeStart[sparse + 1]) where edgeColumn[edge] == column {
                return Int(edgeTarget[edge])
            }
            state = Int(failure[state])
        }
        return Int(dense[state &* columnCount &+ Int(column)])
    }
}
