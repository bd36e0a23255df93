import Foundation
import HandraiserClassification

/// The plain-text sections of `handraiser bench`'s report.
public enum BenchmarkReport {
    /// The machine, the build and how busy the machine was.
    public static func machine(executable: String, workers: Int? = nil) -> String {
        var system = utsname()
        uname(&system)
        func field<T>(_ value: inout T) -> String {
            withUnsafeBytes(of: &value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let info = ProcessInfo.processInfo
        var os = "\(field(&system.sysname)) \(field(&system.release))"
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
            let line = release.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") })
        {
            os += " (\(line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: ["\""])))"
        }
        var text = """
            machine:      \(field(&system.machine)), \(info.activeProcessorCount) cores, \
            \(fixed(Double(info.physicalMemory) / 1_073_741_824, 1)) GiB, \(os)
            build:        \(buildConfiguration) build\(runtimeLinkage), Swift \(compilerVersion), \(executable)
            workers:      \(workers ?? ClassifierConfiguration.defaultWorkers) (--workers or HANDRAISER_WORKERS to change)

            """
        if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
            let figures = load.split(separator: " ").prefix(3).joined(separator: " ")
            text += "load average: \(figures) at the start (other jobs on the machine make wall times noisy)\n"
        }
        return text + "\n"
    }

    static var buildConfiguration: String {
        #if DEBUG
            "debug (figures are not meaningful; swift build -c release --static-swift-stdlib)"
        #else
            "release"
        #endif
    }

    /// Whether this process loaded the Swift runtime as a shared library: start-up then pays the
    /// loader's relocations (`--static-swift-stdlib` links it in). Empty where it cannot be told.
    static var runtimeLinkage: String {
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return "" }
        return maps.contains("libswiftCore.so")
            ? " (Swift runtime shared: --static-swift-stdlib starts faster)" : " (Swift runtime linked in)"
    }

    static var compilerVersion: String {
        #if compiler(>=6.4)
            "6.4 or later"
        #elseif compiler(>=6.3)
            "6.3"
        #elseif compiler(>=6.2)
            "6.2"
        #elseif compiler(>=6.1)
            "6.1"
        #else
            "6.0"
        #endif
    }

    public static func corpus(_ corpus: ReplicatedCorpus, directory: String) -> String {
        var text = """
            corpus:       \(directory): \(corpus.files.count) files, \(grouped(corpus.records)) records, \
            \(megabytes(corpus.bytes)) MB
            replicated:   copies of those lines written to a temporary file up to each size; every copy
                          after the first renames id, post_id and parent_id ("r2-…", "r3-…"), so copies
                          are distinct records in distinct threads (the texts repeat, so the near-
                          duplicate check sees each comment once per copy)

            """
        if corpus.skippedLines > 0 {
            text += "              (\(corpus.skippedLines) lines that are not JSON objects left out)\n"
        }
        return text + "\n"
    }

    public static func filter(_ rows: [BenchmarkSuite.FilterRow]) -> String {
        var table = [
            ["JSONL", "records", "copies", "wall s", "user+sys s", "comments/s", "MB/s", "per CPU s", "peak RSS"]
        ]
        for row in rows {
            let perCPU = Double(row.written.records) / row.child.cpuSeconds
            table.append([
                megabytes(row.written.bytes) + " MB", grouped(row.written.records), String(row.written.copies),
                fixed(row.child.wallSeconds, 2), fixed(row.child.cpuSeconds, 2),
                grouped(Int(row.commentsPerSecond.rounded())), fixed(row.megabytesPerSecond, 1),
                "\(grouped(Int(perCPU.rounded()))) c, \(fixed(Double(row.written.bytes) / 1e6 / row.child.cpuSeconds, 1)) MB",
                fixed(Double(row.child.peakRSSKiB) / 1024, 1) + " MiB",
            ])
        }
        var text = "filter --annotate, end to end (child process: stdin from the file, stdout to /dev/null;\n"
        text += "comments/s and MB/s by wall time; per CPU s: comments and MB per second of user+sys time):\n"
        text += columns(table)
        if rows.count > 1, let first = rows.first, let last = rows.last {
            let size = Double(last.written.bytes) / Double(first.written.bytes)
            text +=
                "growth \(megabytes(first.written.bytes)) → \(megabytes(last.written.bytes)) MB (×\(fixed(size, 1))): "
            text += "time ×\(fixed(last.child.wallSeconds / first.child.wallSeconds, 1)) wall, "
            text += "×\(fixed(last.child.cpuSeconds / first.child.cpuSeconds, 1)) CPU; "
            text += "peak RSS ×\(fixed(Double(last.child.peakRSSKiB) / Double(first.child.peakRSSKiB), 1))\n"
        }
        return text + "\n"
    }

    public static func startup(_ startup: BenchmarkSuite.Startup) -> String {
        """
        start-up, filter --annotate on one comment (\(startup.runs.count) runs): median \
        \(fixed(startup.medianWall * 1000, 1)) ms wall (fastest \(fixed(startup.minimumWall * 1000, 1)) ms), \
        median \(fixed(startup.medianCPU * 1000, 1)) ms user+sys, peak RSS \
        \(fixed(Double(startup.peakRSSKiB) / 1024, 1)) MiB


        """
    }

    public static func stages(_ split: StageSplit) -> String {
        let stages: [(String, Double)] = [
            ("reading (InputLoader)", split.reading),
            ("normalising (NormalizedText)", split.normalising),
            ("checks (index, links, CheckContext, built-in checks)", split.checks),
            ("rules (RuleInput, RuleEngine.evaluate)", split.rules),
            ("output (CommentRecordWriter JSON)", split.output),
        ]
        var table = [["stage", "CPU s", "share", "µs/comment"]]
        for (name, seconds) in stages {
            table.append([
                name, fixed(seconds, 3), fixed(seconds / split.total * 100, 1) + "%",
                fixed(seconds / Double(max(1, split.comments)) * 1e6, 1),
            ])
        }
        table.append([
            "total", fixed(split.total, 3), "100%", fixed(split.total / Double(max(1, split.comments)) * 1e6, 1),
        ])
        var text = """
            where one worker's time goes, in process, on the corpus itself (\(grouped(split.comments)) comments, \
            \(megabytes(split.bytes)) MB of content, one input, one worker; CPU time of the measuring thread):

            """
        text += columns(table)
        text += "  of checks, the near-duplicate index build: \(fixed(split.indexing, 3)) s; "
        text += "Classifier.classify on one worker, same sample and index: \(fixed(split.classifier, 3)) s "
        text +=
            "(stages above without reading and output: \(fixed(split.normalising + split.checks + split.rules, 3)) s)\n"
        if !split.costliestRules.isEmpty {
            let total = split.costliestRules.reduce(0) { $0 + $1.cost.seconds }
            let all = split.allPatternRules
            let unfiltered = split.unfilteredPatternRules
            let perComment = { (runs: Int) in fixed(Double(runs) / Double(max(split.comments, 1)), 1) }
            text += "  pattern matching (wall time of each match, separate pass): \(fixed(all.seconds, 3)) s, "
            text += "\(perComment(all.runs)) patterns run per comment after the prefilter; of them, "
            text += "rules without a literal \(fixed(unfiltered.seconds, 3)) s, "
            text += "\(perComment(unfiltered.runs)) per comment\n"
            text += "  costliest pattern rules (s, comments run on; * no literal): "
            text += split.costliestRules.map {
                "\($0.id)\($0.cost.isUnfiltered ? "*" : "") \(fixed($0.cost.seconds, 3)) s \(grouped($0.cost.runs))"
            }
            .joined(separator: ", ")
            text += " (\(fixed(total, 3)) s together)\n"
        }
        return text + "\n"
    }

    public static func rules(_ rows: [RuleScaling.Row]) -> String {
        var table = [
            ["extra rules", "prefilter", "compile ms", "prefiltered", "comments/s", "rules share", "extra hits"]
        ]
        for row in rows {
            let name = row.kind.map { "\(grouped(row.extraRules)) \($0.rawValue)" } ?? "none (default rules)"
            table.append([
                name, row.prefilter ? "on" : "off", fixed(row.compileSeconds * 1000, 1),
                "\(grouped(row.prefiltered))/\(grouped(row.patterns))", grouped(Int(row.commentsPerSecond.rounded())),
                fixed(row.rulesSeconds / row.classifySeconds * 100, 1) + "%", String(row.extraHits),
            ])
        }
        let comments = rows.first?.comments ?? 0
        var text = """
            rule scaling: classify (normalise, checks, rules) \(grouped(comments)) comments sampled evenly from the \
            corpus, one worker, comments per CPU second of the measuring thread; the generated keys and regex \
            rules use made-up words, so they rarely hit (the common case):

            """
        text += columns(table)
        return text + "\n"
    }

    public static func peer(_ peer: PeerComparison?, ours: BenchmarkSuite.FilterRow?) -> String {
        guard let peer else { return "peer: bogofilter not installed; skipped\n\n" }
        var text = """
            peer: bogofilter, trained on one copy of the labels (\(grouped(peer.trainedSpam)) spam, \
            \(grouped(peer.trainedHam)) ham: \(fixed(peer.training.wallSeconds, 2)) s), then classifying \
            the same \(grouped(peer.messages)) comments as an mbox (-M -T):
              bogofilter  \(fixed(peer.classifying.wallSeconds, 2)) s wall, \
            \(fixed(peer.classifying.cpuSeconds, 2)) s user+sys, \(grouped(Int(peer.commentsPerSecond.rounded()))) \
            comments/s, peak RSS \(fixed(Double(peer.classifying.peakRSSKiB) / 1024, 1)) MiB

            """
        if let ours {
            text += """
                  handraiser  \(fixed(ours.child.wallSeconds, 2)) s wall, \(fixed(ours.child.cpuSeconds, 2)) s \
                user+sys, \(grouped(Int(ours.commentsPerSecond.rounded()))) comments/s (filter --annotate above)
                  ratio       ×\(fixed(ours.commentsPerSecond / peer.commentsPerSecond, 2)) bogofilter's comments/s \
                by wall time; ×\(fixed(peer.classifying.cpuSeconds / ours.child.cpuSeconds, 2)) per CPU second \
                (bogofilter uses one core)

                """
        }
        return text + "\n"
    }

    public static func targets(
        rows: [BenchmarkSuite.FilterRow], startup: BenchmarkSuite.Startup, peer: PeerComparison?
    ) -> String {
        var lines = ["targets (issue 5):"]
        func verdict(_ met: Bool) -> String { met ? "met" : "NOT met" }
        if let last = rows.last {
            lines.append(
                "  ≥ 100 MB/s end to end:        \(fixed(last.megabytesPerSecond, 1)) MB/s wall "
                    + "(\(fixed(Double(last.written.bytes) / 1e6 / last.child.cpuSeconds, 1)) MB per CPU second), "
                    + verdict(last.megabytesPerSecond >= 100))
            if let peer {
                let ratio = last.commentsPerSecond / peer.commentsPerSecond
                lines.append("  ≥ 5× bogofilter comments/s:   ×\(fixed(ratio, 2)), \(verdict(ratio >= 5))")
            } else {
                lines.append("  ≥ 5× bogofilter comments/s:   not measured (bogofilter not installed)")
            }
        }
        lines.append(
            "  start-up ≤ 30 ms:             \(fixed(startup.medianWall * 1000, 1)) ms, \(verdict(startup.medianWall <= 0.030))"
        )
        let peak = (rows.map(\.child.peakRSSKiB) + [startup.peakRSSKiB]).max() ?? 0
        lines.append(
            "  peak RSS ≤ 100 MB:            \(fixed(Double(peak) * 1024 / 1e6, 1)) MB at most, \(verdict(peak * 1024 <= 100_000_000))"
        )
        lines.append("  1 GB WXR in < 20 s:           not part of this run: handraiser bench --wxr-bytes 1G")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Formatting

    /// Rows of cells as left-aligned text columns, two spaces apart, indented by two.
    static func columns(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            var line = "  "
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 { line += String(repeating: " ", count: widths[index] - cell.count + 2) }
            }
            return line
        }.joined(separator: "\n") + "\n"
    }

    /// `value` with `digits` decimals, e.g. fixed(3.14159, 2) = "3.14".
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "—" }
        return String(format: "%.\(digits)f", value)
    }

    /// An integer with thousands separators: 9272 → "9,272".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func megabytes(_ bytes: Int) -> String { fixed(Double(bytes) / 1e6, 1) }
}
