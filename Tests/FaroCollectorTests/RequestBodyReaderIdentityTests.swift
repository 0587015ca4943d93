import FaroCollector
import TestSupport
import Testing

@Suite struct RequestBodyReaderIdentityTests {
    static let chunkSizes = [1, 2, 3, 7, 64, 1000, 4096, 1 << 20]

    @Test(arguments: chunkSizes)
    func underAndAtLimitAreAccepted(chunkSize: Int) {
        let body = TestBodies.random(10_000, seed: 7)
        #expect(TestBodies.read(body, coding: .identity, limit: 10_001, chunkSize: chunkSize) == .success(body))
        #expect(TestBodies.read(body, coding: .identity, limit: 10_000, chunkSize: chunkSize) == .success(body))
    }

    @Test(arguments: chunkSizes)
    func overLimitIsRejectedAsRawBytes(chunkSize: Int) {
        let body = TestBodies.random(10_001, seed: 8)
        let result = TestBodies.read(body, coding: .identity, limit: 10_000, chunkSize: chunkSize)
        #expect(result == .failure(.tooLarge(.rawBytes, limit: 10_000, offset: 10_000)))
    }

    @Test func randomSplitsRoundTrip() {
        var generator = SplitMix64(state: 99)
        let reader = RequestBodyReader()
        for round in 0..<200 {
            let body = TestBodies.random(Int.random(in: 0...5000, using: &generator), seed: UInt64(round))
            let limit = body.count + Int.random(in: -2...2, using: &generator)
            let capacityBefore = reader.capacity
            let result = TestBodies.read(
                body, coding: .identity, limit: max(0, limit),
                chunkSizes: { _ in Int.random(in: 1...600, using: &generator) }, with: reader)
            if body.count <= limit {
                #expect(result == .success(body))
            } else {
                #expect(result.kind == "tooLarge(raw)")
            }
            // Growth stops at limit + 1 bytes (plus the allocator's rounding); a larger buffer kept
            // from an earlier body is reused, not grown.
            #expect(reader.capacity <= max(capacityBefore, max(limit, 0) + 1 + 64))
        }
    }

    @Test func emptyBodyWithZeroLimit() {
        #expect(TestBodies.read([], coding: .identity, limit: 0, chunkSize: 1) == .success([]))
        #expect(TestBodies.read([1], coding: .identity, limit: 0, chunkSize: 1).kind == "tooLarge(raw)")
    }

    @Test func withBodyGivesTheBytes() throws {
        let reader = RequestBodyReader()
        reader.begin(coding: .identity, limit: 100)
        let body: [UInt8] = Array("hello".utf8)
        try body.withUnsafeBytes { bytes in try reader.append(bytes) }
        try reader.finish()
        #expect(reader.withBody { Array($0) } == body)
        #expect(reader.rawByteCount == 5)
    }

    @Test func errorsAreStickyUntilTheNextBegin() throws {
        let reader = RequestBodyReader()
        reader.begin(coding: .identity, limit: 2)
        let three: [UInt8] = [1, 2, 3]
        #expect(throws: BodyReadError.tooLarge(.rawBytes, limit: 2, offset: 2)) {
            try three.withUnsafeBytes { bytes in try reader.append(bytes) }
        }
        #expect(throws: BodyReadError.tooLarge(.rawBytes, limit: 2, offset: 2)) {
            try three.withUnsafeBytes { bytes in try reader.append(UnsafeRawBufferPointer(rebasing: bytes[0..<1])) }
        }
        #expect(throws: BodyReadError.tooLarge(.rawBytes, limit: 2, offset: 2)) { try reader.finish() }
        #expect(TestBodies.read([1, 2], coding: .identity, limit: 2, chunkSize: 1, with: reader) == .success([1, 2]))
    }
}
