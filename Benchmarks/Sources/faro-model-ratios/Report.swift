import FaroBenchmarkSupport
import Foundation

/// Prints the measurements as they come, and the targets, met or missed, at the end.
struct Report {
    /// The targets checked so far: what, on which input, met or not, the measured figure.
    private var targets: [(name: String, input: String, met: Bool, figure: String)] = []

    /// How many targets were missed.
    var missed: Int { targets.count { !$0.met } }

    /// Prints what is measured and how.
    func header() {
        let timer = Timer()
        print("FaroModel beside Foundation's JSONDecoder (Codable mirror types): same inputs, same process, one thread.")
        let milliseconds = { (duration: Duration) in Int((Timer.seconds(duration) * 1000).rounded()) }
        print(
            "Medians of \(timer.rounds) interleaved rounds of about \(milliseconds(timer.roundDuration)) ms each, after "
                + "\(milliseconds(timer.warmUp)) ms of warm-up; ± is half the interquartile range of the rounds; MB = 10^6 bytes.")
    }

    /// Starts the section of an input.
    func input(_ input: BenchmarkInput) {
        print()
        print("\(input.name): \(Report.grouped(Double(input.size))) bytes, \(Report.grouped(Double(input.itemCount))) items")
        print(pad("", 26) + pad("FaroModel", 28, right: true) + pad("JSONDecoder", 28, right: true) + pad("ratio", 10, right: true))
    }

    /// Prints a row: what is measured, our figure, the peer's and their ratio, if any.
    func row(_ name: String, ours: String, peer: String? = nil, ratio: Double? = nil) {
        var line = pad("  " + name, 26) + pad(ours, 28, right: true)
        if let peer, let ratio { line += pad(peer, 28, right: true) + pad(Report.ratio(ratio), 10, right: true) }
        print(line)
    }

    /// Prints an indented note.
    func note(_ text: String) {
        print("  " + text)
    }

    /// `amount` units per median call of `timing`, with its spread.
    func rate(_ amount: Double, _ timing: Timing, unit: String) -> String {
        let perSecond = amount / timing.median
        let figure = unit == "MB/s" ? String(format: "%.1f", perSecond) : Report.grouped(perSecond)
        return "\(figure) \(unit) ±\(String(format: "%.1f", timing.spread * 100))%"
    }

    /// Records whether a target is met on an input.
    mutating func target(_ name: String, on input: BenchmarkInput, met: Bool, figure: String) {
        targets.append((name, input.name, met, figure))
    }

    /// Prints every target, met or missed, and the count.
    func summary() {
        print()
        print("Targets (one thread):")
        for target in targets.sorted(by: { $0.name < $1.name }) {
            print("  \(target.met ? "PASS" : "FAIL")  \(pad(target.name, 48)) \(pad(target.input, 18)) \(target.figure)")
        }
        print("\(targets.count - missed) of \(targets.count) targets met")
    }

    /// A ratio such as `12.3x`.
    static func ratio(_ value: Double) -> String { String(format: "%.1fx", value) }

    /// A number rounded to an integer, with thousands separated by commas.
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()).magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// `text` padded with spaces to `width` characters, on the left when `right`.
    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
