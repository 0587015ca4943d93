/// Number formatting and parsing that reproduces Go's `strconv`, `fmt` and `encoding/json` byte for byte.
///
/// Grafana Alloy is written in Go, and the log lines it emits format numbers with `fmt.Sprintf("%f")`,
/// `fmt.Sprint` and `encoding/json`. Every function here appends ASCII bytes to a caller-provided buffer
/// and, on the common paths, allocates nothing: scratch space comes from
/// `withUnsafeTemporaryAllocation`, which uses the stack for these small sizes.
///
/// Algorithms:
/// - `appendFixed6` is exact integer arithmetic on the binary value (`UInt128`, and for values of
///   2^128 and above a stack big integer), rounding half to even on exact ties like Go's `bigFtoa`.
/// - `appendShortest` and `appendJSON` take the shortest round-trip digits, closest to the exact value
///   with ties to even (the digits Go's Ryu and Python's `repr` produce), then lay them out with Go's
///   rules. Decimals with up to 8 fraction digits are found by exact division
///   (`ShortestDigits.fewFractionDigits`); other values go through the standard library's printer
///   (`Double.write(to:)` into a stack buffer).
/// - `parseDouble` is exact: Clinger's fast path, then exact `UInt128` arithmetic for up to 19
///   significant digits and moderate exponents, and only for the rest the standard library's
///   correctly rounded, locale-independent `Double(_: String)`.
package enum GoNumberFormat {
    // MARK: - Integers

    /// Appends `v` in base 10, exactly like Go's `%d`/`%v` and `strconv.FormatInt(v, 10)`.
    package static func appendDecimal(_ v: Int, to out: inout some ByteOutput) {
        out.appendUnsafe(upTo: 20) { writeDecimal(v, at: $0) }
    }

    /// Writes `v` in base 10 at `destination`, as `appendDecimal` appends it (at most 20 bytes:
    /// a sign and 19 digits); returns how many bytes. For callers that write a number among other
    /// bytes in one reservation of room.
    @inline(__always)
    static func writeDecimal(_ v: Int, at destination: UnsafeMutableRawPointer) -> Int {
        let sign = v < 0 ? 1 : 0
        destination.storeBytes(of: ASCII.minus, as: UInt8.self)
        return sign &+ Digits.write(UInt64(v.magnitude), at: (destination + sign).assumingMemoryBound(to: UInt8.self))
    }

    /// Appends `v` in base 10, exactly like Go's `%d`/`%v` and `strconv.FormatUint(v, 10)`.
    @inline(__always)
    package static func appendDecimal(_ v: UInt64, to out: inout some ByteOutput) {
        if v < 10 {
            out.append(ASCII.zero &+ UInt8(truncatingIfNeeded: v))
            return
        }
        out.appendUnsafe(upTo: 20) { start in
            Digits.write(v, at: start.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// `x` as an integer when it is one of magnitude below `limit` (at most 2^53), except -0,
    /// whose sign Go prints: the fast path of the formatters.
    @inline(__always)
    private static func smallInteger(_ x: Double, below limit: Double) -> Int? {
        guard x.magnitude < limit, x == x.rounded(.towardZero), x != 0 || x.sign == .plus else { return nil }
        return Int(x)
    }

    // MARK: - %f

    /// Appends `x` exactly as Go's `fmt.Sprintf("%f", x)`, which is `strconv.FormatFloat(x, 'f', 6, 64)`.
    ///
    /// The exact binary value is rounded to 6 decimals, half to even on exact ties (for example
    /// 1/128 = 0.0078125 gives `0.007812`, 3/128 gives `0.023438`). Every finite double is exact,
    /// including `1e300` (all 301 integer digits) and subnormals. `-0.0` and negative values that round
    /// to zero keep their sign (`-0.000000`); NaN is `NaN`, infinities are `+Inf` and `-Inf`.
    static func appendFixed6(_ x: Double, to out: inout some ByteOutput) {
        if let integer = smallInteger(x, below: 0x1p53) {
            appendDecimal(integer, to: &out)
            out.appendStatic(".000000")
            return
        }
        let bits = x.bitPattern
        let negative = bits >> 63 != 0
        let biasedExponent = Int(truncatingIfNeeded: (bits >> 52) & 0x7FF)
        let fraction = bits & (1 << 52 - 1)
        if biasedExponent == 0x7FF {
            appendNonFinite(fraction != 0, negative: negative, to: &out)
            return
        }
        let mantissa: UInt64
        let exponent: Int  // x = ±mantissa · 2^exponent
        if biasedExponent == 0 {
            mantissa = fraction
            exponent = -1074
        } else {
            mantissa = fraction | 1 << 52
            exponent = biasedExponent - 1075
        }
        if exponent > 75 {
            // mantissa << exponent >= 2^128: an integer of up to 309 digits.
            appendHugeIntegerFixed6(mantissa: mantissa, exponent: exponent, negative: negative, to: &out)
            return
        }
        // At most "-" + 39 digits + ".000000".
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            let base = buffer.baseAddress!
            var p = base
            if negative {
                p.pointee = ASCII.minus
                p += 1
            }
            if exponent >= 0 {
                p += Digits.write(UInt128(mantissa) << exponent, at: p)
                for i in 0..<7 {
                    p[i] = i == 0 ? ASCII.dot : ASCII.zero
                }
                p += 7
            } else {
                let shift = -exponent  // 1...1074
                let integerPart = shift < 64 ? mantissa >> shift : 0
                let fractionBits = shift < 64 ? mantissa & (1 << shift - 1) : mantissa
                // fractionBits < 2^53, so the product is below 2^73.
                let scaled = UInt128(fractionBits) &* 1_000_000
                var micros: UInt64 = 0
                if shift <= 127 {
                    micros = UInt64(truncatingIfNeeded: scaled >> shift)
                    let remainder = scaled & (1 << shift - 1)
                    let half: UInt128 = 1 << (shift - 1)
                    // The parity of the whole result is the parity of micros, as 10^6 is even.
                    if remainder > half || (remainder == half && micros & 1 == 1) {
                        micros += 1
                    }
                }  // else scaled < 2^73 < half: rounds to 0.
                var whole = integerPart
                if micros == 1_000_000 {
                    micros = 0
                    whole += 1
                }
                p += Digits.write(whole, at: p)
                p.pointee = ASCII.dot
                Digits.writePadded(micros, width: 6, at: p + 1)
                p += 7
            }
            out.appendBytes(UnsafeRawBufferPointer(start: base, count: p - base))
        }
    }

    /// Appends `mantissa · 2^exponent` (at least 2^128, so an integer) followed by `.000000`.
    ///
    /// Rarely taken: the value is converted to base 10^9 by repeated division of 32-bit limbs held in
    /// stack scratch space.
    private static func appendHugeIntegerFixed6(
        mantissa: UInt64, exponent: Int, negative: Bool, to out: inout some ByteOutput
    ) {
        // 2^1024 needs 32 limbs; 309 digits need 35 chunks of 9.
        let limbCapacity = 36
        let chunkCapacity = 40
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: limbCapacity + chunkCapacity) { scratch in
            let limbs = scratch.baseAddress!
            let chunks = limbs + limbCapacity
            for i in 0..<limbCapacity {
                limbs[i] = 0
            }
            // Place mantissa << exponent into little-endian 32-bit limbs.
            let word = exponent / 32
            let wide = UInt128(mantissa) << (exponent % 32)  // at most 84 bits
            limbs[word] = UInt32(truncatingIfNeeded: wide)
            limbs[word + 1] = UInt32(truncatingIfNeeded: wide >> 32)
            limbs[word + 2] = UInt32(truncatingIfNeeded: wide >> 64)
            var top = word + 2
            while top > 0 && limbs[top] == 0 {
                top -= 1
            }
            var chunkCount = 0
            while true {
                var remainder: UInt64 = 0
                var i = top
                while i >= 0 {
                    let current = remainder << 32 | UInt64(limbs[i])
                    limbs[i] = UInt32(truncatingIfNeeded: current / 1_000_000_000)
                    remainder = current % 1_000_000_000
                    i -= 1
                }
                chunks[chunkCount] = UInt32(truncatingIfNeeded: remainder)
                chunkCount += 1
                while top > 0 && limbs[top] == 0 {
                    top -= 1
                }
                if top == 0 && limbs[0] == 0 {
                    break
                }
            }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { text in
                let t = text.baseAddress!
                if negative {
                    out.append(ASCII.minus)
                }
                let count = Digits.write(UInt64(chunks[chunkCount - 1]), at: t)
                out.appendBytes(UnsafeRawBufferPointer(start: t, count: count))
                var index = chunkCount - 2
                while index >= 0 {
                    Digits.writePadded(UInt64(chunks[index]), width: 9, at: t)
                    out.appendBytes(UnsafeRawBufferPointer(start: t, count: 9))
                    index -= 1
                }
                t[0] = ASCII.dot
                for i in 1...6 {
                    t[i] = ASCII.zero
                }
                out.appendBytes(UnsafeRawBufferPointer(start: t, count: 7))
            }
        }
    }

    // MARK: - %v and encoding/json

    /// Appends `x` exactly as Go's `fmt.Sprint(x)` (`%v`), which is `strconv.FormatFloat(x, 'g', -1, 64)`.
    ///
    /// The shortest digits that round-trip (closest to the exact value, ties to even). With decimal
    /// exponent `exp` (the value is `d.ddd × 10^exp`), Go uses `%e` form when `exp < -4 || exp >= 6`
    /// (for shortest precision Go fixes the `%g` precision threshold at 6, whatever the digit count):
    /// `1e+06`, `1.23456789e+08`, `1e-05`, `5e-324`, `1.7976931348623157e+308`; otherwise plain form:
    /// `123456`, `0.0001`, `312.4000000000001`. The exponent has at least two digits. `-0.0` is `-0`,
    /// NaN is `NaN`, infinities are `+Inf` and `-Inf`.
    static func appendShortest(_ x: Double, to out: inout some ByteOutput) {
        // Integers below 10^6 print as their digits (the shortest form, and plain below exponent 6).
        if let integer = smallInteger(x, below: 1e6) {
            appendDecimal(integer, to: &out)
            return
        }
        guard x.isFinite else {
            appendNonFinite(x.isNaN, negative: x.sign == .minus, to: &out)
            return
        }
        ShortestDigits.with(x) { digits, count, point in
            let decimalExponent = point - 1
            if count != 0 && (decimalExponent < -4 || decimalExponent >= 6) {
                Layout.exponential(digits, count, point, negative: x.sign == .minus, json: false, to: &out)
            } else {
                Layout.plain(digits, count, point, negative: x.sign == .minus, to: &out)
            }
        }
    }

    /// Appends `x` exactly as Go's `encoding/json` encodes a `float64`.
    ///
    /// Shortest round-trip digits in plain form (`100000000000000000000`, `0.000001`, `-0`), unless
    /// `x != 0 && (|x| < 1e-6 || |x| >= 1e21)`, which gives exponential form with Go's `e-0X` cleaned to
    /// `e-X` (`1e-7`, `1.5e-10`, `5e-324`) while positive exponents keep their sign and two digits
    /// (`1e+21`).
    ///
    /// Precondition: `x` is finite (Go's encoder fails on NaN and infinities). A non-finite value is
    /// written as `null` rather than trapping.
    package static func appendJSON(_ x: Double, to out: inout some ByteOutput) {
        // Integers below 2^53 print as their digits (shortest digits padded with zeros, plain below 1e21).
        if let integer = smallInteger(x, below: 0x1p53) {
            appendDecimal(integer, to: &out)
            return
        }
        guard x.isFinite else {
            out.appendStatic("null")
            return
        }
        let magnitude = x.magnitude
        let exponential = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
        ShortestDigits.with(x) { digits, count, point in
            if exponential {
                Layout.exponential(digits, count, point, negative: x.sign == .minus, json: true, to: &out)
            } else {
                Layout.plain(digits, count, point, negative: x.sign == .minus, to: &out)
            }
        }
    }

    /// Appends Go's spelling of a non-finite value: `NaN`, `+Inf` or `-Inf`.
    private static func appendNonFinite(_ isNaN: Bool, negative: Bool, to out: inout some ByteOutput) {
        out.appendStatic(isNaN ? "NaN" : negative ? "-Inf" : "+Inf")
    }

    // MARK: - Parsing

    /// Parses a JSON number literal into the correctly rounded double, exactly like Go's
    /// `strconv.ParseFloat(s, 64)`.
    ///
    /// `bytes` must already be a valid JSON number (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`).
    /// Returns `nil` where Go returns `ErrRange` for overflow (the result would be ±Inf); underflow
    /// yields a subnormal or a signed zero, as in Go. Returns `nil` for input without any digit.
    ///
    /// Paths, all exact (IEEE round to nearest, ties to even, on the exact decimal value):
    /// 1. Clinger's fast path: at most 19 significant digits forming `w ≤ 2^53` and `10^q` exact
    ///    (`|q| ≤ 22`, or `q ≤ 37` when `w · 10^(q-22)` stays `≤ 2^53`): one double multiply or divide.
    /// 2. Exact `UInt128` arithmetic for at most 19 significant digits with `w · 10^q < 2^128`, or with
    ///    `-27 ≤ q < 0` (a 128-by-64-bit division by `5^-q` whose remainder is the sticky bit).
    /// 3. More than 19 significant digits: the 19-digit prefix `w` brackets the value between `w · 10^q`
    ///    and `(w + 1) · 10^q`; when both ends round to the same double through path 2, that is the answer.
    /// 4. Otherwise (rare: long digit strings near a rounding boundary, or exponents beyond the ranges
    ///    above) the standard library's `Double(_: String)`, which is correctly rounded and
    ///    locale-independent; this path allocates a `String` when the literal exceeds 15 bytes.
    package static func parseDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
        let n = bytes.count
        var i = 0
        var negative = false
        if i < n && bytes[i] == ASCII.minus {
            negative = true
            i += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0  // digits in mantissa, counted from the first nonzero digit
        var truncated = false  // a nonzero digit was dropped after the 19th significant digit
        var decimalExponent = 0  // value = mantissa · 10^decimalExponent (+ dropped digits)
        var sawDigit = false
        while i < n, case let d = bytes[i] &- ASCII.zero, d < 10 {
            sawDigit = true
            if significantDigits < 19 {
                if significantDigits > 0 || d != 0 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significantDigits += 1
                }
            } else {
                decimalExponent += 1
                truncated = truncated || d != 0
            }
            i += 1
        }
        if i < n && bytes[i] == ASCII.dot {
            i += 1
            while i < n, case let d = bytes[i] &- ASCII.zero, d < 10 {
                sawDigit = true
                if significantDigits < 19 {
                    if significantDigits > 0 || d != 0 {
                        mantissa = mantissa &* 10 &+ UInt64(d)
                        significantDigits += 1
                    }
                    decimalExponent -= 1
                } else {
                    truncated = truncated || d != 0
                }
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n && (bytes[i] | 0x20) == 0x65 {  // e or E
            i += 1
            var exponentNegative = false
            if i < n && (bytes[i] == ASCII.plus || bytes[i] == ASCII.minus) {
                exponentNegative = bytes[i] == ASCII.minus
                i += 1
            }
            var explicitExponent = 0
            while i < n, case let d = bytes[i] &- ASCII.zero, d < 10 {
                if explicitExponent < 10_000 {  // saturate, as Go's readFloat does
                    explicitExponent = explicitExponent * 10 + Int(d)
                }
                i += 1
            }
            decimalExponent += exponentNegative ? -explicitExponent : explicitExponent
        }
        if mantissa == 0 {
            return negative ? -0.0 : 0.0
        }
        // The value lies in [10^(digits + q - 1), 10^(digits + q)).
        let magnitudeExponent = significantDigits + decimalExponent
        if magnitudeExponent > 310 {
            return nil  // at least 10^310: overflow, Go's ErrRange
        }
        if magnitudeExponent < -324 {
            return negative ? -0.0 : 0.0  // below 10^-325 < 2^-1075: rounds to zero
        }
        if !truncated {
            if let value = clinger(mantissa, decimalExponent) ?? exact(mantissa, decimalExponent) {
                return negative ? -value : value
            }
        } else if let low = exact(mantissa, decimalExponent),
            let high = exact(mantissa + 1, decimalExponent), low == high
        {
            return negative ? -low : low
        }
        let value = slowParse(bytes)
        guard let value, value.isFinite else { return nil }
        return value
    }

    /// Parses a JSON number literal as Go's `strconv.ParseInt(s, 10, 64)` does.
    ///
    /// `bytes` must already be a valid JSON number. Returns `nil` when the literal has a fraction or an
    /// exponent (Go rejects `1.0` and `1e2`) or is outside `Int64`'s range; `-0` is `0`.
    package static func parseInt64(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let n = bytes.count
        var i = 0
        var negative = false
        if i < n && bytes[i] == ASCII.minus {
            negative = true
            i += 1
        }
        guard i < n else { return nil }
        if n &- i <= 18 {
            // Up to 18 digits cannot overflow: no test of each step.
            var magnitude: Int64 = 0
            while i < n {
                let d = bytes[i] &- ASCII.zero
                guard d < 10 else { return nil }  // '.', 'e' or 'E'
                magnitude = magnitude &* 10 &+ Int64(d)
                i &+= 1
            }
            return negative ? 0 &- magnitude : magnitude
        }
        let limit: UInt64 = negative ? 1 << 63 : 1 << 63 - 1
        var magnitude: UInt64 = 0
        while i < n {
            let d = bytes[i] &- ASCII.zero
            guard d < 10 else { return nil }  // '.', 'e' or 'E'
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
            guard !o1, !o2, sum <= limit else { return nil }
            magnitude = sum
            i += 1
        }
        return negative ? Int64(bitPattern: 0 &- magnitude) : Int64(magnitude)
    }

    /// Parses a JSON number literal of digits only as an unsigned 64-bit integer (`strconv.ParseUint(s, 10, 64)`).
    ///
    /// Returns `nil` for a sign, a fraction, an exponent or a value above `UInt64.max`.
    package static func parseUInt64(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard !bytes.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let d = byte &- ASCII.zero
            guard d < 10 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            value = sum
        }
        return value
    }

    /// Clinger's fast path: exact when `w ≤ 2^53` and the power of ten is an exact double.
    private static func clinger(_ w: UInt64, _ q: Int) -> Double? {
        guard w <= 1 << 53 else { return nil }
        if q == 0 {
            return Double(w)
        }
        if q > 0 {
            if q <= 22 {
                return Double(w) * exactPowerOfTen(q)
            }
            // Move excess zeros into the mantissa while it stays exact.
            guard q <= 22 + 15 else { return nil }
            let (shifted, overflow) = w.multipliedReportingOverflow(by: Digits.powersOfTen[q - 22])
            guard !overflow, shifted <= 1 << 53 else { return nil }
            return Double(shifted) * 1e22
        }
        guard q >= -22 else { return nil }
        return Double(w) / exactPowerOfTen(-q)
    }

    /// `10^k` for `0 ≤ k ≤ 22`, all exactly representable.
    @inline(__always)
    private static func exactPowerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: 1
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// The correctly rounded `w · 10^q` by exact `UInt128` arithmetic, or `nil` outside its range.
    ///
    /// `w` is nonzero and below 2^64; the results handled are always normal doubles.
    private static func exact(_ w: UInt64, _ q: Int) -> Double? {
        if q >= 0 {
            guard q <= 38 else { return nil }
            var value = UInt128(w)
            var remaining = q
            while remaining > 0 {
                let step = min(remaining, 19)
                let (product, overflow) = value.multipliedReportingOverflow(by: UInt128(Digits.powersOfTen[step]))
                guard !overflow else { return nil }
                value = product
                remaining -= step
            }
            return roundToDouble(value, sticky: false, binaryExponent: 0)
        }
        let k = -q
        guard k <= 27 else { return nil }
        // w / 10^k = w / (5^k · 2^k). Normalize w to the top of 128 bits so the quotient by 5^k < 2^63
        // keeps more than 64 significant bits; the remainder is the sticky bit.
        let divisor = Digits.powersOfFive[k]
        let shift = w.leadingZeroBitCount + 64
        let numerator = UInt128(w) << shift
        let high = UInt64(truncatingIfNeeded: numerator >> 64)
        let low = UInt64(truncatingIfNeeded: numerator)
        let (q1, r1) = high.quotientAndRemainder(dividingBy: divisor)
        let (q0, r0) = divisor.dividingFullWidth((high: r1, low: low))
        let quotient = UInt128(q1) << 64 | UInt128(q0)
        return roundToDouble(quotient, sticky: r0 != 0, binaryExponent: -shift - k)
    }

    /// Rounds `(n + ε) · 2^binaryExponent` to the nearest double, ties to even, where `ε` is a positive
    /// amount below one unit of `n` when `sticky` is set. The result must be a normal double.
    private static func roundToDouble(_ n: UInt128, sticky: Bool, binaryExponent: Int) -> Double {
        let bitLength = 128 - n.leadingZeroBitCount
        var significand: UInt64
        var exponent = binaryExponent
        if bitLength <= 53 {
            // Exact (sticky is never set with so few bits).
            significand = UInt64(truncatingIfNeeded: n) << (53 - bitLength)
            exponent -= 53 - bitLength
        } else {
            let drop = bitLength - 53
            significand = UInt64(truncatingIfNeeded: n >> drop)
            let rest = n & (1 << drop - 1)
            let half: UInt128 = 1 << (drop - 1)
            exponent += drop
            if rest > half || (rest == half && (sticky || significand & 1 == 1)) {
                significand += 1
                if significand == 1 << 53 {
                    significand >>= 1
                    exponent += 1
                }
            }
        }
        // value = significand · 2^exponent with significand in [2^52, 2^53).
        let biased = UInt64(exponent + 52 + 1023)
        return Double(bitPattern: biased << 52 | significand & (1 << 52 - 1))
    }

    /// The correctly rounded value through the standard library (locale-independent `strtod`); ±Inf on
    /// overflow. Rarely used; allocates when the literal is longer than 15 bytes.
    private static func slowParse(_ bytes: UnsafeRawBufferPointer) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }
}

