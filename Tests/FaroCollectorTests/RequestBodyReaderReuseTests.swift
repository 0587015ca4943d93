import FaroCollector
import TestSupport
import Testing

@Suite struct RequestBodyReaderReuseTests {
    @Test func oneReaderServesAThousandMixedRequests() {
        var generator = SplitMix64(state: 2026)
        let bodies = (0..<16).map { index in
            index.isMultiple(of: 2)
                ? TestBodies.text(Int.random(in: 0...60_000, using: &generator), seed: UInt64(index))
                : TestBodies.random(Int.random(in: 0...20_000, using: &generator), seed: UInt64(index))
        }
        let encoded: [[(ContentCoding, [UInt8])]] = bodies.map { body in
            [
                (.identity, body),
                (.gzip, TestCompression.compress(body, .gzip)),
                (.deflate, TestCompression.compress(body, .zlib)),
                (.deflate, TestCompression.compress(body, .raw)),
                (.gzip, TestCompression.compress(body, .gzip) + TestCompression.compress(body, .gzip)),
            ]
        }
        let reader = RequestBodyReader()
        var settledCapacity = 0
        for request in 0..<1000 {
            let index = Int.random(in: 0..<bodies.count, using: &generator)
            let variant = Int.random(in: 0..<5, using: &generator)
            let (coding, wire) = encoded[index][variant]
            let expected = variant == 4 ? bodies[index] + bodies[index] : bodies[index]
            let chunkSize = [1, 7, 512, 4096, 65_536].randomElement(using: &generator)!
            switch Int.random(in: 0..<10, using: &generator) {
            case 0 where !wire.isEmpty && coding != .identity:
                // A truncated body in between must not disturb the next one.
                let cut = Int.random(in: 0..<wire.count, using: &generator)
                let result = TestBodies.read(Array(wire[..<cut]), coding: coding, limit: 1 << 20, chunkSize: chunkSize, with: reader)
                #expect(result.kind == "truncated" || (variant == 4 && result.kind == "success"))
            case 1 where expected.count > 10:
                let result = TestBodies.read(wire, coding: coding, limit: expected.count - 1, chunkSize: chunkSize, with: reader)
                #expect(result.kind.hasPrefix("tooLarge"))
            default:
                let result = TestBodies.read(wire, coding: coding, limit: 1 << 20, chunkSize: chunkSize, with: reader)
                #expect(result == .success(expected), "request \(request)")
            }
            #expect(reader.capacity <= RequestBodyReader.defaultRetainedCapacity)
            if request == 500 { settledCapacity = reader.capacity }
        }
        // The buffer has reached its working size and stays there.
        #expect(reader.capacity == settledCapacity)
    }

    @Test func largeBodyReleasesItsBufferAtTheNextBegin() {
        let reader = RequestBodyReader(retainedCapacity: 64 << 10)
        let big = TestBodies.text(1 << 20)
        #expect(TestBodies.read(TestCompression.compress(big, .gzip), coding: .gzip, limit: 5 << 20, chunkSize: 4096, with: reader) == .success(big))
        #expect(reader.capacity >= 1 << 20)
        let small = TestBodies.text(1000)
        #expect(TestBodies.read(small, coding: .identity, limit: 5 << 20, chunkSize: 100, with: reader) == .success(small))
        #expect(reader.capacity <= 64 << 10)
    }

    @Test func releaseLetsGoOfALargeBodyAndItsStreamAtOnce() {
        let pool = InflateStreamPool(maxFree: 2)
        let readers = (0..<3).map { _ in RequestBodyReader(retainedCapacity: 64 << 10, inflaters: pool) }
        let big = TestBodies.text(1 << 20)
        let gzip = TestCompression.compress(big, .gzip)
        // Three compressed bodies in flight at once take three streams.
        for reader in readers { reader.begin(coding: .gzip, limit: 5 << 20) }
        #expect(pool.freeCount == 0)
        for reader in readers {
            gzip.withUnsafeBytes { bytes in #expect(throws: Never.self) { try reader.append(bytes) } }
            #expect(throws: Never.self) { try reader.finish() }
            #expect(reader.body.count == big.count)
        }
        // Each stream goes back at the body's end; the pool keeps two for reuse and ends the third.
        #expect(pool.freeCount == 2)
        // Once used, each body lets go of its buffer without waiting for another body.
        for reader in readers {
            reader.release()
            #expect(reader.capacity <= 64 << 10)
            #expect(reader.body.isEmpty)
        }
        // The next compressed body takes a kept stream, reset for its coding, and gives it back at its end.
        let small = TestBodies.text(1000)
        #expect(TestBodies.read(TestCompression.compress(small, .raw), coding: .deflate, limit: 5 << 20, chunkSize: 100, with: readers[0]) == .success(small))
        #expect(pool.freeCount == 2)
        // A body refused part way gives its stream back at release.
        readers[1].begin(coding: .gzip, limit: 100)
        _ = gzip.withUnsafeBytes { bytes in #expect(throws: BodyReadError.self) { try readers[1].append(bytes) } }
        #expect(pool.freeCount == 1)
        readers[1].release()
        #expect(pool.freeCount == 2)
    }
}
