public import ArgumentParser
public import FaroModel
import Foundation

extension FaroLogFormat: ExpressibleByArgument {}

/// `rumctl lines`: the Loki lines Alloy's faro.receiver writes for payloads.
struct Lines: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the Loki log lines Grafana Alloy's faro.receiver writes for Faro payloads.",
        discussion: """
            One line per log, exception, measurement and event, in Alloy's order, byte for byte as Alloy \
            writes them. With --labels each line is preceded by its stream label set and a tab.
            Example: rumctl lines --format json --extra-label app=web --extra-label kind= payload.json
            """
    )

    @Option(help: "The line format: logfmt (Alloy's default) or json.")
    var format: FaroLogFormat = .logfmt

    @Option(
        name: .customLong("extra-label"),
        help: ArgumentHelp(
            "A stream label, as Alloy's extra_log_labels: NAME=VALUE, or NAME= to take the line's value of key NAME.",
            valueName: "NAME=VALUE"))
    var extraLabels: [String] = []

    @Flag(help: "Print each line's stream label set before it, separated by a tab.")
    var labels = false

    @Flag(help: "Replace ill-formed UTF-8 and lone surrogates with U+FFFD, as Alloy does, instead of rejecting them.")
    var replaceInvalidUTF8 = false

    @Argument(help: "Payload files; - or none reads standard input.")
    var files: [String] = []

    func run() throws {
        var extraLogLabels: [String: String] = [:]
        for label in extraLabels {
            guard let equals = label.firstIndex(of: "="), equals != label.startIndex else {
                throw ValidationError("--extra-label takes NAME=VALUE, got '\(label)'")
            }
            extraLogLabels[String(label[..<equals])] = String(label[label.index(after: equals)...])
        }
        var encoder = FaroLogLineEncoder(format: format, extraLogLabels: extraLogLabels)
        let decoder = FaroPayloadDecoder(invalidUTF8: replaceInvalidUTF8 ? .replace : .reject)
        var failed = false
        var output = ContiguousArray<UInt8>()
        for path in files.isEmpty ? ["-"] : files {
            let payload: FaroPayload
            do {
                payload = try decodePayload(try readInput(path), with: decoder)
            } catch let error as PayloadError {
                printError("\(path): \(error)")
                failed = true
                continue
            } catch {
                printError("\(error)")
                failed = true
                continue
            }
            var buffer = ContiguousArray<UInt8>()
            var lines: [FaroLogLine] = []
            let dropped = encoder.encode(payload, into: &buffer, lines: &lines)
            for line in lines {
                if labels {
                    output.append(contentsOf: buffer[line.labels])
                    output.append(UInt8(ascii: "\t"))
                }
                output.append(contentsOf: buffer[line.line])
                output.append(UInt8(ascii: "\n"))
            }
            if dropped > 0 {
                printError("\(path): \(dropped) item(s) have no line: Alloy's logfmt encoder rejects an empty key")
            }
        }
        FileHandle.standardOutput.write(Data(output))
        if failed { throw ExitCode.failure }
    }
}
