import Testing

@testable import FaroModel

/// `compareBytes` orders bytes as Go compares strings and `bytesEqual` tells equal bytes, whatever
/// the lengths and wherever the first difference lies: in a whole word, in the bytes after the
/// last whole word (which `bytesEqual` reads as an overlapping word or halves), or in a text
/// shorter than a word.
@Suite struct ByteComparisonTests {
    /// The order of `a` and `b` by the standard library: -1, 0 or 1.
    private static func expectedOrder(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a == b ? 0 : a.lexicographicallyPrecedes(b) ? -1 : 1
    }

    private static func order(_ a: [UInt8], _ b: [UInt8]) -> (order: Int, equal: Bool) {
        a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                let order = left.compareBytes(right)
                return (order == 0 ? 0 : order < 0 ? -1 : 1, left.bytesEqual(right))
            }
        }
    }

    @Test func everyLengthAndPlaceOfTheFirstDifference() {
        var checked = 0
        for length in 0...24 {
            let base = (0..<length).map { UInt8(truncatingIfNeeded: 0x41 &+ $0 &* 7) }
            // Equal, and each proper prefix against the whole.
            for prefix in 0...length {
                let shorter = Array(base.prefix(prefix))
                for (a, b) in [(base, shorter), (shorter, base)] {
                    let (order, equal) = Self.order(a, b)
                    #expect(order == Self.expectedOrder(a, b), "\(a) against \(b)")
                    #expect(equal == (a == b))
                    checked += 1
                }
            }
            // One byte changed up and down at each place, also with the other text longer.
            for place in 0..<length {
                for change in [1, -1, 0x80, -0x41] as [Int] {
                    var other = base
                    other[place] = UInt8(truncatingIfNeeded: Int(base[place]) + change)
                    for tailLength in [0, 1, 9] {
                        let longer = other + [UInt8](repeating: 0x30, count: tailLength)
                        for (a, b) in [(base, longer), (longer, base)] {
                            let (order, equal) = Self.order(a, b)
                            #expect(order == Self.expectedOrder(a, b), "\(a) against \(b)")
                            #expect(!equal)
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked > 4_000)
    }
}
