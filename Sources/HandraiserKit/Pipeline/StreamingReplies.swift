import Foundation
import HandraiserClassification
import HandraiserInput
import HandraiserModel
import HandraiserOutput
import HandraiserReplies

/// What a streamed `replies` run found besides the report it wrote.
public struct RepliesRun: Sendable {
    /// An input could not be read, or had unreadable records.
    public var failed = false
    /// Rules that could not be applied, over the posts planned.
    public var ruleFailures = RuleFailureTally()
}

extension Handraiser {
    /// Comments `streamReplies` holds classified before it gives up holding the input: past this
    /// many it plans a post at a time. At some 3 KB a classified comment this is about 50 MB.
    public static let repliesWindowComments = 16_384

    /// Plans the reply-to list of `files` and writes it in `document`'s format through `write`,
    /// as `ReplyPlanner.plan` of every input's classified threads would render it, byte for byte.
    ///
    /// An input of up to `windowComments` comments is held and planned whole. Past that, memory
    /// would grow with the input, so the run goes on in two passes: the first (this one, once
    /// the window is full) classifies every thread and keeps on disk only what the planner needs
    /// to know about the whole input (`ThreadDigestFile`); the planner's view of the input is made
    /// from that file, and a second pass classifies each thread again and plans and writes it
    /// before reading the next. Formats whose summary line opens the report (table, Markdown,
    /// HTML) write the posts to a temporary file until the summary is known. Memory then holds
    /// one thread and the planner's index of who commented where (some 100 bytes a comment), not
    /// the input; the price is a second classification. Standard input is copied to a private
    /// temporary file first, so it can be read again.
    ///
    /// An input that cannot be read is reported through `failed` (with its name as the user gave
    /// it) and left out, as if it had not been named.
    public func streamReplies(
        _ files: [String], planner: ReplyPlanner, document: ReplyDocument,
        windowComments: Int = Handraiser.repliesWindowComments, write: (String) -> Void,
        failed: (String) -> Void
    ) throws -> RepliesRun {
        var run = RepliesRun()
        var inputs: [(name: String, path: String, format: InputFormat, spool: Spool?)] = []
        defer { for input in inputs { input.spool?.remove() } }
        let collector = ThreadCollector(windowComments: max(0, windowComments))
        defer { collector.remove() }
        for name in files {
            var spool: Spool?
            try collector.beginInput()
            do {
                spool = name == "-" ? try Spool.standardInput() : nil
                let path = spool?.path ?? name
                let format = try InputLoader.format(
                    of: try InputSource(name: path).open().peek(InputLoader.sniffLength), given: settings.format,
                    name: name)
                var collecting = CollectingObserver(collector: collector)
                try streamScan(path, format: format, name: name, partComments: nil, into: &collecting)
                inputs.append((name, path, format, spool))
            } catch {
                try collector.abandonInput()
                spool?.remove()
                failed(Self.describe(error, path: spool?.path, name: name))
                run.failed = true
            }
        }
        if collector.sawUnreadable { run.failed = true }
        guard let digests = try collector.finish() else {
            let report = planner.plan(collector.held)
            write(document.render(report))
            run.ruleFailures = report.ruleFailures
            return run
        }
        let context = planner.context(for: digests)
        let body = document.headCountsPosts ? try PrivateFile.create("replies") : nil
        defer { body?.remove() }
        if body == nil { write(document.head(ReplyTotals())) }
        var (totals, report) = withoutActuallyEscaping(write) { write in
            let planning = PlanningState(planner: planner, context: context, document: document) { text in
                if let body { body.write(text) } else { write(text) }
            }
            for input in inputs {
                var observer = PlanningObserver(state: planning)
                do {
                    try streamScan(
                        input.path, format: input.format, name: input.name, partComments: nil, into: &observer)
                } catch {
                    // The input changed since the first pass.
                    failed(Self.describe(error, path: input.spool?.path, name: input.name))
                    run.failed = true
                }
            }
            // Not the state itself: it holds `write`, which must not outlive this call.
            return (planning.totals, planning.report)
        }
        totals.warnings = report.warnings.count
        totals.ruleFailures = report.ruleFailures
        if let body {
            write(document.head(totals))
            try body.copy(to: write)
        }
        write(document.tail(report.warnings))
        run.ruleFailures = report.ruleFailures
        return run
    }

