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

    /// A duration from Go's syntax (`1s`, `500ms`, `1h30m`, `1.5s`, `250us`); nil when not one
    /// or negative.
    package static func duration(_ text: String) -> Duration? {
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        if rest == "0" { return .zero }
        var total = Duration.zero
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
            total += .nanoseconds(Int64((value * scale * 1e9).rounded()))
        }
        return total
    }
}
