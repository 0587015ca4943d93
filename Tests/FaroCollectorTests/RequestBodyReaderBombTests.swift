import FaroCollector
import TestSupport
import Testing

@Suite struct RequestBodyReaderBombTests {
    static let limit = 5 << 20

    /// Feeds `bomb` in 64 KiB chunks and checks it is stopped early, quickly and with a bounded buffer.
    func expectStopped(_ bomb: [UInt8], coding: ContentCoding) {
        let reader = RequestBodyReader()
        var result: Result<[UInt8], BodyReadError> = .success([])
        // Processor time, not wall time: the tests run in parallel on two cores, and a stalled
        // machine must not look like work.
        let elapsed = ThreadCPUTime.measure {
            result = TestBodies.read(bomb, coding: coding, limit: Self.limit, chunkSize: 64 << 10, with: reader)
        }
        guard case .failure(.tooLarge(.decodedBytes, limit: Self.limit, let offset)) = result else {
            Issue.record("not rejected as too large: \(result)")
            return
        }
        // About limit / 1000 compressed bytes inflate to the limit: only the first chunk was read.
        #expect(offset < 16 << 10)
        #expect(reader.rawByteCount == min(bomb.count, 64 << 10))
        #expect(reader.capacity < 2 * Self.limit)
        #expect(reader.capacity >= Self.limit + 1)
        #expect(elapsed < .seconds(1), "took \(elapsed)")
    }

    @Test func gzipBombOfOneGiBIsRejectedAfterTheLimit() {
        let bomb = TestCompression.compressZeros(count: 1 << 30, .gzip)
        #expect(bomb.count < 1_100_000)
        expectStopped(bomb, coding: .gzip)
    }

    @Test(arguments: [TestWrapper.zlib, .raw])
    func deflateBombIsRejectedAfterTheLimit(wrapper: TestWrapper) {
        expectStopped(TestCompression.compressZeros(count: 64 << 20, wrapper), coding: .deflate)
    }

    @Test func bombSplitOverSmallChunks() {
        let bomb = TestCompression.compressZeros(count: 64 << 20, .gzip)
        let reader = RequestBodyReader()
        let result = TestBodies.read(bomb, coding: .gzip, limit: Self.limit, chunkSize: 1, with: reader)
        #expect(result.kind == "tooLarge(decoded)")
        #expect(reader.rawByteCount < 6_000)
        #expect(reader.capacity < 2 * Self.limit)
    }

    @Test func zerosExactlyAtTheLimitAreAccepted() {
        let body = TestCompression.compressZeros(count: Self.limit, .gzip)
        let result = TestBodies.read(body, coding: .gzip, limit: Self.limit, chunkSize: 4096)
        guard case .success(let decoded) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(decoded.count == Self.limit && decoded.allSatisfy { $0 == 0 })
        let over = TestBodies.read(body, coding: .gzip, limit: Self.limit - 1, chunkSize: 4096)
        #expect(over.kind == "tooLarge(decoded)")
    }
}
