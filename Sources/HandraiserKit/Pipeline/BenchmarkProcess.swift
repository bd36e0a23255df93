import Foundation

/// What one child process cost, from its own `rusage` (`wait4`), so the figures are the child's
/// and not the benchmark's.
public struct ChildMeasurement: Sendable, Hashable {
    public var wallSeconds: Double
    public var userSeconds: Double
    public var systemSeconds: Double
    /// The child's peak resident set size, in KiB.
    public var peakRSSKiB: Int
    /// The exit status, or 128 + the signal number when a signal ended it.
    public var status: Int32

    public var cpuSeconds: Double { userSeconds + systemSeconds }
}

/// Runs programs as `posix_spawn` children with their standard streams on files.
public enum ChildProcess {
    /// Runs `executable` with `arguments`, standard input read from `input`, standard output
    /// and standard error written to `output` and `errors` (truncated first), and waits for it.
    /// `environment` entries are added to this process's environment.
    public static func run(
        _ executable: String, _ arguments: [String], input: String = "/dev/null", output: String = "/dev/null",
        errors: String = "/dev/null", environment: [String: String] = [:]
    ) throws -> ChildMeasurement {
        #if os(macOS)
            var actions: posix_spawn_file_actions_t?
        #else
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw BenchmarkError.cannotRun(executable, String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchmarkError.cannotRun(executable, String(cString: strerror(errno))) }
        }
        let wall = clock.now - start
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which are macros Swift cannot see.
        let signal = status & 0x7F
        return ChildMeasurement(
            wallSeconds: wall.benchSeconds, userSeconds: usage.ru_utime.seconds, systemSeconds: usage.ru_stime.seconds,
            peakRSSKiB: peakKiB(usage), status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal)
    }

    /// `ru_maxrss` in KiB (Linux reports KiB, macOS bytes).
    static func peakKiB(_ usage: rusage) -> Int {
        #if os(macOS)
            return Int(usage.ru_maxrss) / 1024
        #else
            return Int(usage.ru_maxrss)
        #endif
    }

    /// The path of the running executable: `/proc/self/exe` where there is one, else
    /// `CommandLine.arguments[0]` made absolute (looked up on `PATH` when it holds no slash).
    public static func currentExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 { return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        guard let first = CommandLine.arguments.first, !first.isEmpty else { return nil }
        var candidates = [first]
        if !first.contains("/") {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
            candidates = path.split(separator: ":").map { "\($0)/\(first)" }
        }
        for candidate in candidates where access(candidate, X_OK) == 0 {
            guard let resolved = realpath(candidate, nil) else { continue }
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return nil
    }

    /// The first executable named `name` on `PATH`.
    public static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }
}

/// Why a benchmark could not run.
public enum BenchmarkError: Error, Equatable, CustomStringConvertible {
    case cannotRun(String, String)
    case childFailed(String, status: Int32, errors: String)
    case noCorpus(String)
    case badSize(String)

    public var description: String {
        switch self {
        case .cannotRun(let program, let reason): "cannot run \(program): \(reason)"
        case .childFailed(let command, let status, let errors):
            "\(command) exited with status \(status)" + (errors.isEmpty ? "" : ": \(errors)")
        case .noCorpus(let directory):
            "no dev corpus at \(directory) (no *.jsonl files there): give its folder with --corpus DIR, "
                + "or measure a generated WordPress export alone with --wxr-bytes SIZE"
        case .badSize(let text): "'\(text)' is not a size; write it like 500M or 1G"
        }
    }
}

extension Duration {
    var benchSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension timeval {
    fileprivate var seconds: Double { Double(tv_sec) + Double(tv_usec) / 1e6 }
}
