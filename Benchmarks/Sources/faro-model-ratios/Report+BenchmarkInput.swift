import BenchmarkReporting
import FaroBenchmarkSupport

extension Report {
    /// Starts the section of an input: its name, size and item count.
    func input(_ input: BenchmarkInput) {
        section("\(input.name): \(Report.grouped(Double(input.size))) bytes, \(Report.grouped(Double(input.itemCount))) items")
    }

    /// Records whether a target is met on an input.
    mutating func target(_ name: String, on input: BenchmarkInput, met: Bool, figure: String) {
        target(name, on: input.name, met: met, figure: figure)
    }
}
