import Foundation
import HandraiserInput
import HandraiserModel
import Testing

/// Counts what a reader produces without keeping it, as a streaming consumer would.
struct WXRCountingSink: ReadSink {
    var threads = 0
    var comments = 0
    var spam = 0
    var pingbacks = 0
    var unreadable = 0

    mutating func thread(_ thread: HandraiserModel.Thread) {
        threads += 1
        comments += thread.comments.count
        spam += thread.comments.count { $0.status == .spam }
        pingbacks += thread.comments.count { $0.type == .pingback }
    }

    mutating func unreadable(_ record: UnreadableRecord) { unreadable += 1 }
}

/// Opt-in (`HANDRAISER_BIG=1`, size in `HANDRAISER_BIG_BYTES`, default 1 GB): writes a synthetic
/// export, reads it back, and checks that peak memory stayed under 200 MB.
@Suite struct WXRBigFileTests {
    static let enabled = ProcessInfo.processInfo.environment["HANDRAISER_BIG"] == "1"

    static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Int(usage.ru_maxrss) * 1024
        #else
            getrusage(RUSAGE_SELF, &usage)
            return Int(usage.ru_maxrss)
        #endif
    }

    @Test(.enabled(if: enabled, "set HANDRAISER_BIG=1 to write and read a 1 GB export"))
    func aHugeExportStreamsInBoundedMemory() throws {
        let size = ProcessInfo.processInfo.environment["HANDRAISER_BIG_BYTES"].flatMap(Int.init) ?? 1 << 30
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("handraiser-big-\(getpid()).xml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let written = try WXRSynth.write(to: path, approximateBytes: size)

        let started = Date()
        var sink = WXRCountingSink()
        try WXRReader().read(try InputSource(name: path).open(), options: ReadOptions(), into: &sink)
        let seconds = Date().timeIntervalSince(started)
        let peak = Self.peakResidentBytes()
        print(
            "read \(written.bytes) bytes, \(sink.threads) posts, \(sink.comments) comments in \(Int(seconds)) s; peak RSS \(peak >> 20) MB"
        )

        #expect(sink.threads == written.posts)
        #expect(sink.comments == written.comments)
        #expect(sink.spam == written.spam)
        #expect(sink.pingbacks == written.pingbacks)
        #expect(sink.unreadable == 0)
        #expect(peak < 200 << 20)
    }
}
