/// The value syntaxes of Alloy's configuration: sizes as `units.Base2Bytes` reads them and
/// durations as Go's `time.ParseDuration` does.
package enum ConfigurationUnits {
    /// Bytes from `5MiB`, `512KB`, `1GiB`, `100B` or a plain number: every unit is a power of 1024,
    /// as in Alloy's `units.Base2Bytes`; nil when not such a size.
    package static func bytes(_ text: String) -> Int? {
        if let plain = Int(text) { return plain >= 0 ? plain : nil }
        let digits = text.prefix { $0.isNumber }
        guard let value = Int(digits), !digits.isEmpty else { return nil }
        let shift: Int
        switch text.dropFirst(digits.count) {
        case "B": shift = 0
        case "KB", "KiB", "K", "k", "kB": shift = 10
        case "MB", "MiB", "M": shift = 20
        case "GB", "GiB", "G": shift = 30
        default: return nil
        }
        let (result, overflow) = value.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : result
    }

    /// The longest duration a configuration may give: 8760h, a year. Longer ones are refused
    /// rather than converted, so that a typo (`99999999999h`) is reported, not carried into a
    /// timer that never fires or a sum that overflows.
    package static let maximumDuration: Duration = .seconds(365 * 24 * 3600)

    /// How `maximumDuration` is spelled in messages: `8760h`.
    package static var maximumDurationText: String { "\(maximumDuration.components.seconds / 3600)h" }

    /// A duration from Go's syntax (`1s`, `500ms`, `1h30m`, `1.5s`, `250us`), to the nearest
    /// nanosecond; nil when not one, negative, or longer than `maximumDuration`.
    package static func duration(_ text: String) -> Duration? {
        seconds(text).flatMap { duration(seconds: $0) }
    }

    /// The seconds of a duration in Go's syntax, however long; nil when not one or negative.
    /// `duration(seconds:)` turns them into a `Duration` within bounds.
    package static func seconds(_ text: String) -> Double? {
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        if rest == "0" { return 0 }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !$0.isNumber && $0 != "." }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            total += value * scale
        }
        return total.isFinite ? total : nil
    }

    /// `seconds` to the nearest nanosecond; nil when not finite, negative, or longer than
    /// `maximumDuration`. A positive amount under half a nanosecond rounds to zero, which
    /// callers that need a positive duration refuse.
    package static func duration(seconds: Double) -> Duration? {
        let maximum = Double(maximumDuration.components.seconds)
        guard seconds.isFinite, seconds >= 0, seconds <= maximum else { return nil }
        // At most a year: about 3.2e16 nanoseconds, well within Int64.
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
