import Foundation
import HandraiserModel

extension ScratchFile {
    /// A new empty file for the near-duplicate index, or nil when none can be made.
    static func index() -> ScratchFile? { ScratchFile(purpose: "index") }

    func write(_ values: [UInt64], at offset: Int) -> Bool {
        values.withUnsafeBytes { write($0, at: offset) }
    }

    /// `count` 64-bit values from `offset`, or nil when they cannot be read.
    func read(_ count: Int, at offset: Int) -> [UInt64]? {
        var values = [UInt64](repeating: 0, count: count)
        let ok = values.withUnsafeMutableBytes { read(into: $0, at: offset) }
        return ok ? values : nil
    }
}

/// Writes a growing near-duplicate index to temporary files: the entries (hashes and signature,
/// 64 bytes each, in entry order) to one, each band's packed values, unsorted, to one per band.
final class SpillWriter {
    private let entries: ScratchFile
    private let bandFiles: [ScratchFile]
    /// 64-bit words per entry: identity, author, then the 24 16-bit signature values four to a word.
    static let entryWords = 2 + CorpusIndex.hashCount / 4

    init?() {
        guard let entries = ScratchFile.index() else { return nil }
        var bandFiles: [ScratchFile] = []
        for _ in 0..<CorpusIndex.bandCount {
            guard let file = ScratchFile.index() else { return nil }
            bandFiles.append(file)
        }
        self.entries = entries
        self.bandFiles = bandFiles
    }

    private var written = 0

    /// Appends a chunk of entries; false when the files cannot be written.
    func append(_ identities: [UInt64], _ authors: [UInt64], _ signatures: [UInt16], _ bands: [[UInt64]]) -> Bool {
        var words: [UInt64] = []
        words.reserveCapacity(identities.count * Self.entryWords)
        for entry in identities.indices {
            words.append(identities[entry])
            words.append(authors[entry])
            let base = entry * CorpusIndex.hashCount
            for word in 0..<(CorpusIndex.hashCount / 4) {
                var packed: UInt64 = 0
                for k in 0..<4 { packed |= UInt64(signatures[base + word * 4 + k]) << (16 * UInt64(k)) }
                words.append(packed)
            }
        }
        guard entries.write(words, at: written * Self.entryWords * 8) else { return false }
        for band in bands.indices where !bandFiles[band].write(bands[band], at: written * 8) { return false }
        written += identities.count
        return true
    }

    /// The first `count` entries as the builder held them, for an index that must stay in memory.
    func readBack(
        entries count: Int
    ) -> (
        identities: [UInt64], authors: [UInt64], signatures: [UInt16], bands: [[UInt64]]
    ) {
        var identities: [UInt64] = []
        var authors: [UInt64] = []
        var signatures: [UInt16] = []
        var bands = [[UInt64]](repeating: [], count: CorpusIndex.bandCount)
        // Written files read back unless the disk fails outright; an entry that does not is left out.
        guard let words = entries.read(count * Self.entryWords, at: 0) else { return ([], [], [], bands) }
        for entry in 0..<count {
            let base = entry * Self.entryWords
            identities.append(words[base])
            authors.append(words[base + 1])
            for word in 0..<(CorpusIndex.hashCount / 4) {
                for k in 0..<4 {
                    signatures.append(UInt16(truncatingIfNeeded: words[base + 2 + word] >> (16 * UInt64(k))))
                }
            }
        }
        for band in bands.indices { bands[band] = bandFiles[band].read(count, at: 0) ?? [] }
        if bands.contains(where: { $0.count != count }) {
            return ([], [], [], [[UInt64]](repeating: [], count: bands.count))
        }
        return (identities, authors, signatures, bands)
    }

    /// Values sorted at once: 16 MB. Bigger bands are sorted a slice of key space at a time.
    static let sortBudget = 1 << 21
    /// Values read at once while sorting.
    static let readChunk = 1 << 17

