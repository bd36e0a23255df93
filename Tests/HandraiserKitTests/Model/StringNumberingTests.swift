import HandraiserModel
import Testing

@Suite struct StringNumberingTests {
    /// Keys that share prefixes, bytes or lengths, the empty key and non-ASCII keys each keep a
    /// number of their own, in order of first appearance, through many growths of the table
    /// (where most probes land on a slot another key holds); keys equal as strings (a letter
    /// precomposed and decomposed) are one key, as in a dictionary.
    @Test func everyKeyKeepsItsOwnNumberThroughGrowth() {
        var table = StringNumbering()
        var keys = ["", "a", "ab", "ba", "é", "e\u{301}", "post 1", "post 10", "post 01"]
        for index in 0..<5000 { keys.append("p\(index % 2500)-\(index / 2500)") }
        // The dictionary the table replaces, as the reference.
        var expected: [String: Int] = [:]
        for key in keys + keys.reversed() {
            let (number, isNew) = table.insert(key)
            #expect(isNew == (expected[key] == nil))
            if isNew { expected[key] = number }
            #expect(number == expected[key])
        }
        #expect(table.count == Set(keys).count)
        for (key, number) in expected {
            #expect(table.number(of: key) == number)
            #expect(table[number] == key)
        }
        #expect(table.number(of: "p2500-0") == nil)
        #expect(table.number(of: "post") == nil)
        #expect(table.number(of: "e\u{301}") == table.number(of: "é"))
    }
}
