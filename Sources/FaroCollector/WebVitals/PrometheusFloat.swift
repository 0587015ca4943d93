/// Writes floating-point sample values and `le` bounds as Prometheus's own Go code does:
/// `strconv.FormatFloat(x, 'g', -1, 64)`, the shortest text that parses back to the same
/// `Double`, with `+Inf`, `-Inf` and `NaN` spelled as the text format spells them.
///
/// So `1` is written `1` (not `1.0`), `0.00001` is `1e-05`, `1000000` is `1e+06`: the `le`
/// label values are then byte for byte the ones that client_golang writes, and the bucket series
/// of this collector and of Go exporters are the same series.
enum PrometheusFloat {
    /// Appends the text of `x` to `output`.
    static func append(_ x: Double, to output: inout ContiguousArray<UInt8>) {
        if x.isNaN {
            output.append(contentsOf: "NaN".utf8)
            return
        }
        if x.isInfinite {
            output.append(contentsOf: (x < 0 ? "-Inf" : "+Inf").utf8)
            return
        }
        if x == 0 {
            output.append(contentsOf: (x.sign == .minus ? "-0" : "0").utf8)
            return
        }
        // Swift's description holds the shortest round-trip digits; only their layout differs from Go's.
        var digits: [UInt8] = []
        digits.reserveCapacity(17)
        var pointPosition: Int? = nil
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for byte in x.magnitude.description.utf8 {
            if inExponent {
                switch byte {
                case UInt8(ascii: "-"): exponentSign = -1
                case UInt8(ascii: "+"): break
                default: exponent = exponent * 10 + Int(byte &- UInt8(ascii: "0"))
                }
            } else if byte == UInt8(ascii: ".") {
                pointPosition = digits.count
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                inExponent = true
            } else {
                digits.append(byte)
            }
        }
        // The value is 0.d1d2...dn × 10^decimalPoint once leading zeros are gone.
        var decimalPoint = (pointPosition ?? digits.count) + exponentSign * exponent
        var first = 0
        while first < digits.count - 1, digits[first] == UInt8(ascii: "0") {
            first += 1
            decimalPoint -= 1
        }
        var last = digits.count
        while last > first + 1, digits[last - 1] == UInt8(ascii: "0") { last -= 1 }
        let significant = digits[first..<last]
        let count = significant.count

        if x.sign == .minus { output.append(UInt8(ascii: "-")) }
        let decimalExponent = decimalPoint - 1
        // Go: %e when the exponent is below -4 or at least 6 (the precision used for the shortest form).
        if decimalExponent < -4 || decimalExponent >= 6 {
            output.append(significant[first])
            if count > 1 {
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: significant[(first + 1)...])
            }
            output.append(UInt8(ascii: "e"))
            output.append(UInt8(ascii: decimalExponent < 0 ? "-" : "+"))
            let magnitude = decimalExponent.magnitude
            if magnitude < 10 { output.append(UInt8(ascii: "0")) }
            output.append(contentsOf: String(magnitude).utf8)
            return
        }
        // %f with exactly the significant digits.
        if decimalPoint <= 0 {
            output.append(UInt8(ascii: "0"))
            output.append(UInt8(ascii: "."))
            for _ in 0..<(-decimalPoint) { output.append(UInt8(ascii: "0")) }
            output.append(contentsOf: significant)
        } else if decimalPoint >= count {
            output.append(contentsOf: significant)
            for _ in 0..<(decimalPoint - count) { output.append(UInt8(ascii: "0")) }
        } else {
            output.append(contentsOf: significant[first..<(first + decimalPoint)])
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: significant[(first + decimalPoint)...])
        }
    }

    /// Appends `x` as Prometheus's `labels.FormatOpenMetricsFloat` writes it: the text of
    /// `append(_:to:)` with `.0` added when it has neither `.` nor `e` (`1.0`, `100000.0`,
    /// `0.0` for both zeros). Prometheus 3 rewrites every scraped `le` label into this form
    /// (`normalizeFloatsInLabelValues`), so remote write sends it too.
    static func appendOpenMetrics(_ x: Double, to output: inout ContiguousArray<UInt8>) {
        if x == 0 {
            output.append(contentsOf: "0.0".utf8)
            return
        }
        let start = output.count
        append(x, to: &output)
        if x.isFinite, !output[start...].contains(UInt8(ascii: ".")), !output[start...].contains(UInt8(ascii: "e")) {
            output.append(contentsOf: ".0".utf8)
        }
    }

    /// The text of `x`, as `appendOpenMetrics(_:to:)` writes it.
    static func openMetricsText(_ x: Double) -> String {
        var bytes = ContiguousArray<UInt8>()
        appendOpenMetrics(x, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text of `x`, as `append(_:to:)` writes it.
    static func text(_ x: Double) -> String {
        var bytes = ContiguousArray<UInt8>()
        append(x, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
