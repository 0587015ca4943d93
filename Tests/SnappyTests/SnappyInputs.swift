import TestSupport

/// Generated inputs for the Snappy tests: the same bytes on every run.
enum SnappyInputs {
    /// Loki-like log lines, as Alloy's faro.receiver writes them in logfmt.
    static func logLines(count: Int, seed: UInt64 = 1) -> [UInt8] {
        var random = SplitMix64(state: seed)
        let kinds = ["log", "exception", "measurement", "event"]
        let levels = ["info", "warn", "error", "debug"]
        let pages = ["/checkout", "/cart", "/product/42", "/search?q=shoes", "/"]
        let browsers = ["Chrome", "Firefox", "Safari", "Edge"]
        var text = ""
        for index in 0..<count {
            let timestamp = 1_700_000_000_000 + Int(random.next() % 1_000_000)
            text += "timestamp=\"\(timestamp)\" kind=\(random.pick(kinds)) level=\(random.pick(levels)) "
            text += "message=\"request \(index) took \(random.next() % 5000)ms\" "
            text += "page_url=https://shop.example.com\(random.pick(pages)) browser_name=\(random.pick(browsers)) "
            text += "session_id=\(String(random.next(), radix: 36)) app_name=checkout-web app_version=1.4.\(random.next() % 10)\n"
        }
        return Array(text.utf8)
    }

    /// Random bytes.
    static func random(count: Int, seed: UInt64 = 2) -> [UInt8] {
        var random = SplitMix64(state: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    /// Binary data with structure: little-endian counters, timestamps and a few random bytes, as
    /// in a protobuf or a column of metrics.
    static func binary(count: Int, seed: UInt64 = 3) -> [UInt8] {
        var random = SplitMix64(state: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 16)
        var timestamp: UInt64 = 1_700_000_000_000_000_000
        while bytes.count < count {
            timestamp &+= random.next() % 1_000_000
            withUnsafeBytes(of: timestamp.littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(0x0A)
            bytes.append(UInt8(truncatingIfNeeded: random.next() % 4))
            if random.chance(30) { bytes.append(UInt8(truncatingIfNeeded: random.next())) }
        }
        return Array(bytes.prefix(count))
    }

    /// `pattern` repeated to `count` bytes.
    static func repeated(_ pattern: [UInt8], count: Int) -> [UInt8] {
        (0..<count).map { pattern[$0 % pattern.count] }
    }

    /// The named inputs of the round-trip and oracle tests.
    static let all: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [0x61]),
        ("short text", Array("Hello, hello, hello, Snappy!".utf8)),
        ("log lines", logLines(count: 400)),
        ("binary", binary(count: 50_000)),
        ("random", random(count: 70_000)),
        ("one byte repeated 1 MiB", [UInt8](repeating: 0x41, count: 1 << 20)),
        ("two-byte pattern", repeated([0x00, 0xFF], count: 10_000)),
        ("seven-byte pattern", repeated(Array("abcdefg".utf8), count: 10_007)),
        ("block boundary - 1", logLines(count: 400, seed: 9).prefix(65_535).map { $0 }),
        ("block boundary", random(count: 65_536, seed: 10)),
        ("block boundary + 1", repeated(Array("snappy!!".utf8), count: 65_537)),
        ("three blocks of text", logLines(count: 1_000, seed: 11).prefix(3 * 65_536 + 100).map { $0 }),
        ("14 bytes (under the input margin)", Array("abcdabcdabcdab".utf8)),
        ("mixed blocks", random(count: 40_000, seed: 12) + logLines(count: 200, seed: 13) + [UInt8](repeating: 7, count: 30_000)),
    ]
}
