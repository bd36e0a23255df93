import HandraiserModel

/// Small text helpers shared by the export readers (WXR, Disqus, CSV).
extension String {
    /// Without surrounding white space.
    var exportTrimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) ?? first
        return String(scalars[first...last])
    }

    /// Nil when empty.
    var exportNonEmpty: String? { isEmpty ? nil : self }
}