    /// Sorts every band into one file and keeps every `SpilledIndex.blockSize`-th value in
    /// memory to find blocks by; nil when the files fail.
    func finish(entries count: Int) -> SpilledIndex? {
        guard let sorted = ScratchFile.index() else { return nil }
        var fences: [[UInt64]] = []
        let slices = max(1, (count + Self.sortBudget - 1) / Self.sortBudget)
        for band in bandFiles.indices {
            var bandFences: [UInt64] = []
            var position = 0
            for slice in 0..<slices {
                var values: [UInt64] = []
                var start = 0
                while start < count {
                    guard let chunk = bandFiles[band].read(min(Self.readChunk, count - start), at: start * 8) else {
                        return nil
                    }
                    // Band keys are hashes, so their top bits share the values out evenly.
                    values.append(
                        contentsOf: slices == 1 ? chunk : chunk.filter { Self.slice($0, of: slices) == slice })
                    start += chunk.count
                }
                values.sort()
                for index in values.indices where (position + index) % SpilledIndex.blockSize == 0 {
                    bandFences.append(values[index])
                }
                guard sorted.write(values, at: (band * count + position) * 8) else { return nil }
                position += values.count
            }
            fences.append(bandFences)
        }
        return SpilledIndex(entries: entries, bands: sorted, count: count, fences: fences)
    }

    /// Which of `slices` ranges of key space `value` falls in, in key order.
    static func slice(_ value: UInt64, of slices: Int) -> Int {
        Int(((value >> 40) &* UInt64(slices)) >> 24)
    }
}

/// A near-duplicate index on disk: entries by number, and each band's sorted values found through
/// every `blockSize`-th one, held in memory (a 1.5-million-entry index keeps 375 KB).
final class SpilledIndex: Sendable {
    static let blockSize = 256
    private let entries: ScratchFile
    private let bands: ScratchFile
    private let count: Int
    /// Per band: the first value of each block.
    private let fences: [[UInt64]]

    init(entries: ScratchFile, bands: ScratchFile, count: Int, fences: [[UInt64]]) {
        self.entries = entries
        self.bands = bands
        self.count = count
        self.fences = fences
    }

    /// Entry `entry`'s identity and author hashes and how many of its signature values equal
    /// `signature`'s; nil when it cannot be read. Read into a buffer on the stack: this runs for
    /// every candidate of every comment.
    func compare(_ entry: Int, with signature: [UInt16]) -> (identity: UInt64, author: UInt64, agree: Int)? {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: SpillWriter.entryWords) { words in
            guard entries.read(into: UnsafeMutableRawBufferPointer(words), at: entry * SpillWriter.entryWords * 8)
            else { return nil }
            var agree = 0
            for k in 0..<CorpusIndex.hashCount
            where UInt16(truncatingIfNeeded: words[2 + k / 4] >> (16 * UInt64(k % 4))) == signature[k] {
                agree += 1
            }
            return (words[0], words[1], agree)
        }
    }

    /// Adds to `candidates` the entry of every value of `band` whose key is `key`.
    func collect(band: Int, key: UInt64, into candidates: inout Set<Int>) {
        var block = fences[band].firstBlock(for: key)
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.blockSize) { buffer in
            while block * Self.blockSize < count {
                let start = block * Self.blockSize
                let values = UnsafeMutableBufferPointer(rebasing: buffer[..<min(Self.blockSize, count - start)])
                guard bands.read(into: UnsafeMutableRawBufferPointer(values), at: (band * count + start) * 8) else {
                    return
                }
                for value in values where value >= key {
                    guard value & ~CorpusIndex.entryMask == key else { return }
                    candidates.insert(Int(value & CorpusIndex.entryMask))
                }
                block += 1
            }
        }
    }
}

extension [UInt64] {
    /// The block of a sorted spill where the values equal to `key` may start, given each block's
    /// first value: the block before the first one whose first value is not below `key`, since
    /// the key's run may begin at the end of that one.
    func firstBlock(for key: UInt64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < key { low = middle + 1 } else { high = middle }
        }
        return Swift.max(0, low - 1)
    }
}
