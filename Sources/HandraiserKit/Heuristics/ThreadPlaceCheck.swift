import HandraiserModel

/// Notes where a comment sits in its thread: `HC_IN_REPLY` when it answers another comment.
///
/// It scores nothing; meta rules use it. People answering each other in a sub-thread (the post
/// author above all) link words and pointers ("the development version", "FAQ") in a way that a
/// drive-by comment at the top of the thread, selling a phrase, does not.
public struct ThreadPlaceCheck: Check {
    static let inReply = "HC_IN_REPLY"

    public init() {}

    public var findingIDs: [String: String] {
        [Self.inReply: "The comment answers another comment (it has a parent)"]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        guard let parent = context.comment.parentID?.trimmedWhitespace, !parent.isEmpty else { return [] }
        return [Finding(id: Self.inReply, description: "answers comment \(parent)")]
    }
}
