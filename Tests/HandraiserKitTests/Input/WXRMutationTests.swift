import Foundation
import HandraiserInput
import HandraiserModel
import Testing

/// Damaged exports (cut short, bytes changed, pieces repeated) must give threads or an
/// `InputError`, never a crash or a hang, in every export reader.
@Suite struct WXRMutationTests {
    /// A small repeatable pseudo-random sequence, so a failure can be replayed.
    struct Sequence {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return bound <= 0 ? 0 : Int((state >> 33) % UInt64(bound))
        }
    }

    static func mutate(_ bytes: [UInt8], _ random: inout Sequence) -> [UInt8] {
        var out = bytes
        guard !out.isEmpty else { return out }
        let special = Array("<>&;/\"']![CDATA-?\r\n\u{0}".utf8) + [0xC3, 0xFF, 0x80]
        for _ in 0..<(1 + random.next(4)) {
            guard !out.isEmpty else { break }
            let at = random.next(out.count)
            switch random.next(4) {
            case 0: out = Array(out[..<at])
            case 1: out[at] = special[random.next(special.count)]
            case 2: out.remove(at: at)
            default:
                let end = min(out.count, at + random.next(64))
                out.insert(contentsOf: out[at..<end], at: random.next(out.count))
            }
        }
        return out
    }

    static func reader(for format: InputFormat) -> any CommentReader {
        switch format {
        case .disqus: DisqusReader()
        case .csv: CSVReader()
        default: WXRReader()
        }
    }

    @Test(arguments: [
        ("wxr/wxr-1.0-threaded.xml", InputFormat.wxr, 1),
        ("wxr/wxr-1.2-authors.xml", .wxr, 2),
        ("wxr/xxe.xml", .wxr, 3),
        ("disqus/disqus-mixed-order.xml", .disqus, 4),
        ("csv/interchange-quoted.csv", .csv, 5),
        ("csv/youtube-style.csv", .csv, 6),
    ])
    func damagedInputNeverCrashes(fixture: String, format: InputFormat, seed: Int) throws {
        let reader = Self.reader(for: format)
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ExportFixtures.path(fixture))))
        var random = Sequence(state: UInt64(seed))
        // HANDRAISER_MUTATIONS raises the count for a longer hunt.
        let count = ProcessInfo.processInfo.environment["HANDRAISER_MUTATIONS"].flatMap(Int.init) ?? 300
        var outcomes = (read: 0, refused: 0)
        for _ in 0..<count {
            let damaged = Self.mutate(original, &random)
            _ = FormatSniffer.sniff(damaged[...], fileName: fixture)
            var sink = CollectingSink()
            do {
                try reader.read(ByteReader(bytes: damaged, name: fixture), options: ReadOptions(), into: &sink)
                outcomes.read += 1
            } catch is InputError {
                outcomes.refused += 1
            }
        }
        #expect(outcomes.read + outcomes.refused == count)
    }
}
