import HandraiserModel

/// Builds one JSON object with members in the order they are added, so output is stable.
public struct JSONObjectWriter {
    private var text = "{"
    private var first = true

    public init() {}

    private mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        JSONText.appendString(name, to: &text)
        text += ":"
    }

    public mutating func string(_ name: String, _ value: String?) {
        key(name)
        if let value { JSONText.appendString(value, to: &text) } else { text += "null" }
    }

    /// Adds the member only when `value` is present.
    public mutating func optionalString(_ name: String, _ value: String?) {
        if let value { string(name, value) }
    }

    public mutating func number(_ name: String, _ value: Double) {
        key(name)
        text += JSONText.number(value)
    }

    public mutating func integer(_ name: String, _ value: Int) {
        key(name)
        text += String(value)
    }

    public mutating func bool(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    /// Adds a member whose value is already JSON text.
    public mutating func raw(_ name: String, json: String) {
        key(name)
        text += json
    }

    public mutating func array(_ name: String, _ items: [String]) {
        key(name)
        text += "[" + items.joined(separator: ",") + "]"
    }

    public mutating func stringArray(_ name: String, _ items: [String]) {
        array(name, items.map(JSONText.string))
    }

    /// The finished object.
    public var json: String { text + "}" }
}

/// JSON text of scalar values.
public enum JSONText {
    public static func string(_ value: String) -> String { JSONString.literal(value) }

    public static func appendString(_ value: String, to out: inout String) { JSONString.append(value, to: &out) }

    /// Scores print with at most two decimals and no trailing zeros (`5`, `2.5`, `-0.75`).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(rounded)
        if text.contains("e") { text = String(Int(rounded)) }
        return text
    }
}
