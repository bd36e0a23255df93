import HandraiserModel

/// Why an input could not be read. Every case names the file and, where known, the place.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be opened or read.
    case unreadable(file: String, reason: String)
    /// The content is not what the format requires at this place.
    case malformed(SourceLocation, message: String)
    /// Bytes that are not UTF-8 where text was expected.
    case invalidUTF8(SourceLocation)
    /// The content's shape matches no format Handraiser knows.
    case unknownFormat(file: String, seen: String)
    case lineTooLong(SourceLocation, limit: Int)
    case tooLarge(file: String, limit: Int)
    /// A thread has more comments than the caller holds at once (`ReadOptions.maximumThreadComments`).
    case threadTooLong(SourceLocation, post: String, limit: Int)
    case empty(file: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read: \(reason)"
        case .malformed(let location, let message): "\(location): \(message)"
        case .invalidUTF8(let location): "\(location): the text is not valid UTF-8"
        case .unknownFormat(let file, let seen):
            "\(file): not a format Handraiser reads (text dump, JSON Lines, CSV, WordPress WXR, Disqus XML); it starts with \(seen)"
        case .lineTooLong(let location, let limit): "\(location): a line is longer than \(limit) bytes"
        case .tooLarge(let file, let limit): "\(file): larger than the \(limit)-byte limit for this format"
        case .threadTooLong(let location, let post, let limit):
            // Records that name no post make one thread; the place of the one past the limit is what names it.
            (post.isEmpty
                ? "\(location): the comments that name no post (one thread) are more than \(limit)"
                : "\(location): post \"\(post)\" has more than \(limit) comments")
                + ", more than this command holds in memory at once (scan and filter read threads of any length)"
        case .empty(let file): "\(file): the file is empty"
        }
    }
}

/// A record a reader could not use. In filter mode it goes to the rejects stream, never vanishes.
public struct UnreadableRecord: Error, Sendable, Hashable {
    public var location: SourceLocation
    public var message: String
    /// The record's original bytes, decoded leniently, so it can be passed on unchanged.
    public var raw: String

    public init(location: SourceLocation, message: String, raw: String) {
        self.location = location
        self.message = message
        self.raw = raw
    }
}
