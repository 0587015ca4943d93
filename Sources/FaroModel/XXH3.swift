/// XXH3-64: the 64-bit XXH3 hash of xxHash with seed 0 and the default 192-byte secret.
///
/// Grafana Alloy fills an exception's `hash` with `xxh3.HashString(value)` from
/// github.com/zeebo/xxh3, which is this function; the results match the reference
/// `XXH3_64bits` for every input length. The implementation is the portable scalar
/// algorithm: it allocates nothing and reads the input with unaligned little-endian loads.
public enum XXH3 {
    /// Returns the XXH3-64 hash (seed 0) of `bytes`.
    public static func hash64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        secret.withUnsafeBytes { hash(bytes, secret: $0) }
    }

    /// Returns the XXH3-64 hash (seed 0) of the UTF-8 bytes of `string`.
    ///
    /// Native strings are hashed in place; other strings (bridged ones) are copied first.
    public static func hash64(_ string: String) -> UInt64 {
        if let hash = string.utf8.withContiguousStorageIfAvailable({ hash64(UnsafeRawBufferPointer($0)) }) {
            return hash
        }
        return Array(string.utf8).withUnsafeBytes { hash64($0) }
    }

    // MARK: Constants

    private static let prime32_1: UInt64 = 0x9E37_79B1
    private static let prime32_2: UInt64 = 0x85EB_CA77
    private static let prime32_3: UInt64 = 0xC2B2_AE3D
    private static let prime64_1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime64_2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime64_3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime64_4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime64_5: UInt64 = 0x27D4_EB2F_1656_67C5
    private static let primeMX1: UInt64 = 0x1656_6791_9E37_79F9
    private static let primeMX2: UInt64 = 0x9FB2_1C65_1E98_DF25

    /// The default secret (`XXH3_kSecret`).
    private static let secret: [UInt8] = [
        0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
        0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
        0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
        0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
        0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
        0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
        0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
        0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
        0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
        0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
        0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
        0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
    ]

    /// The accumulators' starting values (`XXH3_INIT_ACC`).
    private static let initialAccumulators: [UInt64] = [
        prime32_3, prime64_1, prime64_2, prime64_3, prime64_4, prime32_2, prime64_5, prime32_1,
    ]

    private static let stripeLength = 64
    /// Secret bytes consumed per stripe.
    private static let secretConsumeRate = 8
    private static let stripesPerBlock = (192 - 64) / 8  // 16
    private static let blockLength = 64 * stripesPerBlock  // 1024

    // MARK: Dispatch on length

    private static func hash(_ input: UnsafeRawBufferPointer, secret: UnsafeRawBufferPointer) -> UInt64 {
        let length = input.count
        switch length {
        case 0:
            return xxh64Avalanche(read64(secret, 56) ^ read64(secret, 64))
        case 1...3:
            let c1 = UInt32(input[0])
            let c2 = UInt32(input[length >> 1])
            let c3 = UInt32(input[length - 1])
            let combined = c1 << 16 | c2 << 24 | c3 | UInt32(length) << 8
            let bitflip = UInt64(read32(secret, 0) ^ read32(secret, 4))
            return xxh64Avalanche(UInt64(combined) ^ bitflip)
        case 4...8:
            let input1 = UInt64(read32(input, 0))
            let input2 = UInt64(read32(input, length - 4))
            let bitflip = read64(secret, 8) ^ read64(secret, 16)
            return rrmxmx((input2 &+ input1 << 32) ^ bitflip, length: UInt64(length))
        case 9...16:
            let low = read64(input, 0) ^ read64(secret, 24) ^ read64(secret, 32)
            let high = read64(input, length - 8) ^ read64(secret, 40) ^ read64(secret, 48)
            return avalanche(UInt64(length) &+ low.byteSwapped &+ high &+ multiplyFold(low, high))
        case 17...128:
            // Pairs of 16-byte chunks, one from each end, moving inward.
            var acc = UInt64(length) &* prime64_1
            for i in stride(from: (length - 1) / 32, through: 0, by: -1) {
                acc &+= mix16(input, 16 * i, secret, 32 * i)
                acc &+= mix16(input, length - 16 * (i + 1), secret, 32 * i + 16)
            }
            return avalanche(acc)
        case 129...240:
            var acc = UInt64(length) &* prime64_1
            for i in 0..<8 {
                acc &+= mix16(input, 16 * i, secret, 16 * i)
            }
            acc = avalanche(acc)
            // 136 is the minimum secret size, 17 the "last offset" of the reference.
            var accEnd = mix16(input, length - 16, secret, 136 - 17)
            for i in 8..<(length / 16) {
                accEnd &+= mix16(input, 16 * i, secret, 16 * (i - 8) + 3)
            }
            return avalanche(acc &+ accEnd)
        default:
            return hashLong(input, secret: secret)
        }
    }

    // MARK: Inputs longer than 240 bytes

    private static func hashLong(_ input: UnsafeRawBufferPointer, secret: UnsafeRawBufferPointer) -> UInt64 {
        let length = input.count
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 8) { acc in
            _ = acc.initialize(fromContentsOf: initialAccumulators)
            // Whole blocks of 16 stripes, each stripe with the secret advanced by 8 bytes; the
            // accumulators are scrambled after each block. The last block holds at least one byte.
            let blocks = (length - 1) / blockLength
            for block in 0..<blocks {
                for stripe in 0..<stripesPerBlock {
                    let offset = block * blockLength + stripe * stripeLength
                    accumulate512(acc, input, offset, secret, stripe * secretConsumeRate)
                }
                scramble(acc, secret, secret.count - stripeLength)
            }
            // The last block's whole stripes but its final one, then its final 64 bytes
            // (overlapping the previous stripe unless the length is a multiple of 64).
            let stripes = (length - 1 - blocks * blockLength) / stripeLength
            for stripe in 0..<stripes {
                let offset = blocks * blockLength + stripe * stripeLength
                accumulate512(acc, input, offset, secret, stripe * secretConsumeRate)
            }
            accumulate512(acc, input, length - stripeLength, secret, secret.count - stripeLength - 7)

            // Merge the accumulators pairwise, with the secret from offset 11.
            var result = UInt64(length) &* prime64_1
            for pair in 0..<4 {
                let key = 11 + 16 * pair
                result &+= multiplyFold(
                    acc[2 * pair] ^ read64(secret, key), acc[2 * pair + 1] ^ read64(secret, key + 8))
            }
            return avalanche(result)
        }
    }

    /// Mixes one 64-byte stripe of `input` at `offset` into the eight accumulators.
    private static func accumulate512(
        _ acc: UnsafeMutableBufferPointer<UInt64>, _ input: UnsafeRawBufferPointer, _ offset: Int,
        _ secret: UnsafeRawBufferPointer, _ secretOffset: Int
    ) {
        for lane in 0..<8 {
            let value = read64(input, offset + 8 * lane)
            let key = value ^ read64(secret, secretOffset + 8 * lane)
            acc[lane ^ 1] &+= value
            acc[lane] &+= (key & 0xFFFF_FFFF) &* (key >> 32)
        }
    }

    /// Scrambles the accumulators at the end of each block.
    private static func scramble(
        _ acc: UnsafeMutableBufferPointer<UInt64>, _ secret: UnsafeRawBufferPointer, _ secretOffset: Int
    ) {
        for lane in 0..<8 {
            var value = acc[lane]
            value ^= value >> 47
            value ^= read64(secret, secretOffset + 8 * lane)
            acc[lane] = value &* prime32_1
        }
    }

    // MARK: Primitives

    private static func read32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    private static func read64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The 128-bit product of `lhs` and `rhs`, its two halves XORed together.
    private static func multiplyFold(_ lhs: UInt64, _ rhs: UInt64) -> UInt64 {
        let product = lhs.multipliedFullWidth(by: rhs)
        return product.high ^ product.low
    }

    private static func mix16(
        _ input: UnsafeRawBufferPointer, _ offset: Int, _ secret: UnsafeRawBufferPointer, _ secretOffset: Int
    ) -> UInt64 {
        multiplyFold(
            read64(input, offset) ^ read64(secret, secretOffset),
            read64(input, offset + 8) ^ read64(secret, secretOffset + 8))
    }

    private static func xxh64Avalanche(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= prime64_2
        h ^= h >> 29
        h &*= prime64_3
        return h ^ (h >> 32)
    }

    private static func avalanche(_ value: UInt64) -> UInt64 {
        var h = value ^ (value >> 37)
        h &*= primeMX1
        return h ^ (h >> 32)
    }

    private static func rrmxmx(_ value: UInt64, length: UInt64) -> UInt64 {
        var h = value
        h ^= (h << 49 | h >> 15) ^ (h << 24 | h >> 40)
        h &*= primeMX2
        h ^= (h >> 35) &+ length
        h &*= primeMX2
        return h ^ (h >> 28)
    }
}
