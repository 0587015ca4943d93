import FaroCollector
import TestSupport
import Testing

@Suite struct RequestBodyReaderInflateTests {
    static let wrappers = TestWrapper.allCases

    static func coding(_ wrapper: TestWrapper) -> ContentCoding {
        wrapper == .gzip ? .gzip : .deflate
    }

    @Test(arguments: wrappers, [1, 7, 4096])
    func textRoundTrips(wrapper: TestWrapper, chunkSize: Int) {
        for size in [0, 1, 100, 30_000, 300_000] {
            let body = TestBodies.text(size, seed: UInt64(size))
            let compressed = TestCompression.compress(body, wrapper)
            let result = TestBodies.read(compressed, coding: Self.coding(wrapper), limit: 5 << 20, chunkSize: chunkSize)
            #expect(result == .success(body), "\(wrapper) size \(size)")
        }
    }

    @Test(arguments: wrappers, [1, 7, 4096])
    func randomRoundTrips(wrapper: TestWrapper, chunkSize: Int) {
        for size in [1, 2, 1000, 70_000] {
            let body = TestBodies.random(size, seed: UInt64(size))
            for level: Int32 in [0, 1, 6, 9] {
                let compressed = TestCompression.compress(body, wrapper, level: level)
                let result = TestBodies.read(compressed, coding: Self.coding(wrapper), limit: 5 << 20, chunkSize: chunkSize)
                #expect(result == .success(body), "\(wrapper) size \(size) level \(level)")
            }
        }
    }

    @Test(arguments: wrappers)
    func decodedLimitIsExact(wrapper: TestWrapper) {
        let body = TestBodies.text(100_000)
        let compressed = TestCompression.compress(body, wrapper)
        for chunkSize in [1, 7, 4096, compressed.count] {
            let coding = Self.coding(wrapper)
            #expect(TestBodies.read(compressed, coding: coding, limit: 100_000, chunkSize: chunkSize) == .success(body))
            let over = TestBodies.read(compressed, coding: coding, limit: 99_999, chunkSize: chunkSize)
            guard case .failure(.tooLarge(.decodedBytes, limit: 99_999, _)) = over else {
                Issue.record("\(wrapper) chunk \(chunkSize): \(over)")
                continue
            }
        }
    }

    @Test(arguments: wrappers)
    func rawLimitAppliesToCompressedBodies(wrapper: TestWrapper) {
        // Incompressible: the compressed body is a little larger than the decoded one.
        let body = TestBodies.random(10_000, seed: 3)
        let compressed = TestCompression.compress(body, wrapper)
        #expect(compressed.count > body.count)
        let result = TestBodies.read(compressed, coding: Self.coding(wrapper), limit: body.count, chunkSize: 4096)
        #expect(result == .failure(.tooLarge(.rawBytes, limit: body.count, offset: body.count)))
    }

    @Test func concatenatedGzipMembers() {
        let parts = [TestBodies.text(5000, seed: 1), [], TestBodies.random(3000, seed: 2), TestBodies.text(1, seed: 3)]
        let body = parts.flatMap { $0 }
        let compressed = parts.flatMap { TestCompression.compress($0, .gzip) }
        let reader = RequestBodyReader()
        for chunkSize in [1, 2, 7, 18, 19, 20, 4096, compressed.count] {
            #expect(TestBodies.read(compressed, coding: .gzip, limit: body.count, chunkSize: chunkSize, with: reader) == .success(body))
            let over = TestBodies.read(compressed, coding: .gzip, limit: body.count - 1, chunkSize: chunkSize, with: reader)
            #expect(over.kind == "tooLarge(decoded)")
        }
    }

    @Test func concatenatedZlibStreamsAreTrailingData() {
        let one = TestCompression.compress(TestBodies.text(500), .zlib)
        let result = TestBodies.read(one + one, coding: .deflate, limit: 5000, chunkSize: 7)
        #expect(result == .failure(.trailingData(offset: one.count)))
    }

    @Test(arguments: wrappers)
    func truncatedStreamsAreNeverAccepted(wrapper: TestWrapper) {
        let body = TestBodies.text(3000)
        let compressed = TestCompression.compress(body, wrapper)
        let reader = RequestBodyReader()
        for cut in 0..<compressed.count {
            for chunkSize in [1, 5, 4096] {
                let result = TestBodies.read(
                    Array(compressed[..<cut]), coding: Self.coding(wrapper), limit: 5000, chunkSize: chunkSize, with: reader)
                #expect(result == .failure(.truncated(offset: cut)), "\(wrapper) cut \(cut) chunk \(chunkSize)")
            }
        }
    }

