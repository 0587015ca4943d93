import Testing
import WriteAheadSpool

/// CRC-32C against the standard check value and the iSCSI test vectors of RFC 3720 (B.4).
@Suite struct CRC32CTests {
    static func checksum(_ bytes: [UInt8], initial: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { CRC32C.checksum($0, initial: initial) }
    }

    @Test func checkValue() {
        #expect(Self.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(Self.checksum([]) == 0)
    }

    @Test func rfc3720Vectors() {
        #expect(Self.checksum([UInt8](repeating: 0x00, count: 32)) == 0x8A91_36AA)
        #expect(Self.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(Self.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(Self.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    /// Continuing with `initial` equals one pass, for every split and for lengths around the
    /// eight-byte steps.
    @Test func continuationAndLengths() {
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for length in 0...bytes.count {
            let whole = Self.checksum(Array(bytes[..<length]))
            // Bit by bit, the definition.
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes[..<length] {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 0 ? 0 : 0x82F6_3B78) }
            }
            #expect(whole == ~crc, "length \(length)")
            for split in stride(from: 0, through: length, by: 7) {
                let first = Self.checksum(Array(bytes[..<split]))
                #expect(Self.checksum(Array(bytes[split..<length]), initial: first) == whole)
            }
        }
    }
}