// MARK: - Helpers

// Helper types are nested so that they cannot clash with other declarations of the module.
extension GoNumberFormat {
    /// ASCII code units used by the formatters.
    private enum ASCII {
        /// `0`.
        static let zero: UInt8 = 0x30
        /// `-`.
        static let minus: UInt8 = 0x2D
        /// `+`.
        static let plus: UInt8 = 0x2B
        /// `.`.
        static let dot: UInt8 = 0x2E
        /// `e`.
        static let e: UInt8 = 0x65
    }

    /// Decimal digit writers into raw scratch memory.
    enum Digits {
        /// `10^k` for `0 ≤ k ≤ 19`.
        static let powersOfTen: [UInt64] = {
            var table: [UInt64] = [1]
            for _ in 1...19 {
                table.append(table.last! * 10)
            }
            return table
        }()

        /// `5^k` for `0 ≤ k ≤ 27`.
        static let powersOfFive: [UInt64] = {
            var table: [UInt64] = [1]
            for _ in 1...27 {
                table.append(table.last! * 5)
            }
            return table
        }()

        /// The two digits of `value` (below 100) as they lie in memory, copied from a table.
        @inline(__always)
        private static func pair(_ value: UInt64) -> UInt16 {
            // "00" to "99", the two digits of each number below 100.
            let pairs: StaticString = """
                00010203040506070809101112131415161718192021222324252627282930313233343536373839\
                40414243444546474849505152535455565758596061626364656667686970717273747576777879\
                8081828384858687888990919293949596979899
                """
            return UnsafeRawPointer(pairs.utf8Start).loadUnaligned(
                fromByteOffset: Int(truncatingIfNeeded: value) &* 2, as: UInt16.self)
        }

