import Foundation
import HandraiserInput
import HandraiserModel

/// Measures a streamed scan end to end, in this process: comments per second, bytes per second,
/// CPU time, peak memory.
public struct Benchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public var files: [String]
        public var bytes: Int
        public var comments: Int
        public var seconds: Double
        /// User and system CPU time of this process during the scan.
        public var cpuSeconds: Double
        /// Peak resident set size of this process, in KiB.
        public var peakRSSKiB: Int
        public var startupSeconds: Double

        public var commentsPerSecond: Double { seconds > 0 ? Double(comments) / seconds : 0 }
        public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1_000_000 / seconds : 0 }

        public var description: String {
            let fixed = BenchmarkReport.fixed
            return """
                input:        \(files.joined(separator: ", ")) (\(fixed(Double(bytes) / 1_000_000, 1)) MB)
                comments:     \(BenchmarkReport.grouped(comments))
                time:         \(fixed(seconds, 2)) s wall, \(fixed(cpuSeconds, 2)) s user+sys \
                (set up in \(fixed(startupSeconds * 1000, 1)) ms; the default rules compile from the \
                process's start on a thread of their own)
                throughput:   \(BenchmarkReport.grouped(Int(commentsPerSecond.rounded()))) comments/s, \
                \(fixed(megabytesPerSecond, 1)) MB/s
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
        let cpuBefore = cpuSeconds()
        let elapsed = try clock.measure {
            for file in files { try handraiser.streamScan(file, into: &counter) }
        }
        let cpu = cpuSeconds() - cpuBefore
        let bytes = files.reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
        return Report(
            files: files, bytes: bytes, comments: counter.comments, seconds: elapsed.benchSeconds, cpuSeconds: cpu,
            peakRSSKiB: peakResidentKiB(), startupSeconds: startup.benchSeconds)
    }

    /// Peak resident set size so far, in KiB.
    public static func peakResidentKiB() -> Int { ChildProcess.peakKiB(selfUsage()) }

    /// User plus system CPU time of this process so far.
    static func cpuSeconds() -> Double {
        let usage = selfUsage()
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }

    private static func selfUsage() -> rusage {
        var usage = rusage()
        #if os(Linux)
            getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return usage
    }

    /// A size written like `500M`, `1G`, `64K` or a plain number of bytes (decimal units).
    public static func bytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1_000, "M": 1_000_000, "G": 1_000_000_000]
        guard let last = text.uppercased().last else { return nil }
        let number = units[last] == nil ? Substring(text) : text.dropLast()
        guard let value = Double(number), value.isFinite, value > 0 else { return nil }
        return Int(value * Double(units[last] ?? 1))
    }
}

private struct CountingObserver: ScanObserver {
    var comments = 0
    mutating func thread(_ thread: ClassifiedThread, source: String) { comments += thread.comments.count }
    mutating func unreadable(_ record: UnreadableRecord, source: String) {}
}

extension Benchmark {
    /// A synthetic WXR export written for a benchmark: at `keep` when given, else in a private
    /// temporary folder (made by `mkdtemp`, so no guessable name in a shared folder is written).
    public struct GeneratedExport: Sendable {
        public var path: String
        public var summary: WXRSynth.Summary
        let folder: TemporaryFolder?

        /// Removes the export unless it was asked to be kept.
        public func remove() { folder?.remove() }
    }

    public static func generateExport(bytes: Int, keep: String? = nil) throws -> GeneratedExport {
        let folder = keep == nil ? try TemporaryFolder() : nil
        let path = keep ?? folder?.path("handraiser-bench.xml") ?? "handraiser-bench.xml"
        do {
            return GeneratedExport(
                path: path, summary: try WXRSynth.write(to: path, approximateBytes: bytes), folder: folder)
        } catch {
            folder?.remove()
            throw error
        }
    }
}