    @Test func truncatedSecondGzipMember() {
        let first = TestCompression.compress(TestBodies.text(700, seed: 1), .gzip)
        let second = TestCompression.compress(TestBodies.text(900, seed: 2), .gzip)
        let reader = RequestBodyReader()
        for cut in 1..<second.count {
            let result = TestBodies.read(first + second[..<cut], coding: .gzip, limit: 5000, chunkSize: 3, with: reader)
            #expect(result == .failure(.truncated(offset: first.count + cut)), "cut \(cut)")
        }
    }

    @Test(arguments: wrappers)
    func trailingGarbageIsRejected(wrapper: TestWrapper) {
        let body = TestBodies.text(2000)
        let compressed = TestCompression.compress(body, wrapper)
        let coding = Self.coding(wrapper)
        for garbage: [UInt8] in [[0], [0, 0, 0, 0], Array("garbage".utf8), [0x0A]] {
            for chunkSize in [1, 7, compressed.count, compressed.count + 1] {
                let result = TestBodies.read(compressed + garbage, coding: coding, limit: 5000, chunkSize: chunkSize)
                #expect(result == .failure(.trailingData(offset: compressed.count)), "\(wrapper) \(garbage) \(chunkSize)")
            }
        }
        if wrapper == .gzip {
            // A gzip magic byte starts another member: alone it is a truncated member, with a wrong
            // second byte a corrupt one.
            #expect(TestBodies.read(compressed + [0x1F], coding: coding, limit: 5000, chunkSize: 7).kind == "truncated")
            #expect(TestBodies.read(compressed + [0x1F, 0x00, 0, 0], coding: coding, limit: 5000, chunkSize: 7).kind == "corrupt")
        } else {
            #expect(TestBodies.read(compressed + [0x1F], coding: coding, limit: 5000, chunkSize: 7).kind == "trailingData")
        }
    }

    @Test func gzipBodyUnderDeflateAndZlibUnderGzipAreRejected() {
        let body = TestBodies.text(2000)
        let gzip = TestCompression.compress(body, .gzip)
        let zlib = TestCompression.compress(body, .zlib)
        #expect(TestBodies.read(gzip, coding: .deflate, limit: 5000, chunkSize: 100).kind == "corrupt")
        #expect(TestBodies.read(zlib, coding: .gzip, limit: 5000, chunkSize: 100).kind == "corrupt")
        #expect(TestBodies.read(gzip, coding: .identity, limit: 5000, chunkSize: 100) == .success(gzip))
    }

    @Test func checksumAndLengthMismatchesAreCorrupt() {
        let body = TestBodies.text(2000)
        for wrapper in [TestWrapper.gzip, .zlib] {
            let compressed = TestCompression.compress(body, wrapper)
            for back in 1...(wrapper == .gzip ? 8 : 4) {
                var broken = compressed
                broken[broken.count - back] ^= 0x01
                let result = TestBodies.read(broken, coding: Self.coding(wrapper), limit: 5000, chunkSize: 64)
                guard case .failure(.corrupt(let message, _)) = result else {
                    Issue.record("\(wrapper) back \(back): \(result)")
                    continue
                }
                #expect(message.contains("incorrect"), "\(message)")
            }
        }
    }

    @Test(arguments: wrappers)
    func corruptedBytesThrowOrDecodeTheOriginal(wrapper: TestWrapper) {
        let body = TestBodies.text(20_000, seed: 5)
        let compressed = TestCompression.compress(body, wrapper)
        var generator = SplitMix64(state: 0xC0FFEE)
        let reader = RequestBodyReader()
        var outcomes: [String: Int] = [:]
        for _ in 0..<600 {
            var broken = compressed
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0..<broken.count, using: &generator)
                broken[position] ^= UInt8.random(in: 1...255, using: &generator)
            }
            let result = TestBodies.read(
                broken, coding: Self.coding(wrapper), limit: 40_000,
                chunkSizes: { _ in Int.random(in: 1...2000, using: &generator) }, with: reader)
            outcomes[result.kind, default: 0] += 1
            if case .success(let decoded) = result {
                #expect(decoded.count <= 40_000)
                // Raw deflate has no checksum: a flipped byte may decode to other bytes.
                if wrapper != .raw { #expect(decoded == body) }
            }
        }
        #expect((outcomes["corrupt"] ?? 0) > 0)
    }
}