    /// `error` as the user should read it: about the input they named, not its temporary copy.
    static func describe(_ error: any Error, path: String?, name: String) -> String {
        guard let path, let error = error as? InputError else { return "\(error)" }
        return "\(error.naming(path, as: name))"
    }
}

/// The first pass of a streamed `replies`: holds classified threads while they fit in the window,
/// then writes what the planner needs of each to a digest file instead.
private final class ThreadCollector {
    let windowComments: Int
    private(set) var held: [ClassifiedThread] = []
    private var heldComments = 0
    /// Where the current input's threads begin in `held`, and in the digest file once there is one.
    private var inputStart = 0
    private var inputDigestStart = 0
    private(set) var digests: ThreadDigestFile?
    var sawUnreadable = false

    init(windowComments: Int) {
        self.windowComments = windowComments
    }

    func beginInput() throws {
        inputStart = held.count
        if let digests { inputDigestStart = try digests.offset() }
    }

    func add(_ thread: ClassifiedThread) throws {
        if let digests {
            try digests.append(thread)
            return
        }
        held.append(thread)
        heldComments += thread.comments.count
        guard heldComments > windowComments else { return }
        let file = try ThreadDigestFile()
        for thread in held[..<inputStart] { try file.append(thread) }
        inputDigestStart = try file.offset()
        for thread in held[inputStart...] { try file.append(thread) }
        held = []
        heldComments = 0
        inputStart = 0
        digests = file
    }

    /// Forgets the threads of the input being read: it failed, and is left out of the report.
    func abandonInput() throws {
        if let digests {
            try digests.truncate(to: inputDigestStart)
        } else {
            held.removeSubrange(inputStart...)
            heldComments = held.reduce(0) { $0 + $1.comments.count }
        }
    }

    /// The digests of every thread read, or nil when they were all held.
    func finish() throws -> ThreadDigestFile? {
        try digests?.finishWriting()
        return digests
    }

    func remove() { digests?.remove() }
}

private struct CollectingObserver: ScanObserver {
    let collector: ThreadCollector

    func thread(_ thread: ClassifiedThread, source: String) throws { try collector.add(thread) }

    func unreadable(_ record: UnreadableRecord, source: String) { collector.sawUnreadable = true }
}

/// The second pass of a streamed `replies`: each thread planned and written as it comes.
private final class PlanningState {
    let planner: ReplyPlanner
    let context: ReplyContext
    let document: ReplyDocument
    let emit: (String) -> Void
    /// The input's threads seen so far, over all inputs: the planner knows threads by their number.
    var index = 0
    var totals = ReplyTotals()
    /// The warnings and rule failures of every post planned; its posts go as soon as they are written.
    var report = ReplyReport()

    init(planner: ReplyPlanner, context: ReplyContext, document: ReplyDocument, emit: @escaping (String) -> Void) {
        self.planner = planner
        self.context = context
        self.document = document
        self.emit = emit
    }

    func plan(_ thread: ClassifiedThread) {
        planner.plan(thread, index: index, context: context, into: &report)
        index += 1
        for plan in report.posts {
            totals.add(plan)
            emit(document.post(plan))
        }
        report.posts.removeAll(keepingCapacity: true)
    }
}

private struct PlanningObserver: ScanObserver {
    let state: PlanningState

    func thread(_ thread: ClassifiedThread, source: String) { state.plan(thread) }

    func unreadable(_ record: UnreadableRecord, source: String) {}
}
