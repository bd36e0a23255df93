import Dispatch

/// Maps an array on several threads at once, keeping the order: the per-comment text work of
/// indexing and classifying shares nothing between comments.
public enum ParallelMap {
    /// Elements per unit of work: enough that handing out work costs nothing beside the work,
    /// few enough that the threads finish together.
    public static let chunkSize = 16

    /// `transform` of every element, in order, on up to `workers` threads. `setUp` makes each
    /// thread's own state (PCRE2 match data, say), handed to every call on that thread.
    /// `chunkSize` elements go to a thread at a time (1 for a few large elements).
    public static func map<Element: Sendable, State, Result>(
        _ elements: [Element], workers: Int, chunkSize: Int = ParallelMap.chunkSize, setUp: () -> State,
        _ transform: (Element, borrowing State) -> Result
    ) -> [Result] {
        let chunkSize = max(1, chunkSize)
        let chunks = (elements.count + chunkSize - 1) / chunkSize
        let threads = min(max(workers, 1), chunks)
        guard threads > 1 else {
            let state = setUp()
            return elements.map { transform($0, state) }
        }
        // Each slot is written by exactly one thread and read only after all have finished.
        nonisolated(unsafe) let slots = UnsafeMutableBufferPointer<Result>.allocate(capacity: elements.count)
        defer { slots.deallocate() }
        withoutActuallyEscaping(setUp) { setUp in
            withoutActuallyEscaping(transform) { transform in
                nonisolated(unsafe) let setUp = setUp
                nonisolated(unsafe) let transform = transform
                DispatchQueue.concurrentPerform(iterations: threads) { thread in
                    let state = setUp()
                    for chunk in stride(from: thread, to: chunks, by: threads) {
                        let start = chunk * chunkSize
                        for index in start..<min(start + chunkSize, elements.count) {
                            (slots.baseAddress! + index).initialize(to: transform(elements[index], state))
                        }
                    }
                }
            }
        }
        let result = Array(slots)
        _ = slots.baseAddress!.deinitialize(count: elements.count)
        return result
    }

    /// `transform` of every element, in order, on up to `workers` threads.
    public static func map<Element: Sendable, Result>(
        _ elements: [Element], workers: Int, chunkSize: Int = ParallelMap.chunkSize, _ transform: (Element) -> Result
    ) -> [Result] {
        map(elements, workers: workers, chunkSize: chunkSize, setUp: {}) { element, _ in transform(element) }
    }
}
