import Foundation
import HandraiserInput
import HandraiserModel

/// Measures a streamed scan end to end: comments per second, bytes per second, peak memory.
public struct Benchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public var files: [String]
        public var bytes: Int
        public var comments: Int
        public var seconds: Double
        /// Peak resident set size of this process, in KiB.
        public var peakRSSKiB: Int
        public var startupSeconds: Double

        public var commentsPerSecond: Double { seconds > 0 ? Double(comments) / seconds : 0 }
        public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1_000_000 / seconds : 0 }

        public var description: String {
            func fixed(_ value: Double, _ digits: Int) -> String {
                let scale = pow(10, Double(digits))
                let rounded = (value * scale).rounded() / scale
                return digits == 0 ? String(Int(rounded)) : String(rounded)
            }
            return """
                input:        \(files.joined(separator: ", ")) (\(fixed(Double(bytes) / 1_000_000, 1)) MB)
                comments:     \(comments)
                time:         \(fixed(seconds, 2)) s (rules compiled in \(fixed(startupSeconds * 1000, 1)) ms)
                throughput:   \(fixed(commentsPerSecond, 0)) comments/s, \(fixed(megabytesPerSecond, 1)) MB/s
                peak RSS:     \(fixed(Double(peakRSSKiB) / 1024, 1)) MiB

                """
        }
    }

    /// Scans `files` as `scan` does, writing nothing, and reports the figures.
    public static func run(files: [String], settings: RunSettings) throws -> Report {
        let clock = ContinuousClock()
        let start = clock.now
        let handraiser = try Handraiser(settings: settings)
        let startup = clock.now - start
        var counter = CountingObserver()
        let elapsed = try clock.measure {
            for file in files { try handraiser.streamScan(file, into: &counter) }
        }
        let bytes = files.reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
        return Report(
            files: files, bytes: bytes, comments: counter.comments, seconds: elapsed.seconds,
            peakRSSKiB: peakResidentKiB(), startupSeconds: startup.seconds)
    }

    /// Peak resident set size so far, in KiB (Linux reports KiB, macOS bytes).
    public static func peakResidentKiB() -> Int {
        var usage = rusage()
        #if os(Linux)
            getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(macOS)
            return Int(usage.ru_maxrss) / 1024
        #else
            return Int(usage.ru_maxrss)
        #endif
    }
}

private struct CountingObserver: ScanObserver {
    var comments = 0
    mutating func thread(_ thread: ClassifiedThread, source: String) { comments += thread.comments.count }
    mutating func unreadable(_ record: UnreadableRecord, source: String) {}
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
