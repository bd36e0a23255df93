import Testing

@testable import HandraiserModel

@Suite struct UTF8ScanTests {
    /// Every length around the eight-byte steps, the byte at every place: the word-at-a-time
    /// answers must be the plain loop's.
    @Test func theWordAtATimeScansAgreeWithTheBytewiseOnes() {
        for length in 0..<26 {
            for position in 0..<max(length, 1) {
                for special: UInt8 in [0x26, 0xC3, 0x80, 0x7F, 0x00] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if length > 0 { bytes[position] = special }
                    bytes.withUnsafeBufferPointer { buffer in
                        #expect(UTF8Scan.isASCII(buffer) == bytes.allSatisfy { $0 < 0x80 })
                        for byte: UInt8 in [0x26, 0xC3, 0x80, 0x7F, 0x00, UInt8(ascii: "a"), UInt8(ascii: "b")] {
                            #expect(UTF8Scan.contains(byte, in: buffer) == bytes.contains(byte), "\(bytes) \(byte)")
                        }
                    }
                }
            }
        }
    }

    @Test func stringsAreScannedAsTheirUTF8() {
        #expect(UTF8Scan.isASCII(""))
        #expect(UTF8Scan.isASCII("plain text, 8 bytes+"))
        #expect(!UTF8Scan.isASCII("naïve"))
        #expect(UTF8Scan.contains(UInt8(ascii: "&"), in: "Tom &amp; Jerry, a long enough line"))
        #expect(!UTF8Scan.contains(UInt8(ascii: "&"), in: "Tom and Jerry, a long enough line"))
        // A bridged or substring-backed string may have no contiguous storage: the fallback answers.
        let sliced = String("xx naïve & more"[...])
        #expect(UTF8Scan.contains(UInt8(ascii: "&"), in: sliced))
    }
}