        /// How many digits `v` has, from 1 to 20.
        @inline(__always)
        static func count(_ v: UInt64) -> Int {
            // Up to eight digits (line and column numbers, times) by comparisons, then by multiplying
            // the bound by ten, which costs less than dividing `v` by ten.
            if v < 100_000_000 {
                if v < 10_000 { return v < 100 ? (v < 10 ? 1 : 2) : (v < 1_000 ? 3 : 4) }
                return v < 1_000_000 ? (v < 100_000 ? 5 : 6) : (v < 10_000_000 ? 7 : 8)
            }
            var count = 9
            var bound: UInt64 = 1_000_000_000
            while count < 20 && v >= bound {
                count &+= 1
                bound &*= 10
            }
            return count
        }

        /// Writes the digits of `v` (no leading zeros) at `p`; returns how many (at most 20).
        @inline(__always)
        static func write(_ v: UInt64, at p: UnsafeMutablePointer<UInt8>) -> Int {
            let count = count(v)
            writePadded(v, width: count, at: p)
            return count
        }

        /// Writes the digits of `v` (no leading zeros) at `p`; returns how many (at most 39).
        static func write(_ v: UInt128, at p: UnsafeMutablePointer<UInt8>) -> Int {
            if v <= UInt128(UInt64.max) {
                return write(UInt64(truncatingIfNeeded: v), at: p)
            }
            let tenToThe19: UInt128 = 10_000_000_000_000_000_000
            let (high, low) = v.quotientAndRemainder(dividingBy: tenToThe19)
            var count: Int
            if high >= tenToThe19 {
                let (top, middle) = high.quotientAndRemainder(dividingBy: tenToThe19)
                count = write(UInt64(truncatingIfNeeded: top), at: p)
                writePadded(UInt64(truncatingIfNeeded: middle), width: 19, at: p + count)
                count += 19
            } else {
                count = write(UInt64(truncatingIfNeeded: high), at: p)
            }
            writePadded(UInt64(truncatingIfNeeded: low), width: 19, at: p + count)
            return count + 19
        }

