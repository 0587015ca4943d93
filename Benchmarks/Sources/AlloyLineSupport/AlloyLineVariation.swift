import BenchmarkReporting
public import Foundation

/// Varies Alloy's logfmt log lines as a stream of them varies, so that a compressor cannot copy
/// whole identical lines: each line gets a timestamp a few milliseconds after the last, a new
/// 32-hex-digit `traceID` and 16-digit `spanID`, and a `session_id` from a pool of 64 sessions.
/// The same seed gives the same lines on every run.
public struct AlloyLineVariation {
    /// The generator of every choice.
    var random: SplitMix64
    /// The session ids lines draw from.
    let sessions: [String]
    /// The time of the last line, in milliseconds since 1970.
    public private(set) var milliseconds = 1_795_000_000_000  // 2026-11-18

    /// A variation whose choices follow `seed`.
    public init(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        sessions = (0..<64).map { _ in random.hex(10) }
        self.random = random
    }

    /// A pseudo-random index below `count`: which line to draw next.
    public mutating func index(below count: Int) -> Int {
        Int(random.next() % UInt64(count))
    }

    /// `line` with a new timestamp, `traceID`, `spanID` and `session_id` (each only if it has it).
    public mutating func vary(_ line: String) -> String {
        milliseconds += Int(random.next() % 40)
        var line = Self.replacingTimestamp(in: line, with: Self.timestamp(milliseconds: milliseconds))
        line = Self.replacingValue(of: "traceID", in: line, with: random.hex(32))
        line = Self.replacingValue(of: "spanID", in: line, with: random.hex(16))
        return Self.replacingValue(of: "session_id", in: line, with: sessions[Int(random.next() % 64)])
    }

    /// `line` with its leading `timestamp="…"` value replaced by `value`.
    static func replacingTimestamp(in line: String, with value: String) -> String {
        let prefix = "timestamp=\""
        guard line.hasPrefix(prefix), let end = line.dropFirst(prefix.count).firstIndex(of: "\"") else { return line }
        return prefix + value + line[end...]
    }

    /// `line` with the unquoted value of the field `key` replaced by `value`, if it has the field.
    static func replacingValue(of key: String, in line: String, with value: String) -> String {
        guard let field = line.range(of: " \(key)=") else { return line }
        let end = line[field.upperBound...].firstIndex(of: " ") ?? line.endIndex
        return line[..<field.upperBound] + value + line[end...]
    }

    /// A time as Go's `time.Time.String()` prints it in UTC, to the millisecond.
    static func timestamp(milliseconds: Int) -> String {
        let date = Date(timeIntervalSince1970: Double(milliseconds / 1000))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%03d +0000 UTC", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!,
            milliseconds % 1000)
    }

    /// `shared/vectors`, beside the repository that holds this file: Alloy's test payloads
    /// (`alloy/*.json`) and the lines it writes for them (`alloy/expected/*.lines-logfmt.txt`).
    public static var vectorsDirectory: URL {
        URL(filePath: #filePath)
            .deletingLastPathComponent()  // AlloyLineSupport
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // Benchmarks
            .deletingLastPathComponent()  // the repository
            .deletingLastPathComponent()
            .appending(path: "shared/vectors")
    }
}
