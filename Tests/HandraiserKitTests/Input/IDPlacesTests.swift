import Testing

@testable import HandraiserInput

/// The id table of a long thread answers the same in memory and once moved to its temporary file.
@Suite struct IDPlacesTests {
    static func place(_ number: Int) -> IDPlaces.Place {
        IDPlaces.Place(offset: number * 100, line: number + 1, column: number % 7 + 1)
    }

    /// Every id keeps the place of its first record, through every doubling of the table and its
    /// moves to bigger files; ids never placed have none.
    @Test(arguments: [1 << 16, 16]) func eachIDKeepsTheFirstPlaceGiven(memorySlots: Int) throws {
        var places = IDPlaces(memorySlots: memorySlots)
        let count = 5000
        for number in 0..<count { #expect(try places.insert("c\(number)", at: Self.place(number))) }
        // A second record of an id is not its first.
        for number in stride(from: 0, to: count, by: 3) {
            #expect(try !places.insert("c\(number)", at: Self.place(number + count)))
        }
        #expect(places.count == count)
        for number in 0..<count { #expect(try places.place(of: "c\(number)") == Self.place(number)) }
        #expect(try places.place(of: "c\(count)") == nil)
        #expect(try places.place(of: "") == nil)
    }

    /// Ids equal as strings are one id (canonically equivalent spellings), as in the table this
    /// replaced; ids that differ only in case are two.
    @Test(arguments: [1 << 16, 16]) func idsAreEqualAsStringsAre(memorySlots: Int) throws {
        var places = IDPlaces(memorySlots: memorySlots)
        for number in 0..<40 { try places.insert("filler\(number)", at: Self.place(number)) }
        #expect(try places.insert("caf\u{E9}", at: Self.place(1)))
        #expect(try !places.insert("cafe\u{301}", at: Self.place(2)))
        #expect(try places.insert("CAF\u{C9}", at: Self.place(3)))
        #expect(try places.place(of: "cafe\u{301}") == Self.place(1))
        #expect(try places.place(of: "CAF\u{C9}") == Self.place(3))
    }
}