        /// Writes exactly `width` digits of `v` at `p`, with leading zeros (`v < 10^width`): two
        /// digits a step from the last, each pair copied from a table, so one division per pair.
        @inline(__always)
        static func writePadded(_ v: UInt64, width: Int, at p: UnsafeMutablePointer<UInt8>) {
            let destination = UnsafeMutableRawPointer(p)
            var rest = v
            var i = width
            while i >= 2 {
                let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: 100)
                i &-= 2
                destination.storeBytes(of: pair(remainder), toByteOffset: i, as: UInt16.self)
                rest = quotient
            }
            if i == 1 { p[0] = ASCII.zero &+ UInt8(truncatingIfNeeded: rest) }
        }
    }

    /// Shortest round-trip digits from the standard library's printer, without allocating.
    private enum ShortestDigits {
        /// Calls `body` with the shortest digits of finite `x` (ASCII, no leading or trailing zeros),
        /// their count, and the decimal point position `point` (value = 0.d₁d₂… × 10^point). Zero has
        /// count 0 and point 0.
        ///
        /// `Double.write(to:)` hands its stack-formatted text (`1.5e-07`, `123.0`, `0.0001`) to the
        /// stream's `_writeASCII`, so no `String` is created; the text is then reparsed here.
        static func with(_ x: Double, _ body: (UnsafePointer<UInt8>, Int, Int) -> Void) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 80) { scratch in
                let text = scratch.baseAddress!
                let digits = text + 48
                if x == 0 {
                    body(digits, 0, 0)
                    return
                }
                if let (n, fractionDigits) = fewFractionDigits(x.magnitude) {
                    let count = Digits.write(n, at: digits)
                    body(digits, count, count - fractionDigits)
                    return
                }
                var stream = CaptureStream(base: text, capacity: 48)
                x.magnitude.write(to: &stream)
                let length = stream.count
                var i = 0
                var count = 0
                var integerDigits = 0
                var seenDot = false
                while i < length && text[i] != ASCII.e {
                    let c = text[i]
                    if c == ASCII.dot {
                        seenDot = true
                    } else if count < 32 {
                        digits[count] = c
                        count += 1
                        if !seenDot {
                            integerDigits += 1
                        }
                    }
                    i += 1
                }
                var exponent = 0
                if i < length {  // 'e', sign, digits
                    i += 1
                    var exponentNegative = false
                    if i < length && (text[i] == ASCII.minus || text[i] == ASCII.plus) {
                        exponentNegative = text[i] == ASCII.minus
                        i += 1
                    }
                    while i < length {
                        exponent = exponent * 10 + Int(text[i] &- ASCII.zero)
                        i += 1
                    }
                    if exponentNegative {
                        exponent = -exponent
                    }
                }
                var start = 0
                while start < count && digits[start] == ASCII.zero {
                    start += 1
                }
                var end = count
                while end > start && digits[end - 1] == ASCII.zero {
                    end -= 1
                }
                body(digits + start, end - start, integerDigits + exponent - start)
            }
        }

        /// The shortest digits of a decimal with few fraction digits (`489.1`, `0.2942`, most measured
        /// values), without the printer: `n · 10^-k` for the fewest fraction digits `k`, from 1 to 8,
        /// such that `n / 10^k` is `magnitude` again. While `10^-k` is more than twice the spacing of
        /// doubles at `magnitude`, at most one `n` lies within half a spacing of it, so the `n` found is
        /// the one whose digits are the shortest and closest, the printer's. `nil` for integers, for
        /// magnitudes outside 10^-4 to 10^15, and when no `k` up to 8 is found.
        @inline(__always)
        static func fewFractionDigits(_ magnitude: Double) -> (n: UInt64, fractionDigits: Int)? {
            guard magnitude >= 1e-4, magnitude < 1e15, magnitude != magnitude.rounded(.towardZero) else { return nil }
            var scale = 1.0
            for fractionDigits in 1...8 {
                scale *= 10  // Exact: powers of ten up to 10^22 are doubles.
                let scaled = magnitude * scale
                guard scaled < 0x1p53, magnitude.ulp * scale < 0.5 else { return nil }
                // `scaled` is rounded once; the `n` sought is within one of its nearest integer.
                let nearest = scaled.rounded()
                if nearest / scale == magnitude { return (UInt64(nearest), fractionDigits) }
                if (nearest - 1) / scale == magnitude { return (UInt64(nearest - 1), fractionDigits) }
                if (nearest + 1) / scale == magnitude { return (UInt64(nearest + 1), fractionDigits) }
            }
            return nil
        }
    }

    /// A `TextOutputStream` that copies ASCII text into fixed scratch memory.
    private struct CaptureStream: TextOutputStream {
        /// Start of the scratch memory.
        let base: UnsafeMutablePointer<UInt8>
        /// Bytes available at `base`.
        let capacity: Int
        /// Bytes written so far.
        var count = 0

        /// Creates a stream writing at `base`, up to `capacity` bytes.
        init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
            self.base = base
            self.capacity = capacity
        }

        /// Copies `string`'s UTF-8 (used only if the standard library bypasses `_writeASCII`).
        mutating func write(_ string: String) {
            for byte in string.utf8 where count < capacity {
                base[count] = byte
                count += 1
            }
        }

        /// Copies ASCII text; this is how `Double.write(to:)` delivers its stack-formatted digits.
        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
            for byte in buffer where count < capacity {
                base[count] = byte
                count += 1
            }
        }
    }

    /// Go's `fmtE` and `fmtF` layouts of shortest digits.
    private enum Layout {
        /// Go's `%e` layout of shortest digits: `d[.ddd]e±XX` (at least two exponent digits); with `json`,
        /// `encoding/json`'s cleanup of `e-0X` to `e-X`.
        static func exponential(
            _ digits: UnsafePointer<UInt8>, _ count: Int, _ point: Int, negative: Bool, json: Bool,
            to out: inout some ByteOutput
        ) {
            // "-" + 17 digits + "." + "e-324" fits in 32.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { scratch in
                let base = scratch.baseAddress!
                var p = base
                if negative {
                    p.pointee = ASCII.minus
                    p += 1
                }
                p.pointee = count == 0 ? ASCII.zero : digits[0]
                p += 1
                if count > 1 {
                    p.pointee = ASCII.dot
                    p += 1
                    p.update(from: digits + 1, count: count - 1)
                    p += count - 1
                }
                p.pointee = ASCII.e
                p += 1
                var exponent = count == 0 ? 0 : point - 1
                if exponent < 0 {
                    p.pointee = ASCII.minus
                    exponent = -exponent
                } else {
                    p.pointee = ASCII.plus
                }
                p += 1
                let minimumDigits = json && p[-1] == ASCII.minus ? 1 : 2
                let width = max(exponent >= 100 ? 3 : exponent >= 10 ? 2 : 1, minimumDigits)
                Digits.writePadded(UInt64(exponent), width: width, at: p)
                p += width
                out.appendBytes(UnsafeRawBufferPointer(start: base, count: p - base))
            }
        }

        /// Go's `%f` layout of shortest digits with `max(count - point, 0)` fraction digits: integer digits
        /// padded with zeros up to the point, `0` when there are none, and the fraction if any.
        static func plain(
            _ digits: UnsafePointer<UInt8>, _ count: Int, _ point: Int, negative: Bool,
            to out: inout some ByteOutput
        ) {
            if negative {
                out.append(ASCII.minus)
            }
            if point > 0 {
                let integerDigits = min(count, point)
                out.appendBytes(UnsafeRawBufferPointer(start: digits, count: integerDigits))
                if point > count {
                    for _ in count..<point {
                        out.append(ASCII.zero)
                    }
                }
            } else {
                out.append(ASCII.zero)
            }
            if count > point {
                out.append(ASCII.dot)
                if point < 0 {
                    for _ in point..<0 {
                        out.append(ASCII.zero)
                    }
                }
                let first = max(point, 0)
                out.appendBytes(UnsafeRawBufferPointer(start: digits + first, count: count - first))
            }
        }
    }
}
