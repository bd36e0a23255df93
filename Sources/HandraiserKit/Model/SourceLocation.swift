/// Where a piece of input came from, for error messages and `--why` output.
///
/// Lines and columns are 1-based; `byteOffset` is 0-based from the start of the file.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The path as the user gave it, or `-` for standard input.
    public var file: String
    public var line: Int?
    public var column: Int?
    public var byteOffset: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    /// `file:line:column`, or `file:@offset` when only the byte offset is known.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        } else if let byteOffset {
            text += ":@\(byteOffset)"
        }
        return text
    }
}
