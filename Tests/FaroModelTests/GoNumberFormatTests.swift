import Foundation
import TestSupport
import Testing

@testable import FaroModel

/// Go-exact number formatting and parsing: hand-checked cases, then comparisons with Python oracles that
/// compute Go's outputs (Python's `'%.6f'` is exact with ties to even like Go's `%f`; Python's `repr`
/// gives the shortest closest digits Go's Ryu gives, laid out here with Go's `%v` and `encoding/json`
/// rules; Python's `float` is correctly rounded like Go's `strconv.ParseFloat`).
@Suite struct GoNumberFormatTests {
    // MARK: - Helpers

    /// Formats with one of the appenders into a fresh buffer and returns the text.
    static func text(_ x: Double, _ append: (Double, inout ContiguousArray<UInt8>) -> Void) -> String {
        var out = ContiguousArray<UInt8>()
        append(x, &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `fmt.Sprintf("%f", x)`.
    static func fixed(_ x: Double) -> String { text(x, GoNumberFormat.appendFixed6) }
    /// Go's `fmt.Sprint(x)`.
    static func shortest(_ x: Double) -> String { text(x, GoNumberFormat.appendShortest) }
    /// Go's `encoding/json` for a float64.
    static func json(_ x: Double) -> String { text(x, GoNumberFormat.appendJSON) }

    /// `parseDouble` on the UTF-8 of `s`.
    static func parse(_ s: String) -> Double? {
        var copy = s
        return copy.withUTF8 { GoNumberFormat.parseDouble(UnsafeRawBufferPointer($0)) }
    }

    /// `parseInt64` on the UTF-8 of `s`.
    static func parseInt(_ s: String) -> Int64? {
        var copy = s
        return copy.withUTF8 { GoNumberFormat.parseInt64(UnsafeRawBufferPointer($0)) }
    }

    /// The double `steps` units in the last place away from `x` (by bit pattern; `x` positive finite).
    static func ulps(_ x: Double, _ steps: Int64) -> Double {
        Double(bitPattern: UInt64(bitPattern: Int64(bitPattern: x.bitPattern) + steps))
    }

    /// Sixteen hex digits of a bit pattern.
    static func hex(_ bits: UInt64) -> String {
        let digits = String(bits, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    // MARK: - Hand-checked formatting

    /// Values checked by hand against Go's rules: `%f`, `%v` and `encoding/json` of each.
    @Test func handCheckedFormatting() {
        // (value, %f, %v, encoding/json)
        let cases: [(Double, String, String, String)] = [
            (14, "14.000000", "14", "14"),
            (22.12, "22.120000", "22.12", "22.12"),
            (312.4000000000001, "312.400000", "312.4000000000001", "312.4000000000001"),
            (0.0123, "0.012300", "0.0123", "0.0123"),
            (2431.7, "2431.700000", "2431.7", "2431.7"),
            (1e21, "1000000000000000000000.000000", "1e+21", "1e+21"),
            (1e20, "100000000000000000000.000000", "1e+20", "100000000000000000000"),
            (1e-7, "0.000000", "1e-07", "1e-7"),
            (1e-6, "0.000001", "1e-06", "0.000001"),
            (1.5e-7, "0.000000", "1.5e-07", "1.5e-7"),
            (1.5e-10, "0.000000", "1.5e-10", "1.5e-10"),
            (.leastNonzeroMagnitude, "0.000000", "5e-324", "5e-324"),
            (-.leastNonzeroMagnitude, "-0.000000", "-5e-324", "-5e-324"),
            (0, "0.000000", "0", "0"),
            (-0.0, "-0.000000", "-0", "-0"),
            (123456789.0, "123456789.000000", "1.23456789e+08", "123456789"),
            (1000000.0, "1000000.000000", "1e+06", "1000000"),
            (123456.0, "123456.000000", "123456", "123456"),
            (100000.0, "100000.000000", "100000", "100000"),
            (0.0001, "0.000100", "0.0001", "0.0001"),
            (0.00001, "0.000010", "1e-05", "0.00001"),
            (-2.5, "-2.500000", "-2.5", "-2.5"),
            (0.1, "0.100000", "0.1", "0.1"),
            (
                1e100,
                "10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.000000",
                "1e+100", "1e+100"
            ),
            (
                1.7976931348623157e308,
                "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000",
                "1.7976931348623157e+308", "1.7976931348623157e+308"
            ),
            (
                1e300,
                "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000",
                "1e+300", "1e+300"
            ),
            // 2^76 is the first value taking the big-integer path; 2^128 just past UInt128.
            (0x1p76, "75557863725914323419136.000000", "7.555786372591432e+22", "7.555786372591432e+22"),
            (0x1p128, "340282366920938463463374607431768211456.000000", "3.402823669209385e+38", "3.402823669209385e+38"),
            (0x1p127, "170141183460469231731687303715884105728.000000", "1.7014118346046923e+38", "1.7014118346046923e+38"),
            (9007199254740992, "9007199254740992.000000", "9.007199254740992e+15", "9007199254740992"),
            (-1.5e-7, "-0.000000", "-1.5e-07", "-1.5e-7"),
            (1.2345e-100, "0.000000", "1.2345e-100", "1.2345e-100"),
        ]
        for (x, f, v, j) in cases {
            #expect(Self.fixed(x) == f, "%f of \(x)")
            #expect(Self.shortest(x) == v, "%v of \(x)")
            #expect(Self.json(x) == j, "json of \(x)")
        }
    }

    /// Exact ties at the 7th decimal exist only for odd multiples of 2^-7 (x = n/128 with n odd: the
    /// 7-digit decimal ends in 5 exactly), and Go rounds them half to even. Literals such as 0.0000005
    /// are *not* ties: the nearest double is slightly below or above, which decides the rounding.
    @Test func fixedRoundsExactTiesToEven() {
        #expect(Self.fixed(1.0 / 128) == "0.007812")  // 0.0078125 → even 2
        #expect(Self.fixed(3.0 / 128) == "0.023438")  // 0.0234375 → even 8
        #expect(Self.fixed(5.0 / 128) == "0.039062")  // 0.0390625 → even 2
        #expect(Self.fixed(2.5 + 1.0 / 128) == "2.507812")
        #expect(Self.fixed(-1.0 / 128) == "-0.007812")
        #expect(Self.fixed(1e6 + 3.0 / 128) == "1000000.023438")
        #expect(Self.fixed(0.9999995) == "1.000000")  // 0.99999950000000004...: carries into the integer part
        #expect(Self.fixed(0.9999985) == "0.999999")  // 0.99999850000000001...
        #expect(Self.fixed(0.0000005) == "0.000000")  // 4.99999999999999977e-07
        #expect(Self.fixed(0.0000015) == "0.000002")  // 1.50000000000000004e-06
        #expect(Self.fixed(0.0000025) == "0.000003")  // 2.50000000000000020e-06
        #expect(Self.fixed(0.0000035) == "0.000003")  // 3.49999999999999995e-06
        #expect(Self.fixed(-1e-10) == "-0.000000")  // Go keeps the sign of values rounding to zero
    }

    /// NaN and infinities as Go spells them; JSON writes `null` instead of failing.
    /// Go's `readFloat` stops taking an exponent's digits once it has reached 10,000 (`e-100001`
    /// counts as `e-10000`); the mantissa's digits still count.
    @Test func exponentSaturatesAsGoDoes() {
        #expect(Self.parse("1" + String(repeating: "0", count: 10_001) + "e-100001") == 10)
        #expect(Self.parse("0." + String(repeating: "0", count: 10_000) + "1e100001") == 0.1)
        #expect(Self.parse("1" + String(repeating: "0", count: 10_001) + "e-10001") == 1)
    }

    @Test func nonFinite() {
        #expect(Self.fixed(.nan) == "NaN")
        #expect(Self.fixed(.infinity) == "+Inf")
        #expect(Self.fixed(-.infinity) == "-Inf")
        #expect(Self.shortest(.nan) == "NaN")
        #expect(Self.shortest(-.nan) == "NaN")
        #expect(Self.shortest(.infinity) == "+Inf")
        #expect(Self.shortest(-.infinity) == "-Inf")
        #expect(Self.json(.nan) == "null")
        #expect(Self.json(.infinity) == "null")
    }

    /// The appenders add to what the buffer already holds.
    @Test func appendsToExistingContent() {
        var out = ContiguousArray("x=".utf8)
        GoNumberFormat.appendFixed6(1.5, to: &out)
        out.append(0x20)
        GoNumberFormat.appendShortest(1.5e300, to: &out)
        out.append(0x20)
        GoNumberFormat.appendJSON(2e-9, to: &out)
        out.append(0x20)
        GoNumberFormat.appendDecimal(-42, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x=1.500000 1.5e+300 2e-9 -42")
    }

    /// `appendDecimal` against Swift's own base-10 description, and the extremes.
    @Test func integers() {
        func int(_ v: Int) -> String {
            var out = ContiguousArray<UInt8>()
            GoNumberFormat.appendDecimal(v, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        func uint(_ v: UInt64) -> String {
            var out = ContiguousArray<UInt8>()
            GoNumberFormat.appendDecimal(v, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(int(0) == "0")
        #expect(int(9) == "9")
        #expect(int(10) == "10")
        #expect(int(-1) == "-1")
        #expect(int(Int.max) == "9223372036854775807")
        #expect(int(Int.min) == "-9223372036854775808")
        #expect(uint(0) == "0")
        #expect(uint(UInt64.max) == "18446744073709551615")
        #expect(uint(10_000_000_000_000_000_000) == "10000000000000000000")
        // Every digit count, at its edges.
        var power: UInt64 = 1
        for _ in 0..<20 {
            for v in [power - 1, power, power + 1] { #expect(uint(v) == String(v)) }
            power = power.multipliedReportingOverflow(by: 10).partialValue
        }
        var rng = SplitMix64(state: 7)
        for _ in 0..<2000 {
            let v = Int(bitPattern: UInt(rng.next() >> (rng.next() % 64)))
            let signed = rng.next() & 1 == 0 ? v : 0 &- v
            #expect(int(signed) == String(signed))
        }
    }

    // MARK: - Hand-checked parsing

    /// Literals with known correctly rounded results, halfway cases, underflow and overflow.
    @Test func handCheckedParsing() {
        let cases: [(String, UInt64?)] = [
            ("0", 0),
            ("-0", 0x8000_0000_0000_0000),
            ("0.0e5", 0),
            ("-0.000e-999", 0x8000_0000_0000_0000),
            ("1", 1.0.bitPattern),
            ("0.1", 0.1.bitPattern),
            ("22.12", 22.12.bitPattern),
            ("1E5", 1e5.bitPattern),
            ("1e+5", 1e5.bitPattern),
            ("-2.5e-3", (-2.5e-3).bitPattern),
            ("9007199254740993", 9007199254740992.0.bitPattern),  // halfway, to even
            ("9007199254740995", 9007199254740996.0.bitPattern),  // halfway, to even
            ("9007199254740993.0000000000000000000001", 9007199254740994.0.bitPattern),  // just above
            ("2.2250738585072011e-308", 0x000F_FFFF_FFFF_FFFF),
            ("2.2250738585072012e-308", 0x0010_0000_0000_0000),
            ("4.9406564584124654e-324", 1),
            ("2.4703282292062327e-324", 0),  // just below half the smallest subnormal
            ("2.4703282292062328e-324", 1),  // just above
            ("1e-400", 0),
            ("-1e-400", 0x8000_0000_0000_0000),
            ("1.7976931348623157e308", Double.greatestFiniteMagnitude.bitPattern),
            ("1.7976931348623158e308", Double.greatestFiniteMagnitude.bitPattern),
            ("1.7976931348623159e308", nil),  // past the overflow threshold: Go's ErrRange
            ("1e309", nil),
            ("-1e400", nil),
            ("1e99999999999999999999", nil),
            ("0e99999999999999999999", 0),
            ("1e-99999999999999999999", 0),
            ("123456789012345678901234567890", 123456789012345678901234567890.0.bitPattern),
            ("1e22", 1e22.bitPattern),
            ("1e23", 1e23.bitPattern),
            ("1e37", 1e37.bitPattern),
            ("1e-27", 1e-27.bitPattern),
            ("0.30000000000000004", 0.30000000000000004.bitPattern),
            ("1712345678.123456", 1712345678.123456.bitPattern),
        ]
        for (s, bits) in cases {
            let parsed = Self.parse(s)
            #expect(parsed?.bitPattern == bits, "parseDouble(\(s))")
        }
    }

    /// `parseInt64` accepts only integers in range, like Go's `strconv.ParseInt(s, 10, 64)`.
    @Test func parseInt64() {
        #expect(Self.parseInt("0") == 0)
        #expect(Self.parseInt("-0") == 0)
        #expect(Self.parseInt("42") == 42)
        #expect(Self.parseInt("-42") == -42)
        #expect(Self.parseInt("9223372036854775807") == Int64.max)
        #expect(Self.parseInt("-9223372036854775808") == Int64.min)
        #expect(Self.parseInt("9223372036854775808") == nil)
        #expect(Self.parseInt("-9223372036854775809") == nil)
        #expect(Self.parseInt("18446744073709551616") == nil)
        #expect(Self.parseInt("123456789012345678901234567890") == nil)
        #expect(Self.parseInt("999999999999999999") == 999_999_999_999_999_999)
        #expect(Self.parseInt("-999999999999999999") == -999_999_999_999_999_999)
        #expect(Self.parseInt("1000000000000000000") == 1_000_000_000_000_000_000)
        #expect(Self.parseInt("12345678901234567.8") == nil)
        #expect(Self.parseInt("1.0") == nil)
        #expect(Self.parseInt("1e2") == nil)
        #expect(Self.parseInt("1E2") == nil)
        #expect(Self.parseInt("-") == nil)
        #expect(Self.parseInt("") == nil)
    }

    // MARK: - Oracles

    /// Python computing Go's `%f`, `%v` and `encoding/json` forms of each hex bit pattern.
    static let formatOracle = #"""
        import sys, struct, math
        from decimal import Decimal

        def shortest_digits(x):
            # Python's repr gives the shortest round-trip digits closest to x, ties to even: Go's Ryu digits.
            t = Decimal(repr(abs(x))).normalize().as_tuple()
            ds = ''.join(map(str, t.digits))
            return ds, len(ds) + t.exponent

        def fmt_e(neg, ds, dp, json):
            e = dp - 1
            es = ('-' if e < 0 else '+') + '%02d' % abs(e)
            if json and es.startswith('-0'):
                es = '-' + es[2:]          # encoding/json: e-07 -> e-7
            return ('-' if neg else '') + ds[0] + ('.' + ds[1:] if len(ds) > 1 else '') + 'e' + es

        def fmt_f(neg, ds, dp):
            ip = ds[:dp].ljust(dp, '0') if dp > 0 else '0'
            fr = ''
            if len(ds) > dp:
                fr = '.' + ('0' * -dp + ds if dp < 0 else ds[dp:])
            return ('-' if neg else '') + ip + fr

        out = []
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            x = struct.unpack('<d', struct.pack('<Q', int(line, 16)))[0]
            if math.isnan(x):
                out.append('NaN\tNaN\tnull'); continue
            if math.isinf(x):
                s = '+Inf' if x > 0 else '-Inf'
                out.append(s + '\t' + s + '\tnull'); continue
            neg = math.copysign(1.0, x) < 0
            fixed = '%.6f' % x             # exact, ties to even: Go's %f
            if x == 0:
                ds, dp = '', 0
            else:
                ds, dp = shortest_digits(x)
            exp = dp - 1
            g = fmt_e(neg, ds, dp, False) if ds and (exp < -4 or exp >= 6) else fmt_f(neg, ds, dp)
            a = abs(x)
            j = fmt_e(neg, ds, dp, True) if a != 0 and (a < 1e-6 or a >= 1e21) else fmt_f(neg, ds, dp)
            out.append(fixed + '\t' + g + '\t' + j)
        sys.stdout.write('\n'.join(out) + '\n')
        """#

    /// Doubles covering the whole range and the cases where formatting is delicate.
    static func formatSamples() -> [Double] {
        var rng = SplitMix64(state: 0x5EED_F0F0)
        var values: [Double] = []
        // Bit patterns across the whole range (a few are NaN or infinite).
        for _ in 0..<4000 {
            values.append(Double(bitPattern: rng.next()))
        }
        // Subnormals and small exponents.
        for _ in 0..<300 {
            values.append(Double(bitPattern: rng.next() & (1 << 53 - 1)))
        }
        // Powers of ten and their neighbours.
        for k in -323...308 {
            let p = Double("1e\(k)")!
            for step: Int64 in [-1, 0, 1] where p > 0 {
                values.append(Self.ulps(p, step))
            }
        }
        // Powers of two and their neighbours, including the UInt128 and %e/%f thresholds.
        for k in stride(from: -1074, through: 1023, by: 3) {
            let p = Double(sign: .plus, exponent: k, significand: 1)
            values.append(p)
            values.append(Self.ulps(p, 1))
            if k > -1074 { values.append(Self.ulps(p, -1)) }
        }
        // Short decimals like telemetry values, ±1 ulp.
        for _ in 0..<1000 {
            let k = Double(rng.next() % 100_000_000)
            values.append(k / 100)
            let micro = Double(rng.next() % 10_000_000_000) / 1e6
            if micro > 0 {
                values.append(micro)
                values.append(Self.ulps(micro, 1))
                values.append(Self.ulps(micro, -1))
            }
            values.append(Double(rng.next() % 100_000_000) / 1e7)  // near-ties at the 7th decimal
        }
        // Exact 7th-decimal ties n/2^j (n odd, j ≥ 7).
        for _ in 0..<500 {
            let n = Double(rng.next() % (1 << 30) | 1)
            let j = 7 + Int(rng.next() % 20)
            values.append(n / Double(sign: .plus, exponent: j, significand: 1))
        }
        // Shortest-digit ties: M·2^E with small negative E are often exactly halfway between two
        // candidates of the shortest length (for example 1337252251690571.25).
        for _ in 0..<1000 {
            let m = Double(rng.next() % (1 << 52) + (1 << 52))
            values.append(m * Double(sign: .plus, exponent: -Int(rng.next() % 12), significand: 1))
        }
        // Large integers, and numbers around the %v (1e-5, 1e6) and JSON (1e-6, 1e21) thresholds.
        for _ in 0..<300 {
            values.append(Double(rng.next() >> (rng.next() % 64)))
        }
        for t in [1e-5, 1e6, 1e-6, 1e21, 1e-4, 1e5, 0.5, 1, 10] {
            for step: Int64 in -3...3 {
                values.append(Self.ulps(t, step))
            }
        }
        // Decimals with one to nine fraction digits (most measured values), as parsed from their
        // text, and their neighbours one and two spacings away, whose shortest digits are long.
        for _ in 0..<1500 {
            let fractionDigits = 1 + Int(rng.next() % 9)
            let n = rng.next() % (rng.next() & 1 == 0 ? 100_000 : 1 << 53)
            let x = Double(n) / pow(10, Double(fractionDigits))
            values.append(x)
            for step: Int64 in [-2, -1, 1, 2] { values.append(Self.ulps(x, step)) }
        }
        // Halfway between two millionths, as near as doubles get, and their neighbours: where `%f`
        // must round the exact value (half to even), not the value times 10^6 rounded once; up
        // to and past 2^50 millionths.
        for _ in 0..<400 {
            let n = rng.next() % (rng.next() & 1 == 0 ? 10_000_000 : 1 << 52)
            let x = (Double(n) + 0.5) / 1e6
            for step: Int64 in -3...3 { values.append(Self.ulps(x, step)) }
        }
        // Both signs.
        return values + values.enumerated().compactMap { $0.offset % 3 == 0 ? -$0.element : nil }
    }

    /// Over ten thousand doubles: `%f`, `%v` and `encoding/json` forms equal the oracle's.
    @Test func formattingMatchesGoOracle() async throws {
        let values = Self.formatSamples()
        let input = values.map { Self.hex($0.bitPattern) }.joined(separator: "\n") + "\n"
        let output = try await TestEnvironment.runPython(code: Self.formatOracle, input: Data(input.utf8))
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count >= values.count)
        var failures = 0
        for (index, x) in values.enumerated() {
            let expected = lines[index].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            try #require(expected.count == 3)
            let got = [Self.fixed(x), Self.shortest(x), Self.json(x)]
            if got != expected {
                failures += 1
                if failures <= 20 {
                    Issue.record("\(Self.hex(x.bitPattern)) (\(x)): got \(got), Go gives \(expected)")
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(values.count) values differ")
        #expect(values.count > 10_000)
    }

    /// Python returning the correctly rounded double (hex bits) for each literal, or `nil` on overflow.
    static let parseOracle = #"""
        import sys, struct, math
        out = []
        for line in sys.stdin:
            s = line.strip()
            if not s:
                continue
            f = float(s)
            out.append('nil' if math.isinf(f) else '%016x' % struct.unpack('<Q', struct.pack('<d', f))[0])
        sys.stdout.write('\n'.join(out) + '\n')
        """#

    /// Random JSON number literals: many digits, exponents near overflow and underflow.
    static func parseSamples() -> [String] {
        var rng = SplitMix64(state: 0xDEC1_3A15)
        func digits(_ count: Int, leadingNonzero: Bool) -> String {
            var s = ""
            for i in 0..<count {
                let d = i == 0 && leadingNonzero ? 1 + rng.next() % 9 : rng.next() % 10
                s.append(Character(Unicode.Scalar(UInt8(48 + d))))
            }
            return s
        }
        var samples: [String] = [
            "9007199254740993", "9007199254740992.5", "2.2250738585072011e-308", "2.2250738585072014e-308",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309",
            "0.1", "0.2", "0.3", "1e23", "8.988465674311579e307", "123456789012345678", "1234567890123456789",
            "12345678901234567890", "18446744073709551615", "18446744073709551616", "1e-27", "1e-28",
            "7.450580596923828125e-9", "3.0517578125e-05", "0.000001", "1e-7", "100000000000000000000000",
        ]
        // Halfway between 2^53 and its neighbours with many digits.
        samples.append("9007199254740993" + "." + String(repeating: "0", count: 30) + "1")
        samples.append("9007199254740992" + "." + String(repeating: "9", count: 30))
        for _ in 0..<4000 {
            let intDigits = Int(rng.next() % 26)
            let fracDigits = rng.next() % 3 == 0 ? 0 : 1 + Int(rng.next() % 25)
            var s = rng.next() & 1 == 0 ? "-" : ""
            s += intDigits == 0 ? "0" : digits(intDigits, leadingNonzero: true)
            if fracDigits > 0 || intDigits == 0 {
                s += "." + digits(max(fracDigits, 1), leadingNonzero: false)
            }
            let exponent: Int
            switch rng.next() % 6 {
            case 0: exponent = Int(rng.next() % 61) - 30
            case 1: exponent = Int(rng.next() % 40) - 345  // underflow and subnormals
            case 2: exponent = Int(rng.next() % 40) + 285  // overflow threshold
            case 3: exponent = Int(rng.next() % 801) - 400
            default: exponent = Int.min  // none
            }
            if exponent != Int.min {
                s += rng.next() & 1 == 0 ? "e" : "E"
                let sign = exponent < 0 ? "-" : (rng.next() & 1 == 0 ? "+" : "")
                s += sign + String(exponent.magnitude)
            }
            samples.append(s)
        }
        return samples
    }

    /// Random literals (up to 50 digits, exponents near overflow and underflow) parse to the oracle's bits.
    @Test func parsingMatchesPythonOracle() async throws {
        let samples = Self.parseSamples()
        let output = try await TestEnvironment.runPython(
            code: Self.parseOracle, input: Data((samples.joined(separator: "\n") + "\n").utf8))
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        try #require(lines.count == samples.count)
        var failures = 0
        for (s, expected) in zip(samples, lines) {
            let got = Self.parse(s).map { Self.hex($0.bitPattern) } ?? "nil"
            if got != expected {
                failures += 1
                if failures <= 20 {
                    Issue.record("parseDouble(\(s)) = \(got), Go gives \(expected)")
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(samples.count) literals differ")
    }

    /// Python writing, for each double, literals at and around the exact halfway points to its
    /// neighbours (hundreds of digits for subnormals) and the correctly rounded value of each.
    static let halfwayOracle = #"""
        import sys, struct, math
        from decimal import Decimal, getcontext
        getcontext().prec = 2000

        def bits(f):
            return 'nil' if math.isinf(f) else '%016x' % struct.unpack('<Q', struct.pack('<d', f))[0]

        def literal(d):
            s = format(d, 'f') if -30 < d.adjusted() < 30 else format(d, 'e')
            return s

        out = []
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            x = abs(struct.unpack('<d', struct.pack('<Q', int(line, 16)))[0])
            up = math.nextafter(x, math.inf)
            nx = Decimal(2) ** 1024 if math.isinf(up) else Decimal(up)
            mid = (Decimal(x) + nx) / 2
            ulp = nx - Decimal(x)
            candidates = [repr(x), '%.17e' % x, '%.25g' % x, literal(mid),
                          literal(mid + ulp / 10**30), literal(mid - ulp / 10**30)]
            if x > 0:
                down = Decimal(math.nextafter(x, 0))
                candidates.append(literal((Decimal(x) + down) / 2))
            for s in candidates:
                for t in (s, '-' + s):
                    out.append(t + '\t' + bits(float(t)))
        sys.stdout.write('\n'.join(out) + '\n')
        """#

    /// Exact halfway literals and their near neighbours parse to the oracle's bits.
    @Test func parsingHalfwayCasesMatchesPythonOracle() async throws {
        var rng = SplitMix64(state: 0x4A1F_3A7)
        var values: [Double] = [0, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                                9007199254740992, 1, 0.1, 1e23]
        for _ in 0..<600 {
            let x = Double(bitPattern: rng.next() & 0x7FFF_FFFF_FFFF_FFFF)
            if x.isFinite { values.append(x) }
        }
        for _ in 0..<300 {  // ordinary magnitudes, where the fast paths apply
            let x = Double(bitPattern: rng.next() % (0x4700_0000_0000_0000 - 0x3900_0000_0000_0000) + 0x3900_0000_0000_0000)
            values.append(x)
        }
        for _ in 0..<100 {  // subnormals
            values.append(Double(bitPattern: rng.next() & (1 << 52 - 1)))
        }
        let input = values.map { Self.hex($0.bitPattern) }.joined(separator: "\n") + "\n"
        let output = try await TestEnvironment.runPython(code: Self.halfwayOracle, input: Data(input.utf8))
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        try #require(lines.count > 10 * values.count)
        var failures = 0
        for line in lines {
            let fields = line.split(separator: "\t").map(String.init)
            try #require(fields.count == 2)
            let got = Self.parse(fields[0]).map { Self.hex($0.bitPattern) } ?? "nil"
            if got != fields[1] {
                failures += 1
                if failures <= 20 {
                    Issue.record("parseDouble(\(fields[0])) = \(got), Go gives \(fields[1])")
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(lines.count) literals differ")
    }
}
