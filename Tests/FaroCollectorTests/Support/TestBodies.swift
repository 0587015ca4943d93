import FaroCollector
import TestSupport

/// Test inputs and a driver that feeds a body to a reader in chunks.
enum TestBodies {
    /// `count` pseudo-random bytes (incompressible).
    static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(state: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// `count` bytes of Faro-like JSON text (compressible).
    static func text(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var generator = SplitMix64(state: seed)
        let words = [
            #"{"logs":[{"message":"#, #""kind":"log","#, #""level":"info","#, #""context":{"#, #""page":"/checkout","#,
            #""timestamp":"2026-11-26T13:04:44.000Z""#, #""trace":{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}"#,
            "},", "]}", #""session":{"id":"#, String(repeating: "é", count: 3),
        ]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 64)
        while bytes.count < count {
            bytes += words.randomElement(using: &generator)!.utf8
            bytes += String(UInt32.random(in: 0...99_999, using: &generator)).utf8
        }
        return Array(bytes.prefix(count))
    }

    /// Feeds `body` to `reader` in chunks of `chunkSize` bytes (the last one shorter) and finishes it.
    static func read(
        _ body: [UInt8], coding: ContentCoding, limit: Int, chunkSize: Int,
        with reader: RequestBodyReader = RequestBodyReader()
    ) -> Result<[UInt8], BodyReadError> {
        read(body, coding: coding, limit: limit, chunkSizes: { _ in chunkSize }, with: reader)
    }

    /// Feeds `body` to `reader` in chunks whose sizes `chunkSizes` gives (called once per chunk).
    static func read(
        _ body: [UInt8], coding: ContentCoding, limit: Int, chunkSizes: (Int) -> Int,
        with reader: RequestBodyReader = RequestBodyReader()
    ) -> Result<[UInt8], BodyReadError> {
        reader.begin(coding: coding, limit: limit)
        let failure = body.withUnsafeBytes { bytes -> BodyReadError? in
            do throws(BodyReadError) {
                var start = 0
                var index = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + max(1, chunkSizes(index)))
                    try reader.append(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    start = end
                    index += 1
                }
                try reader.finish()
                return nil
            } catch {
                return error
            }
        }
        if let failure { return .failure(failure) }
        return .success(Array(reader.body))
    }
}

extension BodyReadError {
    /// The case without its payload, for comparing outcomes in tests.
    var kind: String {
        switch self {
        case .tooLarge(.rawBytes, _, _): "tooLarge(raw)"
        case .tooLarge(.decodedBytes, _, _): "tooLarge(decoded)"
        case .corrupt: "corrupt"
        case .truncated: "truncated"
        case .trailingData: "trailingData"
        }
    }
}

extension Result where Failure == BodyReadError {
    /// The error's kind, or `"success"`.
    var kind: String {
        switch self {
        case .success: "success"
        case .failure(let error): error.kind
        }
    }
}
