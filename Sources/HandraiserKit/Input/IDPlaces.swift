import Foundation
import HandraiserModel

/// Where the first record of each id of a long thread stands (byte offset, line, column), for
/// `ThreadParts`: a thread of a million comments would otherwise keep every id's bytes and place
/// in memory (about 46 bytes a comment). Past `memorySlots` slots the table moves to a temporary
/// file and is read and written in place, so memory stays flat however long the thread.
///
/// Ids are kept as a 128-bit hash keyed per process (two seeded `Hasher`s, so input cannot be
/// made to collide; `String` hashing agrees with `==`, canonical equivalence): two ids are taken
/// for one only when all 128 bits agree, which for any real thread does not happen.
struct IDPlaces {
    /// A record's place in the file.
    struct Place: Equatable {
        var offset: Int
        var line: Int
        var column: Int
    }

    /// One slot: the id's two hashes, the offset plus one (0 marks an empty slot), line, column.
    private struct Slot {
        var first: UInt64 = 0
        var second: UInt64 = 0
        var offsetPlusOne: Int64 = 0
        var line: Int64 = 0
        var column: Int64 = 0

        var isEmpty: Bool { offsetPlusOne == 0 }
    }

    /// Slots held in memory before the table moves to a file (65,536 slots: 2.6 MB, 32,768 ids).
    let memorySlots: Int
    private var slots: [Slot] = []
    private var file: ScratchFile?
    /// A power of two; the table is kept at most half full.
    private var slotCount: Int
    /// How many ids are placed.
    private(set) var count = 0

    /// `memorySlots`: see the property; a test makes it small to exercise the file.
    init(memorySlots: Int = 1 << 16) {
        self.memorySlots = memorySlots
        slotCount = 1 << 10
        slots = Array(repeating: Slot(), count: slotCount)
    }

    /// Places `id` at `place` unless it has a place already; true when it is new.
    @discardableResult
    mutating func insert(_ id: String, at place: Place) throws -> Bool {
        let (first, second) = Self.hashes(id)
        let (slot, found) = try find(first, second)
        guard found == nil else { return false }
        try write(
            Slot(
                first: first, second: second, offsetPlusOne: Int64(place.offset) + 1, line: Int64(place.line),
                column: Int64(place.column)), at: slot)
        count += 1
        if count * 2 > slotCount { try grow() }
        return true
    }

    /// The place of `id`, or nil when it was never placed.
    func place(of id: String) throws -> Place? {
        let (first, second) = Self.hashes(id)
        guard let found = try find(first, second).found else { return nil }
        return Place(offset: Int(found.offsetPlusOne - 1), line: Int(found.line), column: Int(found.column))
    }

    private static func hashes(_ id: String) -> (UInt64, UInt64) {
        var first = Hasher()
        first.combine(id)
        var second = Hasher()
        second.combine(0x5EED_1D5)
        second.combine(id)
        return (UInt64(bitPattern: Int64(first.finalize())), UInt64(bitPattern: Int64(second.finalize())))
    }

    /// The slot holding the id hashed `first`, `second`, or the empty slot where it would go.
    private func find(_ first: UInt64, _ second: UInt64) throws -> (slot: Int, found: Slot?) {
        let mask = slotCount - 1
        var slot = Int(truncatingIfNeeded: first) & mask
        guard let file else {
            while true {
                let entry = slots[slot]
                if entry.isEmpty { return (slot, nil) }
                if entry.first == first, entry.second == second { return (slot, entry) }
                slot = (slot + 1) & mask
            }
        }
        // Linear probing: a window of slots at one read.
        var window = [Slot](repeating: Slot(), count: Self.windowSlots)
        while true {
            let length = min(Self.windowSlots, slotCount - slot)
            try Self.read(file, into: &window, count: length, atSlot: slot)
            for index in 0..<length {
                let entry = window[index]
                if entry.isEmpty { return (slot + index, nil) }
                if entry.first == first, entry.second == second { return (slot + index, entry) }
            }
            slot = (slot + length) & mask
        }
    }

    private mutating func write(_ entry: Slot, at slot: Int) throws {
        if let file {
            var entry = entry
            let ok = withUnsafeBytes(of: &entry) { file.write($0, at: slot * MemoryLayout<Slot>.stride) }
            guard ok else { throw ScratchFile.failure(of: Self.purpose) }
        } else {
            slots[slot] = entry
        }
    }

    /// Doubles the table, moving it to a file once it outgrows `memorySlots`; in memory still
    /// when no temporary file can be made.
    private mutating func grow() throws {
        let oldCount = slotCount
        let oldFile = file
        let oldSlots = slots
        slotCount *= 2
        if slotCount > memorySlots,
            let newFile = ScratchFile(purpose: "ids", size: slotCount * MemoryLayout<Slot>.stride)
        {
            file = newFile
            slots = []
        } else {
            file = nil
            slots = Array(repeating: Slot(), count: slotCount)
        }
        func place(_ entry: Slot) throws {
            guard !entry.isEmpty else { return }
            let (slot, _) = try find(entry.first, entry.second)
            try write(entry, at: slot)
        }
        if let oldFile {
            var chunk = [Slot](repeating: Slot(), count: Self.chunkSlots)
            var start = 0
            while start < oldCount {
                let length = min(Self.chunkSlots, oldCount - start)
                try Self.read(oldFile, into: &chunk, count: length, atSlot: start)
                for entry in chunk[0..<length] { try place(entry) }
                start += length
            }
        } else {
            for entry in oldSlots { try place(entry) }
        }
    }

    /// Slots read at once while probing the file, and while moving the table to a bigger one.
    private static let windowSlots = 8
    private static let chunkSlots = 4096
    private static let purpose = "a long thread's comment ids"

    private static func read(_ file: ScratchFile, into slots: inout [Slot], count: Int, atSlot slot: Int) throws {
        let ok = slots.withUnsafeMutableBytes {
            file.read(
                into: UnsafeMutableRawBufferPointer(rebasing: $0[..<(count * MemoryLayout<Slot>.stride)]),
                at: slot * MemoryLayout<Slot>.stride)
        }
        guard ok else { throw ScratchFile.failure(of: purpose) }
    }
}

extension ScratchFile {
    /// The error a table in a temporary file reports when the file fails (a full disk, say):
    /// a run must stop rather than go on without what the table held.
    static func failure(of purpose: String) -> InputError {
        InputError.unreadable(file: folder, reason: "cannot write or read back the temporary file of \(purpose)")
    }
}
