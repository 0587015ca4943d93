import Foundation

/// Prints the measurements of a library beside its peer as they come, and the targets, met or
/// missed, at the end.
public struct Report {
    /// The widths of the report's columns, in characters.
    public struct Columns: Sendable {
        /// What a row measures.
        public var name = 26
        /// Our figure and the peer's, each.
        public var figure = 28
        /// The ratio of the two.
        public var ratio = 10
        /// The name of a target in the summary.
        public var target = 48
        /// The input a target was checked on, in the summary.
        public var input = 18

        /// The widths of the ratio reports: 26, 28, 28 and 10 for rows, 48 and 18 for targets.
        public init() {}
    }

    /// What the report compares, its first line.
    private let title: String
    /// The heading of our column.
    private let ours: String
    /// The heading of the peer's column.
    private let peer: String
    /// The widths of the columns.
    private let columns: Columns
    /// The targets checked so far: what, on which input, met or not, the measured figure.
    private var targets: [(name: String, input: String, met: Bool, figure: String)] = []

    /// A report titled `title` whose columns are headed `ours` and `peer`.
    public init(title: String, ours: String, peer: String, columns: Columns = Columns()) {
        self.title = title
        self.ours = ours
        self.peer = peer
        self.columns = columns
    }

    /// How many targets were missed.
    public var missed: Int { targets.count { !$0.met } }

    /// Prints what is measured and how `timer` times it.
    public func header(_ timer: InterleavedTimer = InterleavedTimer()) {
        print(title)
        let milliseconds = { (duration: Duration) in Int((InterleavedTimer.seconds(duration) * 1000).rounded()) }
        print(
            "Medians of \(timer.rounds) interleaved rounds of about \(milliseconds(timer.roundDuration)) ms each, after "
                + "\(milliseconds(timer.warmUp)) ms of warm-up; ± is half the interquartile range of the rounds; MB = 10^6 bytes.")
    }

    /// Prints what is measured and how, when it is not timed by an `InterleavedTimer`.
    public func header(_ method: String) {
        print(title)
        print(method)
    }

    /// Starts a section, such as the one of an input, under `heading`.
    /// `ours` and `peer` head its columns when it compares others than the report's.
    public func section(_ heading: String, ours: String? = nil, peer: String? = nil) {
        print()
        print(heading)
        print(
            pad("", columns.name) + pad(ours ?? self.ours, columns.figure, right: true)
                + pad(peer ?? self.peer, columns.figure, right: true) + pad("ratio", columns.ratio, right: true))
    }

    /// Prints a row: what is measured, our figure, the peer's and their ratio, if any.
    public func row(_ name: String, ours: String, peer: String? = nil, ratio: Double? = nil) {
        var line = pad("  " + name, columns.name) + pad(ours, columns.figure, right: true)
        if let peer { line += pad(peer, columns.figure, right: true) }
        if let ratio { line += pad(Report.ratio(ratio), columns.ratio, right: true) }
        print(line)
    }

    /// Prints an indented note.
    public func note(_ text: String) {
        print("  " + text)
    }

    /// `amount` units per median call of `timing`, with its spread.
    public func rate(_ amount: Double, _ timing: Timing, unit: String) -> String {
        rates([(amount, unit)], timing)
    }

    /// Each amount in its unit per median call of `timing`, such as spans/s and MB/s of one
    /// batch, then the spread.
    public func rates(_ amounts: [(amount: Double, unit: String)], _ timing: Timing) -> String {
        let figures = amounts.map { amount, unit in
            let perSecond = amount / timing.median
            let figure = unit == "MB/s" ? String(format: "%.1f", perSecond) : Report.grouped(perSecond)
            return "\(figure) \(unit)"
        }
        return "\(figures.joined(separator: " ")) ±\(String(format: "%.1f", timing.spread * 100))%"
    }

    /// Records whether a target is met on an input.
    public mutating func target(_ name: String, on input: String, met: Bool, figure: String) {
        targets.append((name, input, met, figure))
    }

    /// Prints every target, met or missed, and the count.
    public func summary() {
        print()
        print("Targets (one thread):")
        for target in targets.sorted(by: { $0.name < $1.name }) {
            print(
                "  \(target.met ? "PASS" : "FAIL")  \(pad(target.name, columns.target)) \(pad(target.input, columns.input)) \(target.figure)")
        }
        print("\(targets.count - missed) of \(targets.count) targets met")
    }

    /// A ratio such as `12.3x`.
    public static func ratio(_ value: Double) -> String { String(format: "%.1fx", value) }

    /// A number rounded to an integer, with thousands separated by commas.
    public static func grouped(_ value: Double) -> String {
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
